/**
 * Commands decided on a service instance's cache of their streams: two instances (two
 * connection pools, two caches) writing the same streams must behave as if there were no cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommand } from '../../src/core/commands/execute.ts';
import { postgresClient } from '../../src/core/database/connect.ts';
import type { Command } from '../../src/core/domain/commands.ts';
import { readStreams } from '../../src/core/event-store/event-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
let other: ReturnType<typeof postgresClient>;
beforeAll(async () => {
  db = await createTestDatabase();
  other = postgresClient(db.url, { max: 2 });
});
afterAll(async () => {
  await other.end();
  await db.drop();
});

const base = { effectiveAt: new Date('2026-01-05T00:00:00Z'), confidence: 'CONFIRMED' as const, source: null };
const as = (actor: string) => ({ actor });
const register = (handle: string): Command => ({ ...base, type: 'RegisterPerson', handle, name: handle, nativeName: null });
const assign = (person: string, title: string): Command => ({ ...base, type: 'AssignRole', person, unit: 'lab', title, reportsTo: null });

describe('two service instances writing the same streams', () => {
  beforeAll(async () => {
    await executeCommand(db.sql, { ...base, type: 'CreateOrgUnit', handle: 'lab', name: 'Lab', kind: 'team', parent: null }, as('a'));
  });

  it('never decides on what one instance last saw when the other has moved the stream since', async () => {
    await executeCommand(db.sql, register('kim'), as('a')); // instance A now holds person-kim at version 1
    await executeCommand(other, assign('kim', 'Researcher'), as('b')); // B moves it to version 2

    // A's cache says version 1: a client who read version 2 must not be told CONFLICT…
    const guarded = await executeCommand(db.sql, assign('kim', 'Reviewer'), { actor: 'a', expectedVersions: new Map([['person-kim', 2]]) });
    expect(guarded.events.map((e) => e.version)).toEqual([3]);
    // …and a client who read version 1 must be.
    await expect(executeCommand(db.sql, assign('kim', 'Lead'), { actor: 'a', expectedVersions: new Map([['person-kim', 1]]) })).rejects.toMatchObject({ code: 'CONFLICT', actual: 3 });

    await executeCommand(other, assign('kim', 'Mentor'), as('b')); // version 4, behind A's back again
    const unguarded = await executeCommand(db.sql, assign('kim', 'Speaker'), as('a'));
    expect(unguarded.events.map((e) => e.version)).toEqual([5]);
    const stream = await readStreams(db.sql, ['person-kim']);
    expect(stream.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(stream.slice(1).map((e) => (e.data as { title: string }).title)).toEqual(['Researcher', 'Reviewer', 'Mentor', 'Speaker']);
  });

  it('answers a refusal only from the database, never from a stale cache', async () => {
    // A has never seen person-lee (taken as empty); B registers lee; A's assignment must succeed.
    await executeCommand(other, register('lee'), as('b'));
    const assigned = await executeCommand(db.sql, assign('lee', 'Analyst'), as('a'));
    expect(assigned.events).toHaveLength(1);
    // And a registration A believes new but B already made is refused as a duplicate.
    await executeCommand(other, register('max'), as('b'));
    await expect(executeCommand(db.sql, register('max'), as('a'))).rejects.toMatchObject({ code: 'DUPLICATE' });
    expect(await readStreams(db.sql, ['person-max'])).toHaveLength(1);
  });
});
