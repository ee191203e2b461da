/**
 * Bulk reads for the rebuild: `COPY (query) TO STDOUT` in text format, decoded into rows of text
 * fields — the counterpart of copy-writer.ts. Against a cursor over the same query, on the 1M-event
 * log: PostgreSQL may run the query in parallel (a cursor's row-limited fetches rule that out;
 * the log's sort by entity sent its first row after 3.0 s instead of 6.3 s), and splitting
 * tab-separated lines costs Node less than parsing the protocol's typed rows (the whole read:
 * 5.6 s against 12.7 s). The stream pauses the socket when the consumer falls behind, so memory
 * holds what is being decoded, not the log.
 */
import { StringDecoder } from 'node:string_decoder';
import type postgres from 'postgres';

/** A row as COPY sent it: one string per column, null for NULL. */
export type CopyRow = Array<string | null>;

/** What COPY's text format writes for the characters it may not send raw. */
const ESCAPED: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

const field = (text: string): string | null =>
  text === '\\N' ? null : text.includes('\\') ? text.replace(/\\(.)/gs, (_, c: string) => ESCAPED[c] ?? c) : text;

/** The decoded rows of one line-aligned piece of COPY text. */
const decode = (text: string): CopyRow[] => {
  const rows: CopyRow[] = [];
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    rows.push(text.slice(start, end).split('\t').map(field));
    start = end + 1;
  }
  return rows;
};

/**
 * Run `query` (a SELECT, without bind parameters: COPY takes none) and yield its rows, a few
 * thousand at a time, in the query's order.
 */
export async function* copyRows(sql: postgres.Sql | postgres.TransactionSql, query: string): AsyncGenerator<CopyRow[]> {
  const stream = await sql.unsafe(`COPY (${query}) TO STDOUT`).readable();
  // PostgreSQL sends a row per message, but nothing here relies on it: only complete lines are
  // decoded, and the decoder keeps a character cut between two chunks for the next one.
  const utf8 = new StringDecoder('utf8');
  let pending = '';
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending += utf8.write(chunk);
      if (pending.length < 1 << 16) continue;
      const cut = pending.lastIndexOf('\n') + 1;
      yield decode(pending.slice(0, cut));
      pending = pending.slice(cut);
    }
  } finally {
    // postgres.js pauses the connection's socket when the stream's buffer is full and resumes it
    // when the stream is read again; if the end of the COPY arrived in the same network chunk as
    // the message that paused it, nothing resumes it, and the connection's next statement (the
    // reader's COMMIT) waits forever (porsager/postgres#499, fix proposed in #1016). The stream's
    // read hook is what resumes the socket: call it once more, a no-op on a flowing socket.
    (stream as unknown as { _read(size: number): void })._read(0);
  }
  pending += utf8.end();
  if (pending.length > 0) yield decode(pending.endsWith('\n') ? pending : `${pending}\n`);
}
