/**
 * The rebuild (`orgtime replay`) reads the log grouped by entity and writes by COPY into fresh
 * tables; the live projector reads it in log order, batch by batch. Both must reach the same
 * read model, on a history with rumors, confirmations, retractions and departures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrgGenerator } from '../../bench/lib/generate.ts';
import { appendToStreams } from '../../src/core/event-store/group-append.ts';
import { Projector, readCheckpoint } from '../../src/core/projection/projector.ts';
import { projectionChecksum, replay } from '../../src/core/projection/replay.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
// A small organisation, so that churn (moves, departures, rumors and their corrections) starts early.
const generator = new OrgGenerator(7, { divisions: 2, departments: 3, teams: 3, teamSize: 5 });

beforeAll(async () => {
  db = await createTestDatabase();
  while (generator.emitted < 4000) await appendToStreams(db.sql, generator.take(500), new Map());
  // Odd batch boundaries, so transactions are split across batches as they are in production.
  await new Projector(db.sql, { batchSize: 97 }).catchUp();
});
afterAll(async () => db.drop());

const indexes = () => db.sql`SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND (tablename LIKE '%_versions' OR tablename = 'entity_facts') ORDER BY indexname`;
const eventTypes = async () => new Set((await db.sql<{ type: string }[]>`SELECT DISTINCT type FROM events`).map((r) => r.type));

describe('rebuilding the projections from the log', () => {
  it('reaches exactly the live projector state, with the same indexes, on fresh tables', async () => {
    // The history exercises what makes projection hard, or this test proves little.
    const types = await eventTypes();
    for (const type of ['EventConfirmed', 'EventRetracted', 'DepartureAnnounced', 'RoleEnded', 'OrgUnitMoved']) expect([...types]).toContain(type);

    const live = await projectionChecksum(db.sql);
    const before = await indexes();
    const [{ oid: oldTable }] = (await db.sql<{ oid: number }[]>`SELECT 'role_versions'::regclass::oid AS oid`) as unknown as [{ oid: number }];
    const rebuilt = await replay(db.sql, { verify: true, batchSize: 333 });
    expect(rebuilt).toMatchObject({ ok: true, mode: 'swap', events: 4000 });
    expect(rebuilt.after).toEqual(live);
    expect(await indexes()).toEqual(before);
    const [{ oid: newTable }] = (await db.sql<{ oid: number }[]>`SELECT 'role_versions'::regclass::oid AS oid`) as unknown as [{ oid: number }];
    expect(newTable).not.toBe(oldTable);
    // No staging table is left behind.
    expect(await db.sql`SELECT relname FROM pg_class WHERE relname LIKE '%_rebuild'`).toEqual([]);
  });

  it('leaves the live projector able to carry on from the rebuilt checkpoint', async () => {
    const checkpoint = await readCheckpoint(db.sql);
    expect(checkpoint.position).toBe(4000n);
    await appendToStreams(db.sql, generator.take(300), new Map());
    await new Projector(db.sql, { batchSize: 50 }).catchUp();
    expect((await readCheckpoint(db.sql)).position).toBe(4300n);
    const live = await projectionChecksum(db.sql);
    expect((await replay(db.sql, { verify: true })).after).toEqual(live);
  });

  it('rebuilds in place, keeping what an operator hung on the tables, when a view depends on them', async () => {
    await db.sql`CREATE VIEW current_roles AS SELECT person_handle, unit_handle FROM role_versions WHERE known_to IS NULL`;
    const [{ oid: table }] = (await db.sql<{ oid: number }[]>`SELECT 'role_versions'::regclass::oid AS oid`) as unknown as [{ oid: number }];
    const rebuilt = await replay(db.sql, { verify: true });
    expect(rebuilt).toMatchObject({ ok: true, mode: 'in-place' });
    const [{ oid: after }] = (await db.sql<{ oid: number }[]>`SELECT 'role_versions'::regclass::oid AS oid`) as unknown as [{ oid: number }];
    expect(after).toBe(table);
    expect((await db.sql`SELECT count(*)::int AS n FROM current_roles`)[0]!.n).toBeGreaterThan(0);
    await db.sql`DROP VIEW current_roles`;
  });
});
