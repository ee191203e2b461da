/**
 * orgtime's event-store append of the benchmark's single events, in its own process, so that it
 * runs under the same conditions as Emmett's (peers/emmett.ts): a fresh process, its own pool,
 * nothing else in its heap. Usage: node --import tsx bench/peers/orgtime-append.ts <url> <clients> <seconds>
 * Prints one JSON line: the same LoadResult the in-process measurements produce.
 */
import { randomUUID } from 'node:crypto';
import { postgresClient } from '../../src/core/database/connect.ts';
import { personStream } from '../../src/core/domain/events.ts';
import { appendToStreams } from '../../src/core/event-store/event-store.ts';
import { runClients } from '../lib/stats.ts';

const [url, clients, seconds] = process.argv.slice(2);
const sql = postgresClient(url!, { max: Number(clients) });
const tag = Date.now().toString(36);
const result = await runClients(Number(clients), Number(seconds), (c, i) => {
  const handle = `b-o${tag}-${c}-${i}`;
  const event = {
    type: 'PersonRegistered' as const,
    data: { handle, name: `Bench ${handle}`, nativeName: null },
    eventId: randomUUID(),
    stream: personStream(handle),
    occurredAt: new Date(),
    metadata: { confidence: 'CONFIRMED' as const, actor: 'bench' },
  };
  // A new stream: expected version 0 (Emmett's call below checks nothing).
  return appendToStreams(sql, [event], new Map([[event.stream, 0]]));
});
await sql.end();
console.log(JSON.stringify(result));
