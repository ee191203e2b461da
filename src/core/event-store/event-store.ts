/**
 * The event log's hot path, on postgres.js: append with per-stream optimistic concurrency, read a
 * stream, and read the whole log in a commit-safe order.
 *
 * Commit-safe order: positions are taken at INSERT, so a transaction may commit after a later
 * position is already visible. Readers order by (transaction_id, position) and only read
 * transactions older than the oldest one still running (pg_snapshot_xmin of the current
 * snapshot), as Emmett does: nothing can ever appear behind a reader's checkpoint.
 */
import type postgres from 'postgres';
import { ConcurrencyError } from '../domain/errors.ts';
import type { NewEvent } from '../domain/events.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow, type LogPosition, type StoredEvent } from './rows.ts';

export type Sql = postgres.Sql | postgres.TransactionSql;

/** Current version per stream (0 for streams that have no events). */
export const streamVersions = async (sql: Sql, streams: readonly string[]): Promise<Map<string, number>> => {
  const rows = await sql<{ stream_id: string; version: number }[]>`
    SELECT stream_id, max(stream_version)::int AS version FROM events WHERE stream_id = ANY(${streams as string[]}) GROUP BY stream_id`;
  const versions = new Map(streams.map((s) => [s, 0]));
  for (const row of rows) versions.set(row.stream_id, row.version);
  return versions;
};

/**
 * Serialise writers per stream for the rest of the transaction. Streams are locked in sorted
 * order so two multi-stream commands cannot deadlock.
 */
export const lockStreams = async (sql: postgres.TransactionSql, streams: Iterable<string>): Promise<void> => {
  const sorted = [...new Set(streams)].sort();
  if (sorted.length === 0) return;
  if (sorted.length === 1) {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${sorted[0]!}, 0))`;
    return;
  }
  // One round trip for the lot (a bulk append touches thousands of streams): a function scan
  // over the array takes the locks in array order, i.e. still sorted.
  await sql`SELECT count(pg_advisory_xact_lock(hashtextextended(s, 0))) FROM unnest(${sorted}::text[]) AS s`;
};

/**
 * Append `events` atomically, each stream continuing from its expected version. Must run inside
 * a transaction (the caller's): the locks and the version check hold until it commits.
 */
export const appendEvents = async (
  sql: postgres.TransactionSql,
  events: readonly NewEvent[],
  expected: ReadonlyMap<string, number>,
): Promise<StoredEvent[]> => {
  if (events.length === 0) return [];
  const streams = [...new Set(events.map((e) => e.stream))];
  await lockStreams(sql, streams);
  const actual = await streamVersions(sql, streams);
  for (const stream of streams) {
    const want = expected.get(stream);
    const have = actual.get(stream) ?? 0;
    if (want !== undefined && want !== have) throw new ConcurrencyError(stream, want, have);
  }
  return appendLocked(sql, events, actual);
};

/**
 * Append when the caller already holds the streams' locks and read their versions under them
 * (the command handler does): two round trips fewer. The unique (stream_id, stream_version)
 * constraint still stands behind it, surfacing as a ConcurrencyError.
 */
export const appendLocked = async (
  sql: postgres.TransactionSql,
  events: readonly NewEvent[],
  versions: ReadonlyMap<string, number>,
): Promise<StoredEvent[]> => {
  if (events.length === 0) return [];
  const next = new Map(versions);
  const rows = events.map((event) => {
    const version = (next.get(event.stream) ?? 0) + 1;
    next.set(event.stream, version);
    return {
      stream_id: event.stream,
      stream_version: version,
      event_id: event.eventId,
      type: event.type,
      schema_version: 1,
      data: sql.json(event.data as postgres.JSONValue),
      metadata: sql.json(event.metadata as unknown as postgres.JSONValue),
      occurred_at: event.occurredAt,
    };
  });
  try {
    const inserted = await sql<EventRow[]>`
      INSERT INTO events ${sql(rows)}
      RETURNING ${sql.unsafe(EVENT_COLUMNS)}`;
    return inserted.map(toStoredEvent);
  } catch (error) {
    // Someone wrote the stream without holding its lock: the constraint says which and where.
    const { constraint_name, detail } = error as { constraint_name?: string; detail?: string };
    const taken = constraint_name === 'events_stream_version_key' ? /=\((.+), (\d+)\)/.exec(detail ?? '') : null;
    if (taken) throw new ConcurrencyError(taken[1]!, versions.get(taken[1]!) ?? 0, Number(taken[2]));
    throw error;
  }
};

/** Append outside any command: its own transaction, retried never (the caller decides). */
export const appendToStreams = (sql: postgres.Sql, events: readonly NewEvent[], expected: ReadonlyMap<string, number>) =>
  sql.begin((tx) => appendEvents(tx, events, expected)) as Promise<StoredEvent[]>;

export const readStreams = async (sql: Sql, streams: readonly string[]): Promise<StoredEvent[]> => {
  if (streams.length === 0) return [];
  const rows = await sql<EventRow[]>`
    SELECT ${sql.unsafe(EVENT_COLUMNS)} FROM events WHERE stream_id = ANY(${streams as string[]}) ORDER BY events.position`;
  return rows.map(toStoredEvent);
};

export const readEventsById = async (sql: Sql, eventIds: readonly string[]): Promise<StoredEvent[]> => {
  const rows = await sql<EventRow[]>`
    SELECT ${sql.unsafe(EVENT_COLUMNS)} FROM events WHERE event_id = ANY(${eventIds as string[]}::uuid[]) ORDER BY events.position`;
  return rows.map(toStoredEvent);
};

export interface ReadAllOptions {
  after: LogPosition;
  limit: number;
  types?: readonly string[] | undefined;
  stream?: string | undefined;
}

/** The log past `after`, in commit-safe order, never past the oldest running transaction. */
export const readAll = async (sql: Sql, { after, limit, types, stream }: ReadAllOptions): Promise<StoredEvent[]> => {
  const rows = await sql<EventRow[]>`
    SELECT ${sql.unsafe(EVENT_COLUMNS)} FROM events
    WHERE (transaction_id, position) > (${after.transactionId.toString()}::xid8, ${after.position.toString()}::bigint)
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ${types && types.length > 0 ? sql`AND type = ANY(${types as string[]})` : sql``}
      ${stream !== undefined ? sql`AND stream_id = ${stream}` : sql``}
    ORDER BY events.transaction_id, events.position
    LIMIT ${limit}`;
  return rows.map(toStoredEvent);
};

/** The place in the log of the event at `position`, for resuming "after" it. */
export const logPositionOf = async (sql: Sql, position: bigint): Promise<LogPosition | null> => {
  const [row] = await sql<{ transaction_id: string }[]>`
    SELECT transaction_id::text AS transaction_id FROM events WHERE position = ${position.toString()}::bigint`;
  return row ? { transactionId: BigInt(row.transaction_id), position } : null;
};

/** The end of the stable log right now: the place a live subscriber starts from. */
export const headOfLog = async (sql: Sql): Promise<LogPosition> => {
  const [row] = await sql<{ transaction_id: string | null; position: string | null }[]>`
    SELECT transaction_id::text AS transaction_id, position::text AS position FROM events
    WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`;
  return row?.position ? { transactionId: BigInt(row.transaction_id!), position: BigInt(row.position) } : { transactionId: 0n, position: 0n };
};

export const EVENTS_CHANNEL = 'orgtime_events';
