/**
 * Running a command. Most commands rest only on their own streams: they are read without locks,
 * decided, and appended by one statement on condition that every stream read is still at the
 * version read — two round trips, the second autocommitted. If one moved meanwhile, and for
 * every other command (an idempotency key to honour, a decision across the unit tree), it runs
 * as one transaction that (1) honours the key, (2) locks and loads the streams involved, (3) asks the
 * pure decider, (4) appends every resulting event — all streams or none. Either way a decision
 * is only ever appended on the state it was made on.
 */
import { createHash, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import type { Command, DecisionContext } from '../domain/commands.ts';
import { decide } from '../domain/decider.ts';
import { ConcurrencyError, invalid } from '../domain/errors.ts';
import { announceAppended, appendEvents, appendToStreams, readEventsById } from '../event-store/event-store.ts';
import type { StoredEvent } from '../event-store/rows.ts';
import type { World } from '../domain/world.ts';
import { loadWorld, ownStreams, readWorld } from './load-world.ts';

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

/**
 * Read, decide, append on condition. Null when a stream read moved before the append: under
 * contention, the caller queues on the stream locks instead of retrying (retries would starve).
 */
const tryUnlocked = async (sql: postgres.Sql, command: Command, options: CommandOptions, streams: string[]): Promise<CommandResult | null> => {
  const world = await readWorld(sql, streams);
  const decided = decide(command, world, contextOf(options));
  checkExpected(options, world);
  try {
    return { events: await appendToStreams(sql, decided, versionsOf(world, streams)), replayed: false };
  } catch (error) {
    if (error instanceof ConcurrencyError) return null;
    throw error;
  }
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
  if (!result.replayed && result.events.length > 0) announceAppended(sql);
  return result;
};
