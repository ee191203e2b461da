/**
 * Rebuild: the real `orgtime replay` command in its own process on the benchmark's log, timed,
 * with its peak RSS from /usr/bin/time (or /proc polling when that is missing). Baseline: reading
 * the same log through the event store's readAll in the same pages, nothing projected.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type postgres from 'postgres';
import { PROJECT_ROOT } from '../src/core/database/connect.ts';
import { readAll } from '../src/core/event-store/event-store.ts';
import { START_OF_LOG } from '../src/core/event-store/rows.ts';
import { ratio, round } from './lib/stats.ts';

const replayProcess = (url: string): Promise<{ seconds: number; peakRssMb: number }> =>
  new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', `${PROJECT_ROOT}src/main.ts`, 'replay'];
    const timed = existsSync('/usr/bin/time');
    const child = timed
      ? spawn('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(process.execPath, args, { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    let polledKb = 0;
    const poll = timed
      ? null
      : setInterval(() => {
          const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polledKb = Math.max(polledKb, Number(m[1]));
        }, 100);
    child.stderr.on('data', (d) => (err += d));
    const started = performance.now();
    child.on('exit', (code) => {
      if (poll) clearInterval(poll);
      const seconds = (performance.now() - started) / 1000;
      const rss = /maxrss_kb=(\d+)/.exec(err);
      if (code !== 0) return reject(new Error(`orgtime replay exited ${code}: ${err.slice(-500)}`));
      resolve({ seconds, peakRssMb: round((rss ? Number(rss[1]) : polledKb) / 1024, 1) });
    });
  });

export const measureRebuild = async (sql: postgres.Sql, url: string, log: (m: string) => void) => {
  const started = performance.now();
  let read = 0;
  await sql.begin(async (tx) => {
    for (let after = START_OF_LOG; ; ) {
      const page = await readAll(tx, { after, limit: 5000 });
      if (page.length === 0) break;
      read += page.length;
      after = { transactionId: page.at(-1)!.transactionId, position: page.at(-1)!.position };
    }
  });
  const readRate = read / ((performance.now() - started) / 1000);
  log(`reading the log alone: ${round(readRate)} events/s; replaying`);
  // The whole command, start-up included (it prints its own timing only to a terminal).
  const replay = await replayProcess(url);
  const events = read;
  const rate = events / replay.seconds;
  log(`orgtime replay: ${events} events in ${round(replay.seconds, 1)} s (${round(rate)}/s), peak RSS ${replay.peakRssMb} MB`);
  return {
    events_per_s: round(rate),
    peak_rss_mb: replay.peakRssMb,
    events,
    seconds: round(replay.seconds, 2),
    read_only_events_per_s: round(readRate),
    ratio_vs_read_only: ratio(rate, readRate),
  };
};
