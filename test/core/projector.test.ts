/** The projector: checkpointed, restartable, idempotent, and equal to a full replay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedIfEmpty } from '../../src/app.ts';
import { postgresClient } from '../../src/core/database/connect.ts';
import { appendToStreams } from '../../src/core/event-store/group-append.ts';
import { eventsBehind, Projector, readCheckpoint } from '../../src/core/projection/projector.ts';
import { projectionChecksum, replay } from '../../src/core/projection/replay.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await seedIfEmpty(db);
});
afterAll(async () => db.drop());

const counts = async () =>
  (await db.sql`SELECT (SELECT count(*) FROM entity_facts)::int AS facts, (SELECT count(*) FROM role_versions)::int AS roles`)[0];

describe('the projector', () => {
  it('resumes from its checkpoint after a stop mid-stream, to the same state a single run reaches', async () => {
    // Nothing projected yet: the whole seed is behind (what `orgtime serve` reports at startup).
    expect(await eventsBehind(db.sql)).toBe(29);
    // First process: small batches, and it "dies" after two of them.
    const first = new Projector(db.sql, { batchSize: 5 });
    let batches = 0;
    await first.catchUp(() => {
      if (++batches === 2) throw new Error('crash');
    }).catch(() => {});
    const checkpoint = await readCheckpoint(db.sql);
    expect(checkpoint.position).toBe(10n);
    expect((await counts())!.facts).toBe(10);
    expect(await eventsBehind(db.sql)).toBe(19);

    // A new process picks up exactly there: nothing applied twice (facts are keyed by position).
    const second = new Projector(db.sql, { batchSize: 5 });
    await second.catchUp();
    expect((await readCheckpoint(db.sql)).position).toBe(29n);
    expect(await eventsBehind(db.sql)).toBe(0);
    const resumed = await projectionChecksum(db.sql);

    // Idempotent: running again changes nothing.
    await second.catchUp();
    expect(await projectionChecksum(db.sql)).toEqual(resumed);

    // And the rebuilt-from-zero state is identical.
    const rebuilt = await replay(db.sql, { verify: true });
    expect(rebuilt.events).toBe(29);
    expect(rebuilt.ok).toBe(true);
    expect(rebuilt.after).toEqual(resumed);
  });

  it('is woken by the NOTIFY another writer sends after its append commits, and reads can wait for it (waitFor)', async () => {
    const projector = new Projector(db.sql, { pollMs: 60_000 }); // the poll cannot be what wakes it
    await projector.start();
    const registration = (handle: string) => ({ type: 'PersonRegistered' as const, data: { handle, name: handle, nativeName: null }, eventId: crypto.randomUUID(), stream: `person-${handle}`, occurredAt: new Date('2026-03-10T00:00:00Z'), metadata: { confidence: 'CONFIRMED' as const, actor: 'test' } });
    // Another process's writer: its own connection, nothing shared with the projector.
    const writer = postgresClient(db.url, { max: 1 });
    await appendToStreams(writer, [registration('late-joiner')], new Map());
    await expect.poll(() => db.sql`SELECT name FROM person_versions WHERE handle = 'late-joiner' AND tier_min = 0`, { timeout: 5000 }).toEqual([{ name: 'late-joiner' }]);
    await writer.end();

    const [event] = await appendToStreams(db.sql, [registration('later-joiner')], new Map());
    await projector.waitFor({ transactionId: event!.transactionId, position: event!.position }, 5000);
    expect(await db.sql`SELECT name FROM person_versions WHERE handle = 'later-joiner' AND tier_min = 0`).toEqual([{ name: 'later-joiner' }]);
    await projector.stop();
  });

  it('reports a mismatch when the live read model differs from the log', async () => {
    await db.sql`UPDATE person_versions SET name = 'Tampered' WHERE handle = 'fan-yu'`;
    const result = await replay(db.sql, { verify: true });
    expect(result.ok).toBe(false);
    // The replay itself repaired the read model.
    expect(await db.sql`SELECT DISTINCT name FROM person_versions WHERE handle = 'fan-yu'`).toEqual([{ name: 'Fan Yu' }]);
    expect((await replay(db.sql, { verify: true })).ok).toBe(true);
  });
});
