/**
 * The as-of reads of bench/asof.ts in a process of its own: a service (createApp) on the
 * benchmark's database, fresh, with nothing else in its heap. Usage:
 * node --import tsx bench/peers/reader.ts <url> <plan.json>
 * Prints one JSON line: each counted read's milliseconds, in plan order, and the roles the
 * subtree answers held.
 */
import { readFileSync } from 'node:fs';
import { createApp } from '../../src/app.ts';
import { openDatabase } from '../../src/core/database/connect.ts';
import { graphql, HISTORY, SUBTREE, type PlannedRead } from '../asof.ts';

const [url, planFile] = process.argv.slice(2);
const { warmUp, reads } = JSON.parse(readFileSync(planFile!, 'utf8')) as { warmUp: PlannedRead[]; reads: PlannedRead[] };
const database = await openDatabase({ url: url!, poolSize: 4, log: () => {} });
const app = createApp({ database });
const text = { subtree: SUBTREE, history: HISTORY };
try {
  await app.warmUp();
  for (const read of warmUp) await graphql(app, text[read.query], read.variables);
  const ms: number[] = [];
  let roles = 0;
  for (const read of reads) {
    const t = performance.now();
    const data = await graphql(app, text[read.query], read.variables);
    ms.push(performance.now() - t);
    if (read.query === 'subtree')
      roles += (data.orgUnit?.roles.length ?? 0) + (data.orgUnit?.children ?? []).reduce((n: number, c: { roles: unknown[] }) => n + c.roles.length, 0);
  }
  console.log(JSON.stringify({ ms, roles }));
} finally {
  await database.close();
}
