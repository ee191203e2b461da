/** Bad input gets a clear GraphQL error or null, as the contract says — never a 500 or a stack trace. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp();
});
afterAll(async () => api.close());

const expectClientError = (result: Awaited<ReturnType<TestApp['query']>>, message: RegExp) => {
  expect(result.status).toBeLessThan(500);
  expect(result.errors?.[0]?.message).toMatch(message);
  expect(JSON.stringify(result)).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
};

describe('bad input to queries', () => {
  it.each(['yesterday', '2026-13-01T00:00:00Z', '2026-03-05T09:00:00', '2026-02-30T00:00:00Z'])('refuses the DateTime %j with a clear message', async (asOf) => {
    expectClientError(await api.query(`query($asOf: DateTime) { orgChart(asOf: $asOf) { name } }`, { asOf }), /DateTime/);
  });

  it('refuses a malformed DateTime literal too', async () => {
    expectClientError(await api.query(`{ person(handle: "lin-junyang", knownAt: "soon") { name } }`), /DateTime/);
  });

  it('answers null for an unknown handle', async () => {
    const result = await api.query(`{ person(handle: "no-such-person") { name } orgUnit(handle: "no-such-unit") { name } }`);
    expect(result).toMatchObject({ status: 200, data: { person: null, orgUnit: null } });
    expect(result.errors).toBeUndefined();
  });

  it.each(['garbage', 'cGVyc29uOmxpbi1qdW55YW5n', 'ZXZlbnQ6OTk5OTk5'])('refuses the cursor %j', async (after) => {
    expectClientError(await api.query(`query($after: String) { events(first: 2, after: $after) { edges { cursor } } }`, { after }), /cursor|does not point/);
    const people = await api.query(`query($after: String) { people(first: 2, after: $after) { edges { cursor } } }`, { after: after === 'cGVyc29uOmxpbi1qdW55YW5n' ? 'ZXZlbnQ6MQ' : after });
    expectClientError(people, /not a person cursor/);
  });

  it('refuses a page size out of range', async () => {
    expectClientError(await api.query(`{ events(first: -1) { edges { cursor } } }`), /first must be between/);
    expectClientError(await api.query(`{ people(first: 100000) { edges { cursor } } }`), /first must be between/);
  });

  it('answers null for a node id that names nothing', async () => {
    const result = await api.query(`{ node(id: "UGVyc29uOm5vYm9keQ") { id } }`);
    expect(result.status).toBe(200);
    expect(result.data).toEqual({ node: null });
  });

  it('refuses an id that is not a global id', async () => {
    const result = await api.query(`{ node(id: "%%%") { id } }`);
    expect(result.status).toBeLessThan(500);
    expect(result.data?.node ?? null).toBeNull();
  });

  it('refuses changes whose range runs backwards', async () => {
    expectClientError(await api.query(`{ changes(from: "2026-03-06T00:00:00Z", to: "2026-03-01T00:00:00Z") { summary } }`), /must not be before/);
  });
});
