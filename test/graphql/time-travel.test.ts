/** Back-dated and future-dated changes, and corrections read before and after with knownAt. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ok } from '../support/mutations.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
  await ok(api, 'createOrgUnit', { handle: 'studio', name: 'Studio', kind: 'company', effectiveAt: '2024-01-01T00:00:00Z' });
  await ok(api, 'createOrgUnit', { handle: 'design', name: 'Design', kind: 'team', parent: 'studio', effectiveAt: '2024-01-01T00:00:00Z' });
  await ok(api, 'createOrgUnit', { handle: 'research', name: 'Research', kind: 'team', parent: 'studio', effectiveAt: '2024-01-01T00:00:00Z' });
  await ok(api, 'registerPerson', { handle: 'mia', name: 'Mia', effectiveAt: '2024-01-01T00:00:00Z' });
});
afterAll(async () => api.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rolesAt = async (asOf: string, knownAt?: string, minConfidence?: string) => {
  const result = await api.query(`query($asOf: DateTime, $knownAt: DateTime, $min: Confidence) { person(handle: "mia", asOf: $asOf, knownAt: $knownAt, minConfidence: $min) { roles { title status confidence unit { handle } } } }`, { asOf, knownAt, min: minConfidence });
  expect(result.errors).toBeUndefined();
  return result.data.person?.roles ?? null;
};

describe('effective time in the past and the future', () => {
  it('shows a back-dated role and its later-recorded end at each asOf', async () => {
    await ok(api, 'assignRole', { person: 'mia', unit: 'design', title: 'Designer', effectiveAt: '2024-02-01T00:00:00Z' });
    // Recorded today, effective months ago.
    await ok(api, 'endRole', { person: 'mia', unit: 'design', effectiveAt: '2024-05-01T00:00:00Z' });
    expect(await rolesAt('2024-01-15T00:00:00Z')).toEqual([]);
    expect(await rolesAt('2024-03-01T00:00:00Z')).toEqual([{ title: 'Designer', status: 'ACTIVE', confidence: 'CONFIRMED', unit: { handle: 'design' } }]);
    expect(await rolesAt('2024-06-01T00:00:00Z')).toEqual([]);
  });

  it('shows a future-dated move only from its effective time', async () => {
    await ok(api, 'moveOrgUnit', { unit: 'design', newParent: 'research', effectiveAt: '2099-01-01T00:00:00Z' });
    const parentAt = async (asOf: string) => (await api.query(`query($asOf: DateTime) { orgUnit(handle: "design", asOf: $asOf) { parent { handle } } }`, { asOf })).data.orgUnit.parent.handle;
    expect(await parentAt('2098-12-31T23:59:59Z')).toBe('studio');
    expect(await parentAt('2099-01-01T00:00:00Z')).toBe('research');
    const chart = await api.query(`{ now: orgChart { handle children { handle } } later: orgChart(asOf: "2099-06-01T00:00:00Z") { handle children { handle children { handle } } } }`);
    expect(chart.data.now[0].children.map((c: { handle: string }) => c.handle).sort()).toEqual(['design', 'research']);
    expect(chart.data.later[0].children).toEqual([{ handle: 'research', children: [{ handle: 'design' }] }]);
  });
});

describe('corrections never rewrite history', () => {
  it('a retracted rumor disappears for readers who know of the retraction, and only for them', async () => {
    const [rumor] = await ok(api, 'assignRole', { person: 'mia', unit: 'research', title: 'Head of research', confidence: 'RUMORED', effectiveAt: '2024-07-01T00:00:00Z' });
    await sleep(5);
    const [retraction] = await ok(api, 'retractEvent', { eventId: rumor!.eventId, reason: 'denied by the studio' });
    expect(retraction).toMatchObject({ type: 'EventRetracted', stream: 'person-mia', occurredAt: rumor!.occurredAt });
    const before = new Date(new Date(retraction!.recordedAt).getTime() - 1).toISOString();

    expect(await rolesAt('2024-08-01T00:00:00Z', before)).toEqual([{ title: 'Head of research', status: 'ACTIVE', confidence: 'RUMORED', unit: { handle: 'research' } }]);
    expect(await rolesAt('2024-08-01T00:00:00Z', retraction!.recordedAt)).toEqual([]);
    expect(await rolesAt('2024-08-01T00:00:00Z')).toEqual([]);
    // Before the rumor was recorded at all, nobody knew of it.
    expect(await rolesAt('2024-08-01T00:00:00Z', new Date(new Date(rumor!.recordedAt).getTime() - 1).toISOString())).toEqual([]);

    // The log still holds both: history is appended to, not edited.
    const log = await api.query(`{ events(first: 100, stream: "person-mia") { edges { node { type } } } }`);
    expect(log.data.events.edges.map((e: { node: { type: string } }) => e.node.type)).toEqual(['PersonRegistered', 'RoleAssigned', 'RoleEnded', 'RoleAssigned', 'EventRetracted']);

    const changes = async (knownAt?: string) =>
      (await api.query(`query($k: DateTime) { changes(from: "2024-06-01T00:00:00Z", to: "2024-12-31T00:00:00Z", knownAt: $k) { summary } }`, { k: knownAt })).data.changes;
    expect(await changes(before)).toEqual([{ summary: 'Mia joined Research as head of research' }]);
    expect(await changes()).toEqual([]);
  });

  it('a confirmed report passes minConfidence: CONFIRMED only once the confirmation is known', async () => {
    const [report] = await ok(api, 'assignRole', { person: 'mia', unit: 'studio', title: 'Advisor', confidence: 'REPORTED', effectiveAt: '2024-09-01T00:00:00Z' });
    await sleep(5);
    const [confirmation] = await ok(api, 'confirmEvent', { eventId: report!.id, source: { title: 'Press release', publisher: 'Studio' } });
    const before = new Date(new Date(confirmation!.recordedAt).getTime() - 1).toISOString();

    expect(await rolesAt('2024-10-01T00:00:00Z', before, 'CONFIRMED')).toEqual([]);
    expect(await rolesAt('2024-10-01T00:00:00Z', before, 'REPORTED')).toEqual([{ title: 'Advisor', status: 'ACTIVE', confidence: 'REPORTED', unit: { handle: 'studio' } }]);
    expect(await rolesAt('2024-10-01T00:00:00Z', confirmation!.recordedAt, 'CONFIRMED')).toEqual([{ title: 'Advisor', status: 'ACTIVE', confidence: 'CONFIRMED', unit: { handle: 'studio' } }]);
  });

  it('refuses to retract the same event twice', async () => {
    const [fact] = await ok(api, 'assignRole', { person: 'mia', unit: 'research', title: 'Reviewer', effectiveAt: '2024-11-01T00:00:00Z' });
    await ok(api, 'retractEvent', { eventId: fact!.eventId, reason: 'typo' });
    const again = await api.mutate(`mutation($id: ID!) { retractEvent(input: { eventId: $id, reason: "again" }) { userErrors { code field } } }`, { id: fact!.eventId });
    expect(again.data.retractEvent.userErrors).toEqual([{ code: 'ILLEGAL_STATE', field: ['input', 'eventId'] }]);
  });
});
