/**
 * Running a command. Most commands rest only on their own streams: they are decided without
 * locks — on this process's cache of those streams, else on a fresh read — and appended by one
 * autocommitted statement on condition that every stream is still at the version decided on:
 * one round trip when the cache was right, two when not. If one moved meanwhile, and for
 * every other command (an idempotency key to honour, a decision across the unit tree), it runs
 * as one transaction that (1) honours the key, (2) locks and loads the streams involved,
 * (3) asks the pure decider, (4) appends every resulting event — all streams or none. Either way
 * a decision is only ever appended on the state it was made on.
 */
import { createHash, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Command, DecisionContext } from '../domain/commands.ts';
import { decide } from '../domain/decider.ts';
import { ConcurrencyError, DomainError, invalid } from '../domain/errors.ts';
import type { NewEvent } from '../domain/events.ts';
import { foldWorld, type World } from '../domain/world.ts';
import { announceAppended, appendEvents, readEventsById, readStreams } from '../event-store/event-store.ts';
import { appendToStreams } from '../event-store/group-append.ts';
import type { StoredEvent } from '../event-store/rows.ts';
import { loadWorld, ownStreams } from './load-world.ts';
import { StreamCache } from './stream-cache.ts';

export interface CommandOptions {
  actor: string;
  idempotencyKey?: string | null;
  /** Optimistic concurrency for clients that read before they write: stream → version. */
  expectedVersions?: ReadonlyMap<string, number>;
  /** What identifies "the same request" for the idempotency key; defaults to the command itself. */
  requestFingerprint?: string;
  now?: Date;
}

export interface CommandResult {
  events: StoredEvent[];
  /** True when the idempotency key had been used: these are the first call's events. */
  replayed: boolean;
}

export const fingerprint = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

const contextOf = (options: CommandOptions): DecisionContext => ({ now: options.now ?? new Date(), newId: randomUUID, actor: options.actor });

/** The caller's own expectations (expectedVersion) are checked against what was read. */
const checkExpected = (options: CommandOptions, world: World) => {
  for (const [stream, expected] of options.expectedVersions ?? []) {
    const actual = world.versions.get(stream) ?? 0;
    if (actual !== expected) throw new ConcurrencyError(stream, expected, actual);
  }
};

const versionsOf = (world: World, streams: Iterable<string>) => new Map([...streams].map((s) => [s, world.versions.get(s) ?? 0]));

/** Streams cached per connection pool, i.e. per service instance (see stream-cache.ts). */
const caches = new WeakMap<postgres.Sql, StreamCache>();
const cacheOf = (sql: postgres.Sql): StreamCache => {
  let cache = caches.get(sql);
  if (!cache) caches.set(sql, (cache = new StreamCache()));
  return cache;
};

/**
 * Decide on `events` (every event of `streams`, in log order) and append on condition that each
 * stream is still at the version they end at. Null when one moved meanwhile.
 */
const decideAndAppend = async (sql: postgres.Sql, command: Command, options: CommandOptions, streams: string[], events: NewEvent[]): Promise<CommandResult | null> => {
  const world = foldWorld(events);
  const decided = decide(command, world, contextOf(options));
  checkExpected(options, world);
  const versions = versionsOf(world, streams);
  try {
    const appended = await appendToStreams(sql, decided, versions);
    cacheOf(sql).appended(versions, appended);
    return { events: appended, replayed: false };
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    cacheOf(sql).forget(streams);
    return null;
  }
};

/**
 * A command that rests only on its own streams, without locks: first on what this process last
 * saw of them (no read at all; a stream never seen is taken as empty, which a new person's
 * registration is), then, if that was stale or the decision refused it, on what the database
 * holds now. Null when even that moved before the append: under contention the caller queues on
 * the streams' locks instead of retrying (retries would starve).
 */
const tryUnlocked = async (sql: postgres.Sql, command: Command, options: CommandOptions, streams: string[]): Promise<CommandResult | null> => {
  const cache = cacheOf(sql);
  try {
    const cached = await decideAndAppend(sql, command, options, streams, cache.eventsOf(streams));
    if (cached) return cached;
  } catch (error) {
    // A refusal made on possibly stale state is not an answer yet: ask the database.
    if (!(error instanceof DomainError)) throw error;
  }
  const events = await readStreams(sql, streams);
  cache.remember(streams, events);
  return decideAndAppend(sql, command, options, streams, events);
};

export const executeCommand = async (sql: postgres.Sql, command: Command, options: CommandOptions): Promise<CommandResult> => {
  const key = options.idempotencyKey ?? null;
  const streams = key === null ? ownStreams(command) : null;
  const done = streams ? await tryUnlocked(sql, command, options, streams) : null;
  if (done) return done;
  const hash = options.requestFingerprint ?? fingerprint(command);
  const result = (await sql.begin(async (tx) => {
    if (key !== null) {
      // Identical requests racing on one key queue here; the later ones find the first's receipt.
      await tx`SELECT pg_advisory_xact_lock(hashtextextended(${'idempotency:' + key}, 0))`;
      const [receipt] = await tx<{ command_type: string; command_hash: string; event_ids: string[] }[]>`
        SELECT command_type, command_hash, event_ids::text[] AS event_ids FROM command_receipts WHERE idempotency_key = ${key}`;
      if (receipt) {
        if (receipt.command_hash !== hash)
          throw invalid(`idempotencyKey "${key}" was already used for a different ${receipt.command_type} command`, ['idempotencyKey']);
        return { events: await readEventsById(tx, receipt.event_ids), replayed: true };
      }
    }
    const world = await loadWorld(tx, command);
    const decided = decide(command, world, contextOf(options)).map((event) =>
      key === null ? event : { ...event, metadata: { ...event.metadata, idempotencyKey: key } },
    );
    checkExpected(options, world);
    // loadWorld locked every stream a decision can write to and read its version under the lock.
    // The receipt names the events' ids, known before the insert: both go in one round trip.
    const [events] = await Promise.all([
      appendEvents(tx, decided, versionsOf(world, new Set(decided.map((e) => e.stream)))),
      key === null
        ? null
        : tx`INSERT INTO command_receipts (idempotency_key, command_type, command_hash, event_ids)
            VALUES (${key}, ${command.type}, ${hash}, ${decided.map((e) => e.eventId)}::uuid[])`,
    ]);
    return { events, replayed: false };
  })) as CommandResult;
  if (!result.replayed && result.events.length > 0) {
    // Written under the locks, not through the cache: forget rather than guess.
    cacheOf(sql).forget(result.events.map((e) => e.stream));
    announceAppended(sql);
  }
  return result;
};
