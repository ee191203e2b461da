/**
 * Emmett's PostgreSQL event store appending the benchmark's single events, in its own process
 * (its node-postgres setup changes process-wide type parsing, which would break Prisma's pg
 * adapter in the bench process). Usage: node --import tsx bench/peers/emmett.ts <url> <clients> <seconds>
 * Prints one JSON line: the same LoadResult the in-process measurements produce.
 */
import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { runClients } from '../lib/stats.ts';

const [url, clients, seconds] = process.argv.slice(2);
const store = getPostgreSQLEventStore(url!);
const tag = Date.now().toString(36);
const result = await runClients(Number(clients), Number(seconds), (c, i) => {
  const handle = `b-e${tag}-${c}-${i}`;
  return store.appendToStream(`person-${handle}`, [
    { type: 'PersonRegistered', data: { handle, name: `Bench ${handle}`, nativeName: null }, metadata: { eventId: randomUUID(), confidence: 'CONFIRMED', actor: 'bench' } },
  ]);
});
await store.close();
console.log(JSON.stringify(result));
