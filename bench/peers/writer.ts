/**
 * One of the append benchmark's single-write workloads (lib/writes.ts) in a process of its own,
 * so that every contender runs under the same conditions: a fresh process and pool, nothing else
 * in its heap (the benchmark's own process holds the whole generated organisation).
 * Usage: node --import tsx bench/peers/writer.ts <kind> <url> <clients> <seconds> [units.json]
 * Prints one JSON line: the LoadResult of the in-process measurements.
 */
import { readFileSync } from 'node:fs';
import { postgresClient } from '../../src/core/database/connect.ts';
import { runClients } from '../lib/stats.ts';
import { writer, type WriterKind } from '../lib/writes.ts';

const [kind, url, clients, seconds, unitsFile] = process.argv.slice(2);
const units = unitsFile ? (JSON.parse(readFileSync(unitsFile, 'utf8')) as string[]) : [];
const sql = postgresClient(url!, { max: Number(clients) });
// A longer warm-up than the in-process default, the same for every kind of writer: a fresh
// process has yet to see the 1,800 units it assigns roles in (its stream cache: the first role
// in a unit costs a read), which a running service has long since seen. Six seconds of
// commands touch nearly all of them.
const result = await runClients(Number(clients), Number(seconds), writer(kind as WriterKind, sql, Date.now().toString(36), units), {
  warmupSeconds: Number(seconds) >= 10 ? 6 : 2,
});
await sql.end();
console.log(JSON.stringify(result));
