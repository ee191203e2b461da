/** The log's guarantees, against a real PostgreSQL. */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../src/core/domain/errors.ts';
import type { NewEvent } from '../../src/core/domain/events.ts';
import { appendEvents, readAll, readStreams } from '../../src/core/event-store/event-store.ts';
import { appendToStreams } from '../../src/core/event-store/group-append.ts';
import { START_OF_LOG } from '../../src/core/event-store/rows.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const registration = (handle: string, eventId = randomUUID()): NewEvent => ({
  type: 'PersonRegistered',
  data: { handle, name: handle, nativeName: null },
  eventId,
  stream: `person-${handle}`,
  occurredAt: new Date('2026-01-01T00:00:00Z'),
  metadata: { confidence: 'CONFIRMED', actor: 'test' },
});

describe('the event log', () => {
  it('assigns positions, stream versions and a recorded time set by the database', async () => {
    const [first] = await appendToStreams(db.sql, [registration('alice')], new Map([['person-alice', 0]]));
    expect(first!.version).toBe(1);
    expect(first!.position).toBeGreaterThan(0n);
    expect(Math.abs(first!.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
    // The client cannot forge recorded time: the trigger overwrites it.
    await db.sql`INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, occurred_at, recorded_at)
      VALUES ('person-forger', 1, ${randomUUID()}, 'PersonRegistered', '{}', '{}', now(), '1999-01-01')`;
    const [forged] = await db.sql<{ recorded_at: Date }[]>`SELECT recorded_at FROM events WHERE stream_id = 'person-forger'`;
    expect(forged!.recorded_at.getFullYear()).toBeGreaterThan(2020);
  });

  it.each([
    ['UPDATE', `UPDATE events SET type = 'Tampered'`],
    ['DELETE', `DELETE FROM events`],
    ['TRUNCATE', `TRUNCATE events`],
    ['DELETE of nothing', `DELETE FROM events WHERE false`],
  ])('refuses %s whatever the client (append-only in the database)', async (_name, statement) => {
    const before = await db.sql`SELECT count(*)::int AS n, max(type) AS t FROM events`;
    await expect(db.sql.unsafe(statement)).rejects.toThrow(/append-only/);
    expect(await db.sql`SELECT count(*)::int AS n, max(type) AS t FROM events`).toEqual(before);
  });

  it('rejects an append whose expected version is stale, with the versions in a typed error', async () => {
    await appendToStreams(db.sql, [registration('bob')], new Map([['person-bob', 0]]));
    const error = await appendToStreams(db.sql, [registration('bob')], new Map([['person-bob', 0]])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ code: 'CONFLICT', stream: 'person-bob', expected: 0, actual: 1 });
    expect(await readStreams(db.sql, ['person-bob'])).toHaveLength(1);
  });

  it('appends to several streams all or nothing', async () => {
    const error = await appendToStreams(db.sql, [registration('carol'), registration('bob')], new Map([['person-carol', 0], ['person-bob', 0]])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(await readStreams(db.sql, ['person-carol'])).toHaveLength(0);
  });

  it('appends only while every stream the writer read is still where it was, written or not', async () => {
    // A writer decided on person-erin (read at version 0) and appends to person-frank only.
    await appendToStreams(db.sql, [registration('erin')], new Map([['person-erin', 0]]));
    const error = await appendToStreams(db.sql, [registration('frank')], new Map([['person-erin', 0], ['person-frank', 0]])).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CONFLICT', stream: 'person-erin', expected: 0, actual: 1 });
    expect(await readStreams(db.sql, ['person-frank'])).toHaveLength(0);
    const [appended] = await appendToStreams(db.sql, [registration('frank')], new Map([['person-erin', 1], ['person-frank', 0]]));
    expect(appended).toMatchObject({ stream: 'person-frank', version: 1 });
  });

  it('gives each event of a batch its stream version and a position in the batch order', async () => {
    const events = [registration('gil'), registration('gil'), registration('hana'), registration('gil')];
    const stored = await appendToStreams(db.sql, events, new Map());
    expect(stored.map((e) => [e.eventId, e.stream, e.version])).toEqual(events.map((e, i) => [e.eventId, e.stream, [1, 2, 1, 3][i]]));
    const positions = stored.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(stored.map((e) => e.transactionId)).size).toBe(1);
    expect((await readStreams(db.sql, ['person-gil'])).map((e) => e.eventId)).toEqual([events[0]!.eventId, events[1]!.eventId, events[3]!.eventId]);
  });

  it('appends after whatever is there when nothing is expected, however many writers race on one stream', async () => {
    // Separate pools, as separate service instances: no group commit orders them, so they race
    // for the same next versions and the losers must go after the winners, never fail.
    const writers = Array.from({ length: 4 }, () => postgres(db.url, { max: 2, onnotice: () => {} }));
    try {
      const appended = await Promise.all(
        writers.flatMap((sql, w) => Array.from({ length: 10 }, (_, i) => appendEvents(sql, [registration('ivy'), registration(`ivy-${w}-${i}`)], new Map()))),
      );
      const ivy = appended.map(([event]) => event!);
      expect(ivy.map((e) => e.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const stored = await readStreams(db.sql, ['person-ivy']);
      expect(stored.map((e) => e.version)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      expect(new Set(stored.map((e) => e.eventId))).toEqual(new Set(ivy.map((e) => e.eventId)));
      // Each append's other event went in with it (one transaction), at version 1 of its own stream.
      for (const [event, other] of appended) expect(other).toMatchObject({ version: 1, transactionId: event!.transactionId });
    } finally {
      await Promise.all(writers.map((sql) => sql.end()));
    }
  });

  it('cannot duplicate an event when the same append is retried (unique event id)', async () => {
    const event = registration('dave');
    await appendToStreams(db.sql, [event], new Map());
    await expect(appendToStreams(db.sql, [event], new Map())).rejects.toThrow(/events_event_id_key/);
    expect(await db.sql`SELECT count(*)::int AS n FROM events WHERE event_id = ${event.eventId}`).toEqual([{ n: 1 }]);
  });

  it('never lets a reader skip an event whose transaction commits late', async () => {
    const reader = async (after = START_OF_LOG) => readAll(db.sql, { after, limit: 10_000 });
    const seen = await reader();
    const checkpoint = { transactionId: seen.at(-1)!.transactionId, position: seen.at(-1)!.position };

    // A slow writer takes a position first, then a fast writer commits a later position.
    const slow = await db.sql.reserve();
    await slow`BEGIN`;
    await slow`INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, occurred_at)
      VALUES ('person-slow', 1, ${randomUUID()}, 'PersonRegistered', '{"handle":"slow","name":"slow","nativeName":null}', '{"confidence":"CONFIRMED","actor":"t"}', now())`;
    await appendToStreams(db.sql, [registration('fast')], new Map());

    // While the slow one is open, the fast event is not handed out: the reader would move past the slow one.
    expect((await reader(checkpoint)).map((e) => e.stream)).toEqual([]);
    await slow`COMMIT`;
    slow.release();
    const next = await reader(checkpoint);
    expect(next.map((e) => e.stream)).toEqual(['person-slow', 'person-fast']);
  });
});
