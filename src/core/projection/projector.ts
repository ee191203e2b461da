/**
 * The projector: reads the log past its checkpoint in commit-safe order and applies each batch
 * and the new checkpoint in ONE transaction, so a crash can never apply a batch twice or skip
 * one. Woken by NOTIFY; a slow timer is only a safety net. Several instances may run: the
 * checkpoint row is locked FOR UPDATE, so they take turns.
 */
import type postgres from 'postgres';
import { EVENTS_CHANNEL, readAll } from '../event-store/event-store.ts';
import type { LogPosition, StoredEvent } from '../event-store/rows.ts';
import { batchNeeds, planBatch } from './batch.ts';
import { entitiesOfEvents, loadState, writeBatch } from './store.ts';

export const PROJECTION = 'org';
export const compare = (a: LogPosition, b: LogPosition): number =>
  a.transactionId !== b.transactionId ? (a.transactionId < b.transactionId ? -1 : 1) : a.position === b.position ? 0 : a.position < b.position ? -1 : 1;

export const readCheckpoint = async (sql: postgres.Sql | postgres.TransactionSql, lock = false): Promise<LogPosition> => {
  // Pipelined on a transaction's connection (in order: the row exists before it is read).
  const [, [row]] = await Promise.all([
    sql`INSERT INTO projection_checkpoints (projection) VALUES (${PROJECTION}) ON CONFLICT DO NOTHING`,
    sql<{ transaction_id: string; position: string }[]>`
      SELECT transaction_id::text AS transaction_id, position::text AS position FROM projection_checkpoints
      WHERE projection = ${PROJECTION} ${lock ? sql`FOR UPDATE` : sql``}`,
  ]);
  return { transactionId: BigInt(row!.transaction_id), position: BigInt(row!.position) };
};

/** Events in the log past the projection's checkpoint (all of them before its first run): what a catch-up has yet to apply. */
export const eventsBehind = (sql: postgres.Sql): Promise<number> =>
  // In a transaction: readCheckpoint pipelines its two statements on one connection.
  sql.begin(async (tx) => {
    const { transactionId, position } = await readCheckpoint(tx);
    const [row] = await tx<{ count: number }[]>`
      SELECT count(*)::int AS count FROM events WHERE (transaction_id, position) > (${transactionId.toString()}::xid8, ${position.toString()}::bigint)`;
    return row!.count;
  });

/** Apply one batch inside `tx` (which holds the checkpoint lock); returns the events applied. */
export const projectBatch = async (tx: postgres.TransactionSql, after: LogPosition, limit: number): Promise<StoredEvent[]> => {
  const events = await readAll(tx, { after, limit });
  if (events.length === 0) return events;
  const needs = batchNeeds(events);
  const targets = await entitiesOfEvents(tx, needs.correctionTargets);
  const state = await loadState(tx, [...new Set([...needs.entities, ...targets])]);
  const last = events[events.length - 1]!;
  // The writes and the new checkpoint in one pipelined round trip, committed together.
  await Promise.all([
    writeBatch(tx, planBatch(events, state)),
    tx`UPDATE projection_checkpoints SET transaction_id = ${last.transactionId.toString()}::xid8,
      position = ${last.position.toString()}, updated_at = now() WHERE projection = ${PROJECTION}`,
  ]);
  return events;
};

export interface ProjectorOptions {
  batchSize?: number;
  /** Safety-net poll when no NOTIFY arrives (e.g. a transaction below the watermark finished). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export class Projector {
  private position: LogPosition = { transactionId: 0n, position: 0n };
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private waiters = new Set<{ target: LogPosition; resolve: () => void }>();
  private stopped = false;

  constructor(
    private readonly sql: postgres.Sql,
    private readonly options: ProjectorOptions = {},
  ) {}

  async start(): Promise<void> {
    const { unlisten } = await this.sql.listen(EVENTS_CHANNEL, () => void this.wake());
    this.unlisten = unlisten;
    this.stopped = false;
    const poll = () => {
      if (!this.stopped) this.timer = setTimeout(() => void this.wake().finally(poll), this.options.pollMs ?? 1000);
    };
    poll();
    await this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.unlisten?.();
    this.unlisten = null;
    await this.running;
  }

  /** Run until caught up; concurrent wake-ups coalesce into one more pass. */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.catchUp();
        } while (this.again);
      } catch (error) {
        (this.options.onError ?? console.error)(error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Project every batch available now. Exposed for replay and tests. */
  async catchUp(onBatch?: (events: StoredEvent[]) => void): Promise<void> {
    for (;;) {
      const applied = await this.sql.begin(async (tx) => {
        // Custom plans for this batch's statements. The service's connections force generic
        // plans (connect.ts), made on a statement's first run and kept until statistics change;
        // the projector's lookups (versions by key = ANY(...)) first run while the tables are
        // nearly empty, so they kept a sequential scan — without autovacuum until the connection
        // was recycled. Catching up 1M events ran at 0.9k events/s instead of 5.2k, and with
        // autovacuum 200–300k events at 3.0–8.6k/s against 7.5–9.0k/s (README, Performance).
        const [, after] = await Promise.all([tx`SET LOCAL plan_cache_mode = force_custom_plan`, readCheckpoint(tx, true)]);
        const events = await projectBatch(tx, after, this.options.batchSize ?? 2000);
        const last = events.at(-1);
        return { events, position: last ? { transactionId: last.transactionId, position: last.position } : after };
      });
      this.advance(applied.position);
      if (applied.events.length === 0) return;
      onBatch?.(applied.events);
    }
  }

  /** Resolve once the read model includes the event at `target` (read-your-writes). */
  async waitFor(target: LogPosition, timeoutMs = 10_000): Promise<void> {
    if (compare(this.position, target) >= 0) return;
    const reached = new Promise<void>((resolve) => this.waiters.add({ target, resolve }));
    void this.wake();
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timeout = setTimeout(() => reject(new Error(`projection did not reach position ${target.position} within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([reached, expired]);
    } finally {
      clearTimeout(timeout);
    }
  }

  private advance(position: LogPosition): void {
    if (compare(position, this.position) > 0) this.position = position;
    for (const waiter of this.waiters)
      if (compare(this.position, waiter.target) >= 0) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
  }
}
