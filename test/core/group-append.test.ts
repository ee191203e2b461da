/** Group commit: concurrent appends share a statement, never each other's fate. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../src/core/domain/errors.ts';
import type { NewEvent } from '../../src/core/domain/events.ts';
import { readStreams } from '../../src/core/event-store/event-store.ts';
import { appendToStreams, disjointRounds } from '../../src/core/event-store/group-append.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

// The log does not read its events' data: any type and payload will do.
const event = (stream: string, type: NewEvent['type'] = 'PersonRegistered', eventId = randomUUID()): NewEvent =>
  ({
  type,
  data: { handle: stream, name: stream, nativeName: null },
  eventId,
  stream,
  occurredAt: new Date('2026-01-01T00:00:00Z'),
  metadata: { confidence: 'CONFIRMED', actor: 'test' },
  }) as NewEvent;

const settle = <T>(promises: Array<Promise<T>>) => Promise.all(promises.map((p) => p.then((value) => ({ value }), (error: unknown) => ({ error }))));

describe('group commit', () => {
  it('writes concurrent appends in shared transactions, an even share per statement slot, each in its own stream order', async () => {
    const streams = Array.from({ length: 20 }, (_, i) => `person-g${i}-${randomUUID().slice(0, 8)}`);
    const appended = await Promise.all(streams.map((s) => appendToStreams(db.sql, [event(s), event(s, 'DepartureAnnounced')], new Map([[s, 0]]))));
    expect(appended.map((events) => events.map((e) => [e.stream, e.version]))).toEqual(streams.map((s) => [[s, 1], [s, 2]]));
    // Twenty appends arriving together, two statement slots: two groups of ten, in arrival order.
    const transactions = [...new Set(appended.flat().map((e) => e.transactionId))];
    expect(transactions).toHaveLength(2);
    const groups = transactions.map((tx) => appended.filter((events) => events[0]!.transactionId === tx));
    expect(groups.map((g) => g.map((events) => events[0]!.stream))).toEqual([streams.slice(0, 10), streams.slice(10)]);
    for (const group of groups) {
      const positions = group.flat().map((e) => e.position);
      expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    }
    expect(await readStreams(db.sql, streams)).toHaveLength(40);
  });

  it('refuses only the append whose expectation is stale, naming its stream and versions', async () => {
    const stale = `person-stale-${randomUUID().slice(0, 8)}`;
    await appendToStreams(db.sql, [event(stale)], new Map([[stale, 0]]));
    const others = Array.from({ length: 5 }, (_, i) => `person-ok${i}-${randomUUID().slice(0, 8)}`);
    const outcomes = await settle([
      ...others.map((s) => appendToStreams(db.sql, [event(s)], new Map([[s, 0]]))),
      appendToStreams(db.sql, [event(stale, 'DepartureAnnounced')], new Map([[stale, 0]])),
      // Rests on another stream it does not write (the locking kind of append), also stale.
      appendToStreams(db.sql, [event(`role-${randomUUID()}`, 'RoleAssigned')], new Map([[stale, 3]])),
    ]);
    expect(outcomes.slice(0, 5).every((o) => 'value' in o)).toBe(true);
    for (const outcome of outcomes.slice(5)) {
      expect('error' in outcome && outcome.error).toBeInstanceOf(ConcurrencyError);
      expect(outcome).toMatchObject({ error: { stream: stale, actual: 1 } });
    }
    expect((await readStreams(db.sql, [stale])).map((e) => e.type)).toEqual(['PersonRegistered']);
    expect(await readStreams(db.sql, others)).toHaveLength(5);
  });

  it('lets only one of two appends on the same version of one stream through', async () => {
    const stream = `person-race-${randomUUID().slice(0, 8)}`;
    const outcomes = await settle([0, 1].map(() => appendToStreams(db.sql, [event(stream)], new Map([[stream, 0]]))));
    expect(outcomes.filter((o) => 'value' in o)).toHaveLength(1);
    expect(outcomes.find((o) => 'error' in o)).toMatchObject({ error: { stream, expected: 0, actual: 1 } });
    expect(await readStreams(db.sql, [stream])).toHaveLength(1);
  });

  it('keeps a bad append (an event id already in the log) from failing the rest of its group', async () => {
    const taken = randomUUID();
    const first = `person-dup-${randomUUID().slice(0, 8)}`;
    await appendToStreams(db.sql, [event(first, 'PersonRegistered', taken)], new Map([[first, 0]]));
    const fine = Array.from({ length: 3 }, (_, i) => `person-fine${i}-${randomUUID().slice(0, 8)}`);
    const bad = `person-bad-${randomUUID().slice(0, 8)}`;
    const outcomes = await settle([
      ...fine.map((s) => appendToStreams(db.sql, [event(s)], new Map([[s, 0]]))),
      appendToStreams(db.sql, [event(bad, 'PersonRegistered', taken)], new Map([[bad, 0]])),
    ]);
    expect(outcomes.slice(0, 3).every((o) => 'value' in o)).toBe(true);
    expect(outcomes[3]).toMatchObject({ error: { message: expect.stringMatching(/events_event_id_key/) } });
    expect(await readStreams(db.sql, [...fine, bad])).toHaveLength(3);
  });
});

describe('splitting a group into statements', () => {
  const append = (...streams: string[]) => ({ events: [event(streams[0]!)], expected: new Map(streams.map((s) => [s, 0])) });

  it('puts appends that share a stream in successive statements, in arrival order', () => {
    const [a, b, c, d] = [append('x'), append('y'), append('x', 'z'), append('z')];
    expect(disjointRounds([a!, b!, c!, d!])).toEqual([[a, b], [c], [d]]);
  });

  it('never moves an append before an earlier one on its streams', () => {
    const [a, b, c] = [append('x'), append('y', 'x'), append('y')];
    expect(disjointRounds([a!, b!, c!])).toEqual([[a], [b], [c]]);
  });
});
