/**
 * The rebuild reads the log through `COPY (query) TO STDOUT` (copy-reader.ts): every value must
 * come back exactly as PostgreSQL holds it, and the connection must stay usable however slowly
 * the rows are consumed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, type CopyRow } from '../../src/core/projection/copy-reader.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

const all = async (query: string): Promise<CopyRow[]> => {
  const rows: CopyRow[] = [];
  for await (const batch of copyRows(db.sql, query)) rows.push(...batch);
  return rows;
};

describe('reading a query by COPY', () => {
  it('returns every value exactly, NULL apart from the text \\N, in the query order', async () => {
    const values = ['plain', 'tab\there', 'new\nline', 'carriage\rreturn', 'back\\slash', '\\N', '\b\f\v', '通义千问 🚀', '', 'a\\tb'];
    const rows = await all(`SELECT n, v, NULL::text AS nothing FROM unnest(ARRAY[${values.map((v) => `convert_from(decode('${Buffer.from(v).toString('hex')}', 'hex'), 'UTF8')`).join(', ')}]::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n`);
    expect(rows).toEqual(values.map((v, i) => [String(i + 1), v, null]));
  });

  it('returns jsonb as text JSON.parse reads back', async () => {
    const value = { quote: 'He said "go"\\ and\tleft\n', nested: [1, null, 'é'] };
    const [[text]] = (await all(`SELECT '${JSON.stringify(value).replace(/'/g, "''")}'::jsonb`)) as [[string]];
    expect(JSON.parse(text)).toEqual(value);
  });

  it('leaves the connection usable after a consumer slower than the server', async () => {
    // The rows arrive faster than they are taken, so the stream pushes back on the socket; the
    // statement after the COPY on the same connection must still get its answer.
    const after = await db.sql.begin(async (tx) => {
      let count = 0;
      for await (const batch of copyRows(tx, `SELECT x, repeat('x', 200) FROM generate_series(1, 100000) x`)) {
        count += batch.length;
        await sleep(2);
      }
      const [{ answer }] = (await tx`SELECT 42 AS answer`) as unknown as [{ answer: number }];
      return { count, answer };
    });
    expect(after).toEqual({ count: 100000, answer: 42 });
  }, 30_000);
});
