/**
 * The rebuild (`orgtime replay`) reads the log grouped by entity and writes by COPY into fresh
 * tables; the live projector reads it in log order, batch by batch. Both must reach the same
 * read model, on a history with rumors, confirmations, retractions and departures.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OrgGenerator } from '../../bench/lib/generate.ts';
import { executeCommand } from '../../src/core/commands/execute.ts';
import type { NewEvent } from '../../src/core/domain/events.ts';
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
const constraints = () => db.sql`SELECT conrelid::regclass::text AS table, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint
  WHERE conrelid::regclass::text IN ('entity_facts', 'person_versions', 'unit_versions', 'role_versions') ORDER BY 1, 2`;
const eventTypes = async () => new Set((await db.sql<{ type: string }[]>`SELECT DISTINCT type FROM events`).map((r) => r.type));

describe('rebuilding the projections from the log', () => {
  it('reaches exactly the live projector state, with the same indexes, on fresh tables', async () => {
    // The history exercises what makes projection hard, or this test proves little.
    const types = await eventTypes();
    for (const type of ['EventConfirmed', 'EventRetracted', 'DepartureAnnounced', 'RoleEnded', 'OrgUnitMoved']) expect([...types]).toContain(type);

    const live = await projectionChecksum(db.sql);
    const before = await indexes();
    const constrained = await constraints();
    expect(constrained.map((c) => c.conname)).toEqual(expect.arrayContaining(['entity_facts_pkey', 'entity_facts_event_id_key', 'role_versions_pkey']));
    const [{ oid: oldTable }] = (await db.sql<{ oid: number }[]>`SELECT 'role_versions'::regclass::oid AS oid`) as unknown as [{ oid: number }];
    const rebuilt = await replay(db.sql, { verify: true });
    expect(rebuilt).toMatchObject({ ok: true, mode: 'swap', events: 4000 });
    expect(rebuilt.after).toEqual(live);
    expect(await indexes()).toEqual(before);
    expect(await constraints()).toEqual(constrained);
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

  it('gives each fact the standing its last correction of each kind gave it live, whoever wrote the corrections', async () => {
    // Corrections the deciders would refuse, as a writer bypassing orgtime could append them:
    // a second and third confirmation of one rumor (each later, in its own transaction), a
    // retraction after a confirmation, a correction of a correction (shapes nothing) and one
    // naming its target in capitals (not the id as stored).
    const [rumor] = (await db.sql<{ event_id: string; stream: string }[]>`
      SELECT event_id::text, stream_id AS stream FROM events WHERE metadata ->> 'confidence' = 'RUMORED' AND type = 'RoleAssigned' ORDER BY position DESC LIMIT 1`) as unknown as [{ event_id: string; stream: string }];
    const correction = (type: 'EventConfirmed' | 'EventRetracted', eventId: string): NewEvent =>
      ({ type, data: type === 'EventConfirmed' ? { eventId } : { eventId, reason: 'test' }, eventId: randomUUID(), stream: rumor.stream, occurredAt: new Date(), metadata: { confidence: 'CONFIRMED', actor: 'test' } }) as NewEvent;
    const [first] = await appendToStreams(db.sql, [correction('EventConfirmed', rumor.event_id)], new Map());
    for (const next of [correction('EventConfirmed', rumor.event_id), correction('EventRetracted', first!.eventId), correction('EventConfirmed', rumor.event_id.toUpperCase()), correction('EventRetracted', rumor.event_id)])
      await appendToStreams(db.sql, [next], new Map());
    await new Projector(db.sql, { batchSize: 2 }).catchUp();
    const [live] = await db.sql<{ confirmed_at: Date; retracted_at: Date }[]>`SELECT confirmed_at, retracted_at FROM entity_facts WHERE event_id = ${rumor.event_id}`;
    const [second] = await db.sql<{ recorded_at: Date }[]>`SELECT recorded_at FROM events WHERE type = 'EventConfirmed' ORDER BY position DESC OFFSET 1 LIMIT 1`;
    // The live projector's answer, which the rebuild must reproduce: the later plain confirmation.
    expect(live!.confirmed_at.getTime()).toBe(new Date(second!.recorded_at).getTime());
    expect(live!.retracted_at).not.toBeNull();

    const before = await projectionChecksum(db.sql);
    expect(await replay(db.sql, { verify: true })).toMatchObject({ ok: true, after: before });
  });

  it('carries every character of names, titles and sources through the rebuild', async () => {
    // What COPY's text format must escape (tab, newline, carriage return, backslash, \b \f \v),
    // JSON's own escapes inside jsonb, and text beyond ASCII.
    const awkward = 'Tab\there, new\nline, CR\r, back\\slash \\N, "quoted", \b\f\v, 通义千问 🚀';
    const source = { title: awkward, publisher: 'P\\ub\tlisher', url: 'https://example.org/a?b=c\\d', quote: `${awkward}\n— said "someone"` };
    const base = { effectiveAt: new Date('2026-03-03T10:00:00Z'), confidence: 'REPORTED' as const, source };
    await executeCommand(db.sql, { ...base, type: 'CreateOrgUnit', handle: 'odd-lab', name: awkward, kind: 'team\tkind', parent: null }, { actor: 'test' });
    await executeCommand(db.sql, { ...base, type: 'RegisterPerson', handle: 'odd-person', name: awkward, nativeName: '千问\\\n名' }, { actor: 'test' });
    await executeCommand(db.sql, { ...base, type: 'AssignRole', person: 'odd-person', unit: 'odd-lab', title: awkward, reportsTo: null }, { actor: 'test' });
    await new Projector(db.sql, { batchSize: 10 }).catchUp();

    const live = await projectionChecksum(db.sql);
    expect(await replay(db.sql, { verify: true })).toMatchObject({ ok: true, after: live });
    const [person] = await db.sql<{ name: string; native_name: string; sources: unknown }[]>`
      SELECT name, native_name, sources FROM person_versions WHERE handle = 'odd-person' AND known_to IS NULL AND tier_min = 0`;
    expect(person).toEqual({ name: awkward, native_name: '千问\\\n名', sources: [source] });
    const [role] = await db.sql<{ title: string }[]>`SELECT title FROM role_versions WHERE person_handle = 'odd-person'`;
    expect(role!.title).toBe(awkward);
  });

  it('leaves the read model as it was, and no table of its own, when the rebuild fails', async () => {
    // An operator's table holding the name the rebuild gives an index while building it.
    await db.sql`CREATE TABLE role_versions_role_idx_rebuild (x int)`;
    const live = await projectionChecksum(db.sql);
    const checkpoint = await readCheckpoint(db.sql);
    await expect(replay(db.sql)).rejects.toThrow(/role_versions_role_idx_rebuild/);
    expect(await projectionChecksum(db.sql)).toEqual(live);
    expect(await readCheckpoint(db.sql)).toEqual(checkpoint);
    expect(await db.sql`SELECT relname FROM pg_class WHERE relname LIKE '%_rebuild' ORDER BY relname`).toEqual([{ relname: 'role_versions_role_idx_rebuild' }]);
    await db.sql`DROP TABLE role_versions_role_idx_rebuild`;
    expect(await replay(db.sql, { verify: true })).toMatchObject({ ok: true, mode: 'swap', after: live });
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
