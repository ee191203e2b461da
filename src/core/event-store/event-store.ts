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

/**
 * Serialise writers per stream for the rest of the transaction (orgtime_lock_streams takes the
 * locks in one fixed order, so multi-stream writers cannot deadlock). The command handler's
 * careful path locks first and reads second; orgtime_append takes the same locks.
 */
export const lockStreams = async (sql: postgres.TransactionSql, streams: Iterable<string>): Promise<void> => {
  const unique = [...new Set(streams)];
  if (unique.length > 0) await sql`SELECT orgtime_lock_streams(${unique}::text[])`;
};

interface AppendedRow {
  event_id: string;
  position: string;
  transaction_id: string;
  stream_version: number;
  recorded_at: Date;
}

const APPEND_LOCKING = `SELECT event_id::text AS event_id, position::text AS position, transaction_id::text AS transaction_id, stream_version, recorded_at
  FROM orgtime_append($1::text[], $2::int[], $3::jsonb)`;

/**
 * When every stream written has an expected version and nothing else is expected, the unique
 * (stream_id, stream_version) constraint alone decides the race: no lock, no function, one
 * INSERT. It inserts nothing if a stream is behind its expected version; a stream ahead of it
 * already holds the version inserted, and the constraint refuses.
 */
const INSERT_ON_CONDITION = `INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, occurred_at)
  SELECT i.stream, i.version, i.id, i.type, i.data, i.metadata, i.at
  FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (stream TEXT, version INTEGER, id UUID, type TEXT, data JSONB, metadata JSONB, at TIMESTAMPTZ))
    WITH ORDINALITY AS i(stream, version, id, type, data, metadata, at, ord)
  WHERE NOT EXISTS (
    SELECT 1 FROM unnest($2::text[], $3::int[]) AS x(stream, expected)
    WHERE x.expected > 0 AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = x.stream AND e.stream_version = x.expected))
  ORDER BY i.ord
  RETURNING event_id::text AS event_id, position::text AS position, transaction_id::text AS transaction_id, stream_version, recorded_at`;

const APPEND_GROUP = `SELECT append, event_id::text AS event_id, position::text AS position, transaction_id::text AS transaction_id,
    stream_version, recorded_at, stale_stream, expected, actual
  FROM orgtime_append_group($1::int[], $2::text[], $3::int[], $4::jsonb)`;

/** Events to append, each stream in `expected` at exactly its version (see appendEvents). */
export interface Append {
  events: readonly NewEvent[];
  expected: ReadonlyMap<string, number>;
}

/** Every stream an append writes or rests on. */
export const streamsOf = ({ events, expected }: Append): Set<string> => new Set([...expected.keys(), ...events.map((e) => e.stream)]);

/** Only the streams written are expected (and all of them): the unique constraint can decide. */
const isConditional = ({ events, expected }: Append): boolean => {
  const written = new Set(events.map((e) => e.stream));
  return written.size === expected.size && [...written].every((s) => expected.has(s));
};

const payloadOf = (events: readonly NewEvent[], versions?: number[], append?: number) =>
  events.map((e, i) => ({ append, stream: e.stream, version: versions?.[i], id: e.eventId, type: e.type, data: e.data, metadata: e.metadata, at: e.occurredAt.toISOString() }));

const insertOnCondition = async (sql: Sql, { events, expected }: Append): Promise<StoredEvent[]> => {
  const next = new Map(expected);
  const versions = events.map((e) => {
    const version = next.get(e.stream)! + 1;
    next.set(e.stream, version);
    return version;
  });
  const streams = [...expected.keys()];
  const rows = await sql.unsafe<AppendedRow[]>(INSERT_ON_CONDITION, [payloadOf(events, versions), streams, streams.map((s) => expected.get(s)!)] as never[], { prepare: true });
  if (rows.length > 0) return storedFrom(events, new Map(rows.map((row) => [row.event_id, row])));
  throw await staleStream(sql, expected);
};

/**
 * Several appends on disjoint streams in one statement (orgtime_append_group), each on its own
 * expectations: the events of each, or the ConcurrencyError that refused it. Other failures (a
 * duplicate event id) refuse the whole statement, and then nothing was written.
 */
export const appendGroup = async (sql: postgres.Sql, appends: readonly Append[]): Promise<Array<StoredEvent[] | ConcurrencyError>> => {
  const claims = appends.flatMap((a, n) => [...streamsOf(a)].map((stream) => [n, stream, a.expected.get(stream) ?? null] as const));
  const rows = await sql.unsafe<Array<AppendedRow & { append: number | null; stale_stream: string | null; expected: number; actual: number }>>(
    APPEND_GROUP,
    [claims.map((c) => c[0]), claims.map((c) => c[1]), claims.map((c) => c[2]), appends.flatMap((a, n) => payloadOf(a.events, undefined, n))] as never[],
    { prepare: true },
  );
  const refused = new Map(rows.filter((r) => r.append !== null).map((r) => [r.append!, new ConcurrencyError(r.stale_stream!, r.expected, r.actual)]));
  const byId = new Map(rows.filter((r) => r.append === null).map((row) => [row.event_id, row]));
  return appends.map((a, n) => refused.get(n) ?? storedFrom(a.events, byId));
};

