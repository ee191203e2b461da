/** Racing clients: an idempotency key appends once; writers on one stream are applied or told CONFLICT, never lost. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { command, ok } from '../support/mutations.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
  await ok(api, 'createOrgUnit', { handle: 'hub', name: 'Hub', kind: 'company', effectiveAt: '2025-01-01T00:00:00Z' });
  await ok(api, 'registerPerson', { handle: 'sam', name: 'Sam', effectiveAt: '2025-01-01T00:00:00Z' });
});
afterAll(async () => api.close());

describe('an idempotency key', () => {
  it('makes 20 identical concurrent commands append exactly once, all answering with the same events', async () => {
    const input = { person: 'sam', unit: 'hub', title: 'Chair', effectiveAt: '2025-02-01T00:00:00Z', idempotencyKey: 'chair-2025' };
    const payloads = await Promise.all(Array.from({ length: 20 }, () => command(api, 'assignRole', input)));
    for (const payload of payloads) expect(payload.userErrors).toEqual([]);
    const ids = new Set(payloads.map((p) => p.events.map((e) => e.eventId).join()));
    expect(ids.size).toBe(1);
    expect(await api.db.sql`SELECT count(*)::int AS n FROM events WHERE type = 'RoleAssigned' AND data ->> 'title' = 'Chair'`).toEqual([{ n: 1 }]);
  });

  it('refuses the same key for a different command', async () => {
    const payload = await command(api, 'assignRole', { person: 'sam', unit: 'hub', title: 'Treasurer', idempotencyKey: 'chair-2025' });
    expect(payload.userErrors).toMatchObject([{ code: 'VALIDATION', field: ['input', 'idempotencyKey'] }]);
  });
});

describe('20 different commands on one stream at once', () => {
  it('are each either applied or refused with CONFLICT — none lost, none duplicated', async () => {
    const [{ version }] = (await api.db.sql`SELECT max(stream_version)::int AS version FROM events WHERE stream_id = 'person-sam'`) as unknown as [{ version: number }];
    const payloads = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        command(api, 'assignRole', { person: 'sam', unit: 'hub', title: `Project ${i}`, effectiveAt: '2025-03-01T00:00:00Z', expectedVersion: version }),
      ),
    );
    const applied = payloads.filter((p) => p.userErrors.length === 0);
    const conflicts = payloads.filter((p) => p.userErrors[0]?.code === 'CONFLICT');
    expect(applied.length + conflicts.length).toBe(20);
    expect(applied).toHaveLength(1); // all read the same version: exactly one can win
    const stored = await api.db.sql<{ title: string }[]>`SELECT data ->> 'title' AS title FROM events WHERE stream_id = 'person-sam' AND stream_version > ${version}`;
    expect(stored.map((r) => r.title)).toEqual([applied[0]!.events[0]!.data.title]);

    // Without expectedVersion the writers queue on the stream and all 20 are applied, in some order.
    const unguarded = await Promise.all(
      Array.from({ length: 20 }, (_, i) => command(api, 'assignRole', { person: 'sam', unit: 'hub', title: `Task ${i}`, effectiveAt: '2025-04-01T00:00:00Z' })),
    );
    expect(unguarded.every((p) => p.userErrors.length === 0)).toBe(true);
    const versions = await api.db.sql<{ v: number }[]>`SELECT stream_version AS v FROM events WHERE stream_id = 'person-sam' ORDER BY stream_version`;
    expect(versions.map((r) => r.v)).toEqual(Array.from({ length: versions.length }, (_, i) => i + 1));
    const roles = await api.query(`{ person(handle: "sam", asOf: "2025-05-01T00:00:00Z") { roles { title } } }`);
    expect(roles.data.person.roles.filter((r: { title: string }) => r.title.startsWith('Task'))).toHaveLength(20);
  });
});

describe('the same new person registered by 10 clients at once, without a key', () => {
  it('is registered once; the others are told it exists — a decision is never appended on a stale read', async () => {
    const payloads = await Promise.all(Array.from({ length: 10 }, () => command(api, 'registerPerson', { handle: 'twin', name: 'Twin', effectiveAt: '2025-01-02T00:00:00Z' })));
    const applied = payloads.filter((p) => p.userErrors.length === 0);
    expect(applied).toHaveLength(1);
    for (const refused of payloads.filter((p) => p.userErrors.length > 0)) expect(refused.userErrors[0]).toMatchObject({ code: 'DUPLICATE' });
    expect(await api.db.sql`SELECT count(*)::int AS n FROM events WHERE stream_id = 'person-twin'`).toEqual([{ n: 1 }]);
  });
});
