/** Every mutation through yoga.fetch: its success, each refusal code, and that refusals append nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { command, logSize, ok } from '../support/mutations.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
  await ok(api, 'createOrgUnit', { handle: 'acme', name: 'Acme', kind: 'company', effectiveAt: '2020-01-01T00:00:00Z' });
  await ok(api, 'createOrgUnit', { handle: 'rnd', name: 'R&D', kind: 'division', parent: 'acme', effectiveAt: '2020-01-01T00:00:00Z' });
  await ok(api, 'registerPerson', { handle: 'ada', name: 'Ada Lovelace', effectiveAt: '2020-01-01T00:00:00Z' });
  await ok(api, 'registerPerson', { handle: 'charles', name: 'Charles Babbage', effectiveAt: '2020-01-01T00:00:00Z' });
});
afterAll(async () => api.close());

/** A refusal: the code, the field at fault, and an untouched log. */
const refused = async (name: string, input: Record<string, unknown>, code: string, field?: string[]) => {
  const before = await logSize(api);
  const payload = await command(api, name, input);
  expect(payload.events).toEqual([]);
  expect(payload.userErrors).toHaveLength(1);
  expect(payload.userErrors[0]).toMatchObject({ code, ...(field ? { field } : {}) });
  expect(payload.userErrors[0]!.message.length).toBeGreaterThan(10);
  expect(await logSize(api)).toBe(before);
  return payload.userErrors[0]!;
};

describe('each mutation records its event, as the token\'s actor, with its source', () => {
  it('registerPerson, createOrgUnit, assignRole, announceDeparture, endRole, moveOrgUnit, dissolveOrgUnit', async () => {
    const [person] = await ok(api, 'registerPerson', { handle: 'grace', name: 'Grace Hopper', nativeName: 'Grace Brewster Hopper', effectiveAt: '2021-01-01T00:00:00Z', source: { title: 'Bio', url: 'https://example.org/grace', publishedAt: '2021-01-01T00:00:00+08:00', quote: 'Grace joined.' } });
    expect(person).toMatchObject({ type: 'PersonRegistered', stream: 'person-grace', version: 1, actor: 'tester', confidence: 'CONFIRMED' });

    const [unit] = await ok(api, 'createOrgUnit', { handle: 'compilers', name: 'Compilers', kind: 'team', parent: 'rnd', effectiveAt: '2021-01-01T00:00:00Z' });
    expect(unit).toMatchObject({ type: 'OrgUnitCreated', data: { parent: 'rnd' } });

    const [role] = await ok(api, 'assignRole', { person: 'grace', unit: 'compilers', title: 'Lead', reportsTo: 'ada', effectiveAt: '2021-02-01T00:00:00Z', confidence: 'REPORTED' });
    expect(role).toMatchObject({ type: 'RoleAssigned', stream: 'person-grace', version: 2, confidence: 'REPORTED', data: { reportsTo: 'ada' } });

    expect(await ok(api, 'announceDeparture', { person: 'grace', unit: 'compilers', effectiveAt: '2021-06-01T00:00:00Z' })).toMatchObject([{ type: 'DepartureAnnounced' }]);
    expect(await ok(api, 'endRole', { person: 'grace', unit: 'compilers', reason: 'retired', effectiveAt: '2021-07-01T00:00:00Z' })).toMatchObject([{ type: 'RoleEnded', data: { reason: 'retired' } }]);
    expect(await ok(api, 'moveOrgUnit', { unit: 'compilers', newParent: 'acme', effectiveAt: '2021-08-01T00:00:00Z' })).toMatchObject([{ type: 'OrgUnitMoved', data: { parent: 'acme', previousParent: 'rnd' } }]);
    expect(await ok(api, 'renameOrgUnit', { unit: 'compilers', name: 'Languages', effectiveAt: '2021-08-15T00:00:00Z' })).toMatchObject([{ type: 'OrgUnitRenamed' }]);
    expect(await ok(api, 'dissolveOrgUnit', { unit: 'compilers', effectiveAt: '2021-09-01T00:00:00Z' })).toMatchObject([{ type: 'OrgUnitDissolved' }]);

    // Read-your-writes: the response came back only once the projection had it.
    const read = await api.query(`{ person(handle: "grace", asOf: "2021-03-01T00:00:00Z") { roles { title status confidence reportsTo { handle } unit { name parent { handle } } } }
      after: orgUnit(handle: "compilers", asOf: "2021-08-20T00:00:00Z") { name parent { handle } }
      gone: orgUnit(handle: "compilers", asOf: "2021-09-02T00:00:00Z") { name } }`);
    expect(read.data).toEqual({
      person: { roles: [{ title: 'Lead', status: 'ACTIVE', confidence: 'REPORTED', reportsTo: { handle: 'ada' }, unit: { name: 'Compilers', parent: { handle: 'rnd' } } }] },
      after: { name: 'Languages', parent: { handle: 'acme' } },
      gone: null,
    });
  });
});

