/**
 * Rebuild every projection from position zero, fast. The live projector works in log order
 * because it must (it only ever sees the next events); a rebuild sees the whole log at once, so
 * it reads it grouped by entity instead — each entity's events in log order, corrections routed
 * to the entity of the event they correct — and plans each entity once, with the same pure
 * planBatch the live projector runs. Nothing needs loading back from the tables, memory holds
 * one entity at a time; the log comes in by COPY (copy-reader.ts) and the versions go out by
 * COPY into index-free tables (rebuild-tables.ts). The facts never leave PostgreSQL: they are
 * the log's shaping events with their standing, one INSERT … SELECT (facts.ts: factsIntoSql),
 * which costs a fraction of sending every event's data back — it took a sixth of a 1M-event
 * replay.
 *
 * Same result as projecting the log in order: an entity's versions depend only on its own facts
 * and the recorded times at which they arrived, which per-entity order preserves; a flush at a
 * boundary that only another entity's event would have caused opens and closes a version at
 * the same instant, which planBatch drops anyway. `replay --verify` checks exactly this.
 */
import type postgres from 'postgres';
import { START_OF_LOG, type LogPosition } from '../event-store/rows.ts';
import { planBatch } from './batch.ts';
import { copyRows, type CopyRow } from './copy-reader.ts';
import { CopyWriter } from './copy-writer.ts';
import { CORRECTION_TYPES, entitySql, factsIntoSql } from './facts.ts';
import { prepareRebuildTarget } from './rebuild-tables.ts';
import { VERSION_ROW, VERSION_TABLES } from './store.ts';
import type { StoredEventLike } from './types.ts';

/** Milliseconds since 1970, floored: the instant a Date holds (and a stored event is read as). */
const epochMs = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)`;

const COLUMNS = (e: string) =>
  `${e}.position, ${e}.event_id, ${e}.type, ${e}.data, ${e}.metadata, ${epochMs(`${e}.occurred_at`)} AS occurred_at, ${epochMs(`${e}.recorded_at`)} AS recorded_at, ${e}.transaction_id`;

/**
 * The log below the watermark, grouped by entity, each entity's events in commit-safe order.
 * A correction whose target shapes no entity (or does not exist) is left out, as the live
 * projector skips it. The target id is checked for shape first: a cast must not fail mid-rebuild.
 * The watermark is written into the text (COPY takes no parameters): it is a number we read.
 */
const byEntity = (watermark: string) => {
  if (!/^\d+$/.test(watermark)) throw new Error(`not a transaction id: ${watermark}`);
  const below = (e: string) => `${e}.transaction_id < '${watermark}'::xid8`;
  return `
  SELECT entity, position, event_id, type, data, metadata, occurred_at, recorded_at FROM (
    SELECT ${entitySql('e')} AS entity, ${COLUMNS('e')} FROM events e
    WHERE ${below('e')}
    UNION ALL
    SELECT ${entitySql('t')} AS entity, ${COLUMNS('c')} FROM events c
    JOIN events t ON t.event_id = CASE WHEN c.data ->> 'eventId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$' THEN (c.data ->> 'eventId')::uuid END
    WHERE c.type IN (${CORRECTION_TYPES.map((t) => `'${t}'`).join(', ')}) AND ${below('c')}
  ) shaped
  WHERE entity IS NOT NULL
  ORDER BY entity, transaction_id, position`;
};

/** A row of byEntity, as COPY sends it: [entity, position, event_id, type, data, metadata, occurred_at, recorded_at]. */
const toEvent = (row: CopyRow): StoredEventLike => ({
  position: BigInt(row[1]!),
  eventId: row[2]!,
  type: row[3]!,
  data: JSON.parse(row[4]!),
  metadata: JSON.parse(row[5]!),
  occurredAt: new Date(Number(row[6])),
  recordedAt: new Date(Number(row[7])),
});

export interface RebuildOptions {
  /** Called with the number of events of the log planned so far. */
  onProgress?: (events: number) => void;
}

export interface RebuildResult {
  /** Events in the log up to the new checkpoint. */
  events: number;
  checkpoint: LogPosition;
  mode: 'swap' | 'in-place';
}

/**
 * Rebuild inside `tx` (which holds the projection checkpoint's lock). The log is read on another
 * connection of `sql` so that reading and writing overlap; both see the same events, because
 * only transactions below the watermark (all finished) are read.
 */
export const rebuildProjections = async (sql: postgres.Sql, tx: postgres.TransactionSql, options: RebuildOptions = {}): Promise<RebuildResult> => {
  const [{ watermark }] = (await tx`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS watermark`) as unknown as [{ watermark: string }];
  const target = await prepareRebuildTarget(sql, tx);
  try {
    // Facts go in by one statement inside PostgreSQL, beside the versions' COPYs (in place: queued
    // ahead of them on the transaction's connection); it runs while the reader's connection sorts.
    const facts = target.writes.unsafe(factsIntoSql(target.tableFor('entity_facts')), [watermark]).execute();
    facts.then(() => target.filled('entity_facts')).catch(() => {}); // a failure surfaces where facts is awaited
    const writer = new CopyWriter(target.writes);

    let planned = 0;
    const planEntity = async (events: StoredEventLike[]) => {
      const writes = planBatch(events, { facts: new Map(), open: new Map() });
      for (const kind of ['person', 'unit', 'role'] as const)
        await writer.add(target.tableFor(VERSION_TABLES[kind]), VERSION_ROW[kind], writes.inserted.filter((v) => v.kind === kind));
      planned += events.length;
    };

    let entity: string | null = null;
    let pending: StoredEventLike[] = [];
    await sql.begin(async (reader) => {
      // The sort of the whole log is the read's main cost: give it memory rather than disk.
      await reader`SET LOCAL work_mem = '256MB'`;
      for await (const rows of copyRows(reader, byEntity(watermark))) {
        for (const row of rows) {
          if (row[0] !== entity) {
            if (pending.length > 0) await planEntity(pending);
            entity = row[0]!;
            pending = [];
          }
          pending.push(toEvent(row));
        }
        options.onProgress?.(planned);
      }
    });
    if (pending.length > 0) await planEntity(pending);
    await writer.finish();
    for (const kind of ['person', 'unit', 'role'] as const) target.filled(VERSION_TABLES[kind]);
    // Every fact is read at least once (corrections once more, for their target's entity): fewer
    // means the read stopped short, and the rebuild must not replace the read model with a part.
    const { count: factCount } = await facts;
    if (planned < factCount) throw new Error(`the rebuild read ${planned} events of the log, fewer than its ${factCount} facts: not replacing the read model`);
    await target.complete();
  } catch (error) {
    await target.abandon();
    throw error;
  }

  const [last] = await tx<{ transaction_id: string; position: string; events: number }[]>`
    SELECT transaction_id::text AS transaction_id, position::text AS position, (SELECT count(*)::int FROM events WHERE transaction_id < ${watermark}::xid8) AS events
    FROM events WHERE transaction_id < ${watermark}::xid8 ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`;
  const checkpoint = last ? { transactionId: BigInt(last.transaction_id), position: BigInt(last.position) } : START_OF_LOG;
  return { events: last?.events ?? 0, checkpoint, mode: target.mode };
};
