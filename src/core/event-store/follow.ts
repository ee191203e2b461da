/**
 * Follow the log: yield every event after a place, in commit-safe order, then keep yielding as
 * new ones commit. Replay and live are one loop over the same query, so the switch between them
 * can neither drop nor repeat an event. NOTIFY wakes the loop; a timeout covers a missed one.
 */
import type postgres from 'postgres';
import { EVENTS_CHANNEL, readAll } from './event-store.ts';
import type { LogPosition, StoredEvent } from './rows.ts';

export interface FollowOptions {
  batchSize?: number;
  idleMs?: number;
  signal?: AbortSignal;
}

export async function* followLog(sql: postgres.Sql, from: LogPosition, options: FollowOptions = {}): AsyncGenerator<StoredEvent> {
  let wake: (() => void) | null = null;
  let pending = false;
  const { unlisten } = await sql.listen(EVENTS_CHANNEL, () => {
    pending = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  let position = from;
  try {
    while (!options.signal?.aborted) {
      pending = false;
      const batch = await readAll(sql, { after: position, limit: options.batchSize ?? 500 });
      for (const event of batch) {
        yield event;
        position = { transactionId: event.transactionId, position: event.position };
      }
      if (batch.length > 0 || pending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.idleMs ?? 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await unlisten();
  }
}
