/**
 * The projection-lag measurement of bench/lag.ts in a fresh process of its own (projector,
 * writers and watcher together, nothing else in the heap).
 * Usage: node --import tsx bench/peers/lag.ts <url> <seconds> <commands per s> <units.json>
 * Prints one JSON line: the lag figures; the summary line goes to stderr.
 */
import { readFileSync } from 'node:fs';
import { openDatabase } from '../../src/core/database/connect.ts';
import { lagInThisProcess } from '../lag.ts';

const [url, seconds, rate, unitsFile] = process.argv.slice(2);
const units = JSON.parse(readFileSync(unitsFile!, 'utf8')) as string[];
// The service's own database setup: the projector's statements run as they do in `orgtime serve`.
const database = await openDatabase({ url: url!, poolSize: 16, log: () => {} });
try {
  const result = await lagInThisProcess(database.sql, { url: url!, seconds: Number(seconds), rate: Number(rate), units, log: (m) => console.error(m) });
  console.log(JSON.stringify(result));
} finally {
  await database.close();
}
