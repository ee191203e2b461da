/**
 * Append throughput. orgtime: single-event commands through the real deciders (executeCommand),
 * and 100-event batches through the event store's append. Baselines on the same database: raw
 * autocommit single-row INSERTs and 100-row COPYs into a plain table of the same shape (no
 * triggers, no secondary indexes), same server, same durability. Peer: Emmett's PostgreSQL event
 * store appending the same single events, beside orgtime's own append of them.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type postgres from 'postgres';
import { executeCommand } from '../src/core/commands/execute.ts';
import type { Command } from '../src/core/domain/commands.ts';
import type { NewEvent } from '../src/core/domain/events.ts';
import { appendToStreams } from '../src/core/event-store/event-store.ts';
import { registration } from './lib/registration.ts';
import { ratio, round, runClients, type LoadResult } from './lib/stats.ts';

const EMMETT = fileURLToPath(new URL('./peers/emmett.ts', import.meta.url));
const ORGTIME = fileURLToPath(new URL('./peers/orgtime-append.ts', import.meta.url));

/** A load generator in a process of its own (peers/*.ts), its LoadResult read from stdout. */
const loadProcess = (script: string, url: string, clients: number, seconds: number): Promise<LoadResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, url, String(clients), String(seconds)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult);
      } catch {
        reject(new Error(`${script} exited ${code}: ${err.slice(-400)}`));
      }
    });
  });

export interface Figure {
  ops: number;
  baseline: number;
  ratio: number;
  [more: string]: unknown;
}

const PLAIN = 'bench_plain_events';
const COLUMNS = ['stream_id', 'stream_version', 'event_id', 'type', 'data', 'metadata', 'occurred_at'] as const;

export const createPlainTable = (sql: postgres.Sql) =>
  sql.unsafe(`CREATE TABLE IF NOT EXISTS ${PLAIN} (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, transaction_id XID8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL, event_id UUID NOT NULL, type TEXT NOT NULL,
    schema_version INTEGER NOT NULL DEFAULT 1, data JSONB NOT NULL, metadata JSONB NOT NULL DEFAULT '{}',
    occurred_at TIMESTAMPTZ NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())`);

const now = () => new Date();

const plainRow = (e: NewEvent) => [e.stream, 1, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), e.occurredAt.toISOString()] as const;

const insertPlain = (sql: postgres.Sql, e: NewEvent) => {
  const [stream, version, id, type, data, meta, at] = plainRow(e);
  return sql`INSERT INTO bench_plain_events (stream_id, stream_version, event_id, type, data, metadata, occurred_at)
    VALUES (${stream}, ${version}, ${id}, ${type}, ${data}::jsonb, ${meta}::jsonb, ${at}::timestamptz)`;
};

const copyField = (value: string | number) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

const copyPlain = async (sql: postgres.Sql, events: NewEvent[]) => {
  const text = events.map((e) => plainRow(e).map(copyField).join('\t')).join('\n') + '\n';
  const writable = (await sql.unsafe(`COPY ${PLAIN} (${COLUMNS.join(', ')}) FROM STDIN`).writable()) as Writable;
  await pipeline(Readable.from([text]), writable);
};

/** Commands that each append exactly one event: a registration, then that person's first role. */
const commandFor = (run: string, client: number, i: number, units: readonly string[]): Command => {
  const base = { effectiveAt: now(), confidence: 'CONFIRMED' as const, source: null };
  const handle = `c-${run}-${client}-${Math.floor(i / 2)}`;
  return i % 2 === 0
    ? { ...base, type: 'RegisterPerson', handle, name: `Bench ${handle}`, nativeName: null }
    : { ...base, type: 'AssignRole', person: handle, unit: units[(client * 7919 + i) % units.length]!, title: 'Engineer', reportsTo: null };
};

export interface AppendOptions {
  seconds: number;
  units: readonly string[];
  /** The database's URL, for Emmett's own process. */
  url: string;
  log: (m: string) => void;
}

const summary = (r: LoadResult) => ({ p50_ms: r.latency.p50, p99_ms: r.latency.p99, errors: r.errors });