describe('refusals carry a stable code and the input path, and append nothing', () => {
  it('NOT_FOUND for an unknown handle', async () => {
    await refused('assignRole', { person: 'nobody', unit: 'acme', title: 'X' }, 'NOT_FOUND', ['input', 'person']);
    await refused('assignRole', { person: 'ada', unit: 'nowhere', title: 'X' }, 'NOT_FOUND', ['input', 'unit']);
    await refused('endRole', { person: 'ada', unit: 'nowhere' }, 'NOT_FOUND', ['input', 'unit']);
    await refused('moveOrgUnit', { unit: 'rnd', newParent: 'nowhere' }, 'NOT_FOUND', ['input', 'newParent']);
    await refused('confirmEvent', { eventId: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', ['input', 'eventId']);
  });

  it('VALIDATION for malformed or impossible input', async () => {
    await refused('registerPerson', { handle: '', name: 'Empty' }, 'VALIDATION', ['input', 'handle']);
    await refused('registerPerson', { handle: 'Bad Handle', name: 'X' }, 'VALIDATION', ['input', 'handle']);
    await refused('assignRole', { person: 'ada', unit: 'acme', title: 'x'.repeat(201) }, 'VALIDATION', ['input', 'title']);
    await refused('registerPerson', { handle: 'k', name: 'K', idempotencyKey: '' }, 'VALIDATION', ['input', 'idempotencyKey']);
  });

  it('ILLEGAL_STATE for ending a role not held then, or assigning into a dissolved unit', async () => {
    await ok(api, 'createOrgUnit', { handle: 'temp', name: 'Temp', kind: 'team', parent: 'acme', effectiveAt: '2022-01-01T00:00:00Z' });
    await ok(api, 'assignRole', { person: 'ada', unit: 'temp', title: 'Lead', effectiveAt: '2022-02-01T00:00:00Z' });
    // A retroactive end cannot precede the role's start.
    await refused('endRole', { person: 'ada', unit: 'temp', effectiveAt: '2022-01-15T00:00:00Z' }, 'ILLEGAL_STATE', ['input', 'effectiveAt']);
    await refused('dissolveOrgUnit', { unit: 'temp', effectiveAt: '2022-03-01T00:00:00Z' }, 'ILLEGAL_STATE', ['input', 'unit']);
    await ok(api, 'endRole', { person: 'ada', unit: 'temp', effectiveAt: '2022-02-15T00:00:00Z' });
    await ok(api, 'dissolveOrgUnit', { unit: 'temp', effectiveAt: '2022-03-01T00:00:00Z' });
    await refused('assignRole', { person: 'charles', unit: 'temp', title: 'Lead', effectiveAt: '2022-04-01T00:00:00Z' }, 'ILLEGAL_STATE', ['input', 'unit']);
  });

  it('CYCLE for moving a unit under its own descendant, or reporting to oneself', async () => {
    await refused('moveOrgUnit', { unit: 'acme', newParent: 'rnd' }, 'CYCLE', ['input', 'newParent']);
    await refused('assignRole', { person: 'ada', unit: 'rnd', title: 'Lead', reportsTo: 'ada' }, 'CYCLE', ['input', 'reportsTo']);
  });

  it('CYCLE for a move that loops with a move already scheduled in the future', async () => {
    await ok(api, 'createOrgUnit', { handle: 'left', name: 'Left', kind: 'team', effectiveAt: '2022-01-01T00:00:00Z' });
    await ok(api, 'createOrgUnit', { handle: 'right', name: 'Right', kind: 'team', effectiveAt: '2022-01-01T00:00:00Z' });
    await ok(api, 'moveOrgUnit', { unit: 'right', newParent: 'left', effectiveAt: '2030-01-01T00:00:00Z' });
    const error = await refused('moveOrgUnit', { unit: 'left', newParent: 'right', effectiveAt: '2029-01-01T00:00:00Z' }, 'CYCLE');
    expect(error.message).toContain('2030-01-01');
  });

  it('DUPLICATE when the handle is taken', async () => {
    await refused('registerPerson', { handle: 'ada', name: 'Another Ada' }, 'DUPLICATE', ['input', 'handle']);
    await refused('createOrgUnit', { handle: 'acme', name: 'Acme 2', kind: 'company' }, 'DUPLICATE', ['input', 'handle']);
  });

  it('CONFLICT when the stream moved on since the client read it (expectedVersion)', async () => {
    const error = await refused('assignRole', { person: 'charles', unit: 'rnd', title: 'Engineer', expectedVersion: 0 }, 'CONFLICT', ['input', 'expectedVersion']);
    expect(error.message).toMatch(/person-charles is at version 1, expected 0/);
    await ok(api, 'assignRole', { person: 'charles', unit: 'rnd', title: 'Engineer', expectedVersion: 1, effectiveAt: '2020-02-01T00:00:00Z' });
  });
});

describe('writing needs the token', () => {
  it('refuses a mutation without Authorization as UNAUTHENTICATED, writing nothing', async () => {
    const before = await logSize(api);
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic dGVzdA==' }];
    for (const headers of attempts) {
      const result = await api.query(`mutation { registerPerson(input: { handle: "mallory", name: "Mallory" }) { events { id } } }`, {}, headers);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await logSize(api)).toBe(before);
    expect((await api.query(`{ person(handle: "mallory") { name } }`)).data).toEqual({ person: null });
  });

  it('leaves reads open', async () => {
    expect((await api.query(`{ person(handle: "ada") { name } }`)).data).toEqual({ person: { name: 'Ada Lovelace' } });
  });
});