const versionNow = async (sql: Sql, stream: string): Promise<number> => {
  const [row] = await sql<{ version: number }[]>`SELECT coalesce(max(stream_version), 0)::int AS version FROM events WHERE stream_id = ${stream}`;
  return row!.version;
};

/** Why a conditional append inserted nothing: the first stream not at its expected version. */
const staleStream = async (sql: Sql, expected: ReadonlyMap<string, number>): Promise<ConcurrencyError> => {
  for (const [stream, version] of expected) {
    const actual = await versionNow(sql, stream);
    if (actual !== version) return new ConcurrencyError(stream, version, actual);
  }
  throw new Error('append inserted nothing, yet every stream is at its expected version');
};

const storedFrom = (events: readonly NewEvent[], byId: ReadonlyMap<string, AppendedRow>): StoredEvent[] =>
  events.map((event) => {
    const row = byId.get(event.eventId)!;
    return {
      ...event,
      position: BigInt(row.position),
      transactionId: BigInt(row.transaction_id),
      version: row.stream_version,
      schemaVersion: 1,
      recordedAt: row.recorded_at,
    } as StoredEvent;
  });

/**
 * Append `events` atomically, in one statement: each stream in `expected` must be at exactly
 * that version (0 = must be empty; it may be a stream the caller only read, whose state its
 * decision rests on), and each event continues its stream. In general that is the database
 * function orgtime_append (locks every stream involved, checks, inserts); see
 * INSERT_ON_CONDITION for the common case it skips. Alone it is its own transaction; inside
 * the caller's, the locks hold until that commits.
 */
export const appendEvents = async (sql: Sql, events: readonly NewEvent[], expected: ReadonlyMap<string, number>): Promise<StoredEvent[]> => {
  if (events.length === 0) return [];
  try {
    if (isConditional({ events, expected })) return await insertOnCondition(sql, { events, expected });
    const streams = [...streamsOf({ events, expected })];
    const rows = await sql.unsafe<AppendedRow[]>(APPEND_LOCKING, [streams, streams.map((s) => expected.get(s) ?? null), payloadOf(events)] as never[], { prepare: true });
    return storedFrom(events, new Map(rows.map((row) => [row.event_id, row])));
  } catch (error) {
    throw (await asConcurrencyError(sql, error, expected)) ?? error;
  }
};

/** A stale expected version (SQLSTATE OT409 from orgtime_append), or a version already taken. */
const asConcurrencyError = async (sql: Sql, error: unknown, expected: ReadonlyMap<string, number>): Promise<ConcurrencyError | null> => {
  const { code, detail, constraint_name } = error as { code?: string; detail?: string; constraint_name?: string };
  if (code === 'OT409') {
    const stale = JSON.parse(detail!) as { stream: string; expected: number; actual: number };
    return new ConcurrencyError(stale.stream, stale.expected, stale.actual);
  }
  const taken = constraint_name === 'events_stream_version_key' ? /=\((.+), (\d+)\)/.exec(detail ?? '') : null;
  if (!taken) return null;
  // Inside a transaction the failed statement aborted it: say which version was taken instead.
  const actual = 'savepoint' in sql ? Number(taken[2]) : await versionNow(sql, taken[1]!);
  return new ConcurrencyError(taken[1]!, expected.get(taken[1]!) ?? 0, actual);
};

const announcing = new WeakSet<postgres.Sql>();

/**
 * Wake every consumer of the log (projectors, subscriptions, in any process) once appends have
 * committed: call after the appending transaction commits. Not from a trigger: a NOTIFY inside
 * the appending transaction holds PostgreSQL's notify-queue lock through the commit's WAL flush,
 * which made appending transactions commit one after another. Sent afterwards, from a
 * transaction of its own that writes no WAL, and at most once per ANNOUNCE_MS whatever the
 * rate of appends (one NOTIFY per command was a third of a busy writer's statements), it costs
 * next to nothing. If it is lost (a crash in between), the consumers' safety poll catches up.
 * In-process readers do not wait for it: the projector is woken directly (Projector.waitFor).
 */
const ANNOUNCE_MS = 5;

export const announceAppended = (sql: postgres.Sql): void => {
  if (announcing.has(sql)) return;
  announcing.add(sql);
  setTimeout(() => {
    announcing.delete(sql);
    sql`SELECT pg_notify(${EVENTS_CHANNEL}, '')`.catch(() => {});
  }, ANNOUNCE_MS);
};

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