export const measureAppend = async (sql: postgres.Sql, { seconds, units, url, log }: AppendOptions) => {
  await createPlainTable(sql);
  const run = Date.now().toString(36);
  const commands = async (clients: number) =>
    runClients(clients, seconds, (c, i) => executeCommand(sql, commandFor(`${run}${clients}`, c, i, units), { actor: 'bench' }));
  const inserts = (clients: number) => runClients(clients, seconds, (c, i) => insertPlain(sql, registration(`i${clients}-${c}-${i}`)));

  const single = async (clients: number): Promise<Figure> => {
    const ours = await commands(clients);
    const base = await inserts(clients);
    log(`single, ${clients} client(s): ${round(ours.opsPerS)} commands/s vs ${round(base.opsPerS)} INSERTs/s`);
    return { ops: round(ours.opsPerS), baseline: round(base.opsPerS), ratio: ratio(ours.opsPerS, base.opsPerS), clients, ...summary(ours), baseline_p50_ms: base.latency.p50 };
  };
  const single_1 = await single(1);
  const single_8 = await single(8);

  const BATCH = 100;
  const batchClients = 2;
  const batch = (tag: string) => Array.from({ length: BATCH }, (_, k) => registration(`${tag}-${k}`));
  const ours = await runClients(batchClients, seconds, (c, i) => appendToStreams(sql, batch(`a${run}-${c}-${i}`), new Map()));
  const copy = await runClients(batchClients, seconds, (c, i) => copyPlain(sql, batch(`p${run}-${c}-${i}`)));
  const multi = await runClients(batchClients, seconds, (c, i) => {
    const rows = batch(`m${run}-${c}-${i}`).map((e) => {
      const [stream_id, stream_version, event_id, type, data, meta, occurred_at] = plainRow(e);
      return { stream_id, stream_version, event_id, type, data: sql.json(JSON.parse(data)), metadata: sql.json(JSON.parse(meta)), occurred_at };
    });
    return sql`INSERT INTO bench_plain_events ${sql(rows)}`;
  });
  log(`batch of ${BATCH}, ${batchClients} clients: ${round(ours.opsPerS * BATCH)} events/s vs COPY ${round(copy.opsPerS * BATCH)}, multi-row INSERT ${round(multi.opsPerS * BATCH)} events/s`);
  const batch_100: Figure = {
    ops: round(ours.opsPerS * BATCH),
    // The physical limit is the faster of the two ways to bulk-insert 100 rows.
    baseline: round(Math.max(copy.opsPerS, multi.opsPerS) * BATCH),
    ratio: ratio(ours.opsPerS, Math.max(copy.opsPerS, multi.opsPerS)),
    clients: batchClients,
    baseline_kind: copy.opsPerS >= multi.opsPerS ? 'COPY into plain table' : 'multi-row INSERT into plain table',
    copy_baseline: round(copy.opsPerS * BATCH),
    multirow_insert_baseline: round(multi.opsPerS * BATCH),
    ...summary(ours),
  };

  // Both contenders in processes of their own (same conditions: a fresh process, its own pool),
  // alternating twice so that neither always runs on a warmer or colder database; each figure is
  // the mean of its two runs.
  let emmett_8: Figure = { ops: NaN, baseline: NaN, ratio: NaN, note: 'Emmett did not run' };
  try {
    const ours: LoadResult[] = [];
    const theirs: LoadResult[] = [];
    for (let round = 0; round < 2; round++) {
      ours.push(await loadProcess(ORGTIME, url, 8, seconds));
      theirs.push(await loadProcess(EMMETT, url, 8, seconds));
    }
    const mean = (runs: LoadResult[]) => runs.reduce((sum, r) => sum + r.opsPerS, 0) / runs.length;
    log(`append of single events, 8 clients: orgtime ${ours.map((r) => round(r.opsPerS)).join(', ')}/s vs Emmett ${theirs.map((r) => round(r.opsPerS)).join(', ')}/s`);
    emmett_8 = {
      ops: round(mean(ours)),
      baseline: round(mean(theirs)),
      ratio: ratio(mean(ours), mean(theirs)),
      clients: 8,
      what: 'event-store append of one new-stream event (expected version 0) vs Emmett appendToStream, each in its own process, two alternating runs each',
      runs: ours.map((r) => round(r.opsPerS)),
      baseline_runs: theirs.map((r) => round(r.opsPerS)),
      command_ops: single_8.ops,
      ...summary(ours[1]!),
      baseline_p50_ms: theirs[1]!.latency.p50,
    };
  } catch (error) {
    log(`Emmett: ${error instanceof Error ? error.message : error}`);
  }
  return { single_1, single_8, batch_100, emmett_8 };
};
