/**
 * Bulk writes for the rebuild: rows buffered per table as COPY text lines and sent with
 * `COPY … FROM STDIN`, the fastest way into PostgreSQL (no parameters to bind, no per-row
 * statement). One COPY is in flight at a time (written in place, the rebuild's transaction has
 * one connection) while the caller goes on producing the next rows.
 */
import type postgres from 'postgres';
import type { Column } from './store.ts';

/** COPY text format: backslash escapes for the four characters that would break a line. */
const field = (value: string | null): string =>
  value === null ? '\\N' : /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;

interface Buffered {
  names: string;
  lines: string[];
}

export class CopyWriter {
  private readonly buffers = new Map<string, Buffered>();
  private bytes = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: postgres.Sql | postgres.TransactionSql,
    /** Send once this much text is buffered across tables. */
    private readonly flushBytes = 4 << 20,
  ) {}

  /** Queue rows; resolves at once unless a flush has to wait for the previous one. */
  async add<T>(table: string, columns: ReadonlyArray<Column<T>>, items: readonly T[]): Promise<void> {
    if (items.length === 0) return;
    let buffer = this.buffers.get(table);
    if (!buffer) this.buffers.set(table, (buffer = { names: columns.map(([name]) => name).join(', '), lines: [] }));
    for (const item of items) {
      const line = columns.map(([, , value]) => field(value(item))).join('\t');
      buffer.lines.push(line);
      this.bytes += line.length + 1;
    }
    if (this.bytes >= this.flushBytes) await this.flush();
  }

  /** Send everything buffered; the returned promise settles when it is all in the table. */
  async finish(): Promise<void> {
    await this.flush();
    await this.inFlight;
  }

  private async flush(): Promise<void> {
    const batches = [...this.buffers].filter(([, b]) => b.lines.length > 0).map(([table, b]) => ({ table, names: b.names, text: b.lines.join('\n') + '\n' }));
    for (const buffer of this.buffers.values()) buffer.lines = [];
    this.bytes = 0;
    // Wait for the previous COPY (the connection takes one at a time), then start this one
    // without waiting for it: the caller reads and plans the next rows meanwhile.
    await this.inFlight;
    this.inFlight = (async () => {
      for (const { table, names, text } of batches) {
        const stream = await this.sql.unsafe(`COPY ${table} (${names}) FROM STDIN`).writable();
        await new Promise<void>((resolve, reject) => {
          stream.once('error', reject);
          stream.once('finish', resolve);
          stream.end(text);
        });
      }
    })();
    // Surface a failure at the next add/finish, and never as an unhandled rejection.
    this.inFlight.catch(() => {});
  }
}
