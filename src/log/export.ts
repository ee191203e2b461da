/** `orgtime export`: the whole log as NDJSON, in commit-safe order — the format import reads. */
import type postgres from 'postgres';
import { readAll } from '../core/event-store/event-store.ts';
import { START_OF_LOG } from '../core/event-store/rows.ts';
import { toEnvelope } from './ndjson.ts';

export const exportLog = async (sql: postgres.Sql, write: (line: string) => void): Promise<number> => {
  let after = START_OF_LOG;
  let count = 0;
  for (;;) {
    const page = await readAll(sql, { after, limit: 5000 });
    if (page.length === 0) return count;
    for (const event of page) write(JSON.stringify(toEnvelope(event)));
    count += page.length;
    const last = page[page.length - 1]!;
    after = { transactionId: last.transactionId, position: last.position };
  }
};
