/**
 * orgtime's event-store append of the benchmark's single events, in its own process, so that it
 * runs under the same conditions as Emmett's (peers/emmett.ts): a fresh process, its own pool,
 * nothing else in its heap. Usage: node --import tsx bench/peers/orgtime-append.ts <url> <clients> <seconds>
 * Prints one JSON line: the same LoadResult the in-process measurements produce.
 */
import { postgresClient } from '../../src/core/database/connect.ts';
import { appendToStreams } from '../../src/core/event-store/event-store.ts';
import { registration } from '../lib/registration.ts';
import { runClients } from '../lib/stats.ts';

const [url, clients, seconds] = process.argv.slice(2);
const sql = postgresClient(url!, { max: Number(clients) });
const tag = Date.now().toString(36);
const result = await runClients(Number(clients), Number(seconds), (c, i) => {
  const event = registration(`o${tag}-${c}-${i}`);
  // A new stream: expected version 0 (Emmett's call checks nothing).
  return appendToStreams(sql, [event], new Map([[event.stream, 0]]));
});
await sql.end();
console.log(JSON.stringify(result));
