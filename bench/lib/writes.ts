/**
 * The single writes the append benchmark compares, each a function of (client, i) that a
 * closed-loop client runs back to back: orgtime's commands through the real deciders, orgtime's
 * event-store append of one new-stream event, and the physical limit, a raw autocommitted INSERT
 * into a plain table of the same shape. Each runs in a process of its own (peers/writer.ts).
 */
import type postgres from 'postgres';
import { executeCommand } from '../../src/core/commands/execute.ts';
import type { Command } from '../../src/core/domain/commands.ts';
import type { NewEvent } from '../../src/core/domain/events.ts';
import { appendToStreams } from '../../src/core/event-store/group-append.ts';
import { registration } from './registration.ts';

export const PLAIN_TABLE = 'bench_plain_events';
export const PLAIN_COLUMNS = ['stream_id', 'stream_version', 'event_id', 'type', 'data', 'metadata', 'occurred_at'] as const;

/** The events table's shape without its triggers and secondary indexes. */
export const createPlainTable = (sql: postgres.Sql) =>
  sql.unsafe(`CREATE TABLE IF NOT EXISTS ${PLAIN_TABLE} (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, transaction_id XID8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL, event_id UUID NOT NULL, type TEXT NOT NULL,
    schema_version INTEGER NOT NULL DEFAULT 1, data JSONB NOT NULL, metadata JSONB NOT NULL DEFAULT '{}',
    occurred_at TIMESTAMPTZ NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())`);

export const plainRow = (e: NewEvent) => [e.stream, 1, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), e.occurredAt.toISOString()] as const;

/** Commands that each append exactly one event: a registration, then that person's first role. */
const commandFor = (run: string, client: number, i: number, units: readonly string[]): Command => {
  const base = { effectiveAt: new Date(), confidence: 'CONFIRMED' as const, source: null };
  const handle = `c-${run}-${client}-${Math.floor(i / 2)}`;
  return i % 2 === 0
    ? { ...base, type: 'RegisterPerson', handle, name: `Bench ${handle}`, nativeName: null }
    : { ...base, type: 'AssignRole', person: handle, unit: units[(client * 7919 + i) % units.length]!, title: 'Engineer', reportsTo: null };
};

export type WriterKind = 'orgtime-commands' | 'orgtime-append' | 'raw-inserts';

/** One writer's operation; `run` keeps handles unique across runs on one database. */
export const writer = (kind: WriterKind, sql: postgres.Sql, run: string, units: readonly string[]): ((client: number, i: number) => Promise<unknown>) => {
  switch (kind) {
    case 'orgtime-commands':
      return (c, i) => executeCommand(sql, commandFor(run, c, i, units), { actor: 'bench' });
    case 'orgtime-append':
      return (c, i) => {
        const event = registration(`o${run}-${c}-${i}`);
        // A new stream: expected version 0 (Emmett's call checks nothing).
        return appendToStreams(sql, [event], new Map([[event.stream, 0]]));
      };
    case 'raw-inserts':
      return (c, i) => {
        const [stream, version, id, type, data, meta, at] = plainRow(registration(`i${run}-${c}-${i}`));
        return sql`INSERT INTO bench_plain_events (stream_id, stream_version, event_id, type, data, metadata, occurred_at)
          VALUES (${stream}, ${version}, ${id}, ${type}, ${data}::jsonb, ${meta}::jsonb, ${at}::timestamptz)`;
      };
  }
};
