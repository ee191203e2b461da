/**
 * Projection lag: commands committed at a steady rate by 4 clients while the service's projector
 * runs (woken by NOTIFY, as in `orgtime serve`); a watcher polls the projection checkpoint every
 * ~2 ms. Lag = from the command's commit (its return) to the first poll that shows it applied.
 * Baseline: commit-to-delivery of a NOTIFY sent under the same load (the wake-up's own floor).
 * All of it runs in a fresh process of its own (peers/lag.ts): in the benchmark's process, whose
 * heap holds the generated organisation, its garbage collector's pauses delayed the watcher and
 * the projector alike.
 */
import { fileURLToPath } from 'node:url';
import { runInProcess } from './lib/process.ts';
import { postgresClient } from '../src/core/database/connect.ts';
import type postgres from 'postgres';
import { executeCommand } from '../src/core/commands/execute.ts';
import type { Command } from '../src/core/domain/commands.ts';
import type { LogPosition } from '../src/core/event-store/rows.ts';
import { compare, Projector } from '../src/core/projection/projector.ts';
import { latency, round, sleep } from './lib/stats.ts';

export interface LagOptions {
  url: string;
  seconds: number;
  /** Commands per second, across all writers. */
  rate: number;
  units: readonly string[];
  log: (m: string) => void;
}

export type LagResult = Awaited<ReturnType<typeof lagInThisProcess>>;

const LAG = fileURLToPath(new URL('./peers/lag.ts', import.meta.url));

export const measureLag = async ({ url, seconds, rate, units, log }: LagOptions): Promise<LagResult> => {
  const { result, log: lines } = await runInProcess<LagResult>(LAG, [url, String(seconds), String(rate), '{units.json}'], { files: { 'units.json': units } });
  log(lines.trim().split('\n').at(-1)!);
  return result;
};

/** The measurement itself, in the calling process (peers/lag.ts calls it in a fresh one). */
export const lagInThisProcess = async (sql: postgres.Sql, { url, seconds, rate, units, log }: LagOptions) => {
  const projector = new Projector(sql, { pollMs: 1000 });
  await projector.start();
  await projector.catchUp();
  const watcher = postgresClient(url, { max: 1 });
  const pinger = postgresClient(url, { max: 1 });
  const pending: Array<{ target: LogPosition; at: number }> = [];
  const lags: number[] = [];
  const pings = new Map<string, number>();
  const early = new Map<string, number>();
  const notifyLags: number[] = [];
  const listener = await pinger.listen('bench_ping', (id) => {
    const sent = pings.get(id);
    if (sent === undefined) early.set(id, performance.now());
    else notifyLags.push(Math.max(0, performance.now() - sent));
  });
  const ponger = postgresClient(url, { max: 1 });

  let running = true;
  let stopAt = Infinity;
  const watch = (async () => {
    while (running || pending.length > 0) {
      const [row] = await watcher<{ transaction_id: string; position: string }[]>`
        SELECT transaction_id::text AS transaction_id, position::text AS position FROM projection_checkpoints WHERE projection = 'org'`;
      const seen = { transactionId: BigInt(row!.transaction_id), position: BigInt(row!.position) };
      const t = performance.now();
      for (let i = pending.length - 1; i >= 0; i--)
        if (compare(seen, pending[i]!.target) >= 0) {
          lags.push(t - pending[i]!.at);
          pending.splice(i, 1);
        }
      if (!running && performance.now() > stopAt + 15_000) break;
      await sleep(2);
    }
  })();
  const ping = (async () => {
    for (let i = 0; running; i++) {
      const id = `p${i}`;
      await ponger`SELECT pg_notify('bench_ping', ${id})`;
      const acked = performance.now();
      const arrived = early.get(id);
      if (arrived !== undefined) notifyLags.push(0);
      else pings.set(id, acked);
      await sleep(20);
    }
  })();

  const writers = 4;
  const interval = (1000 * writers) / rate;
  const end = performance.now() + seconds * 1000;
  const tag = Date.now().toString(36);
  let written = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let next = performance.now() + (interval * w) / writers;
      for (let i = 0; performance.now() < end; i++) {
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
        next += interval;
        const handle = `lag-${tag}-${w}-${Math.floor(i / 2)}`;
        const base = { effectiveAt: new Date(), confidence: 'CONFIRMED' as const, source: null };
        const command: Command =
          i % 2 === 0
            ? { ...base, type: 'RegisterPerson', handle, name: handle, nativeName: null }
            : { ...base, type: 'AssignRole', person: handle, unit: units[(w * 31 + i) % units.length]!, title: 'Engineer', reportsTo: null };
        const { events } = await executeCommand(sql, command, { actor: 'bench' });
        const last = events.at(-1)!;
        pending.push({ target: { transactionId: last.transactionId, position: last.position }, at: performance.now() });
        written++;
      }
    }),
  );
  stopAt = performance.now();
  running = false;
  await Promise.all([watch, ping]);
  await listener.unlisten();
  await projector.stop();
  await Promise.all([watcher.end(), pinger.end(), ponger.end()]);
  const ours = latency(lags);
  const floor = latency(notifyLags);
  log(`lag at ${round(written / seconds)} commands/s: p50 ${ours.p50} ms, p99 ${ours.p99} ms (NOTIFY floor p50 ${floor.p50}, p99 ${floor.p99}); ${pending.length} never seen`);
  return {
    p50_ms: ours.p50,
    p99_ms: ours.p99,
    p95_ms: ours.p95,
    samples: ours.n,
    unseen: pending.length,
    write_rate: round(written / seconds, 1),
    notify_p50_ms: floor.p50,
    notify_p99_ms: floor.p99,
    ratio_p99_vs_notify: floor.p99 > 0 ? round(ours.p99 / floor.p99, 2) : null,
  };
};
