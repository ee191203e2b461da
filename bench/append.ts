/**
 * Append throughput. orgtime: single-event commands through the real deciders (executeCommand),
 * and 100-event batches through the event store's append. Baselines on the same database: raw
 * autocommit single-row INSERTs and 100-row COPYs into a plain table of the same shape (no
 * triggers, no secondary indexes), same server, same durability. Peer: Emmett's PostgreSQL event
 * store appending the same single events, beside orgtime's own append of them. Single writes
 * (commands, INSERTs, both appends) each run in a fresh process of their own (peers/writer.ts,
 * peers/emmett.ts), alternating; batches run in the benchmark's process, both sides alike.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';
import type { NewEvent } from '../src/core/domain/events.ts';
import { appendToStreams } from '../src/core/event-store/group-append.ts';
import { runInProcess } from './lib/process.ts';
import { registration } from './lib/registration.ts';
import { alternate, ratio, round, runClients, type LoadResult } from './lib/stats.ts';
import { createPlainTable, PLAIN_COLUMNS, PLAIN_TABLE, plainRow, type WriterKind } from './lib/writes.ts';

const EMMETT = fileURLToPath(new URL('./peers/emmett.ts', import.meta.url));
const WRITER = fileURLToPath(new URL('./peers/writer.ts', import.meta.url));

/** A load generator in a process of its own (peers/*.ts): its LoadResult. */
const loadProcess = async (script: string, args: string[], files: Record<string, unknown> = {}): Promise<LoadResult> =>
  (await runInProcess<LoadResult>(script, args, { files })).result;

/**
 * Contenders each in a process of their own (same conditions: a fresh process and pool),
 * alternating (lib/stats.ts); each figure is the mean of its two runs.
 */
const alternateLoads = async (contenders: Array<() => Promise<LoadResult>>): Promise<Array<{ mean: number; runs: LoadResult[] }>> =>
  (await alternate(contenders)).map((runs) => ({ mean: runs.reduce((sum, x) => sum + x.opsPerS, 0) / runs.length, runs }));

export interface Figure {
  ops: number;
  baseline: number;
  ratio: number;
  [more: string]: unknown;
}

const copyField = (value: string | number) => String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

const copyPlain = async (sql: postgres.Sql, events: NewEvent[]) => {
  const text = events.map((e) => plainRow(e).map(copyField).join('\t')).join('\n') + '\n';
  const writable = (await sql.unsafe(`COPY ${PLAIN_TABLE} (${PLAIN_COLUMNS.join(', ')}) FROM STDIN`).writable()) as Writable;
  await pipeline(Readable.from([text]), writable);
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
  const writers = (kind: WriterKind, clients: number) => () => loadProcess(WRITER, [kind, url, String(clients), String(seconds), '{units.json}'], { 'units.json': units });

  const single = async (clients: number): Promise<Figure> => {
    const [ours, base] = await alternateLoads([writers('orgtime-commands', clients), writers('raw-inserts', clients)]);
    log(`single, ${clients} client(s): ${ours!.runs.map((r) => round(r.opsPerS)).join(', ')} commands/s vs ${base!.runs.map((r) => round(r.opsPerS)).join(', ')} INSERTs/s`);
    return {
      ops: round(ours!.mean),
      baseline: round(base!.mean),
      ratio: ratio(ours!.mean, base!.mean),
      clients,
      runs: ours!.runs.map((r) => round(r.opsPerS)),
      baseline_runs: base!.runs.map((r) => round(r.opsPerS)),
      ...summary(ours!.runs[1]!),
      baseline_p50_ms: base!.runs[1]!.latency.p50,
    };
  };
  const single_1 = await single(1);
  const single_8 = await single(8);
  return { single_1, single_8, batch_100: await measureBatch(sql, seconds, log), emmett_8: await measureEmmett(url, seconds, writers('orgtime-append', 8), single_8, log) };
};

/** 100-event appends by 2 clients against COPY and multi-row INSERT of the same rows. */
const measureBatch = async (sql: postgres.Sql, seconds: number, log: (m: string) => void): Promise<Figure> => {
  const run = Date.now().toString(36);
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
  return {
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
};

/** orgtime's append of single new-stream events against Emmett's, 8 clients each. */
const measureEmmett = async (url: string, seconds: number, orgtime: () => Promise<LoadResult>, single_8: Figure, log: (m: string) => void): Promise<Figure> => {
  let emmett_8: Figure = { ops: NaN, baseline: NaN, ratio: NaN, note: 'Emmett did not run' };
  try {
    const [ours, theirs] = await alternateLoads([orgtime, () => loadProcess(EMMETT, [url, '8', String(seconds)])]);
    log(`append of single events, 8 clients: orgtime ${ours!.runs.map((r) => round(r.opsPerS)).join(', ')}/s vs Emmett ${theirs!.runs.map((r) => round(r.opsPerS)).join(', ')}/s`);
    emmett_8 = {
      ops: round(ours!.mean),
      baseline: round(theirs!.mean),
      ratio: ratio(ours!.mean, theirs!.mean),
      clients: 8,
      what: 'event-store append of one new-stream event (expected version 0) vs Emmett appendToStream, each in its own process, two alternating runs each',
      runs: ours!.runs.map((r) => round(r.opsPerS)),
      baseline_runs: theirs!.runs.map((r) => round(r.opsPerS)),
      command_ops: single_8.ops,
      ...summary(ours!.runs[1]!),
      baseline_p50_ms: theirs!.runs[1]!.latency.p50,
    };
  } catch (error) {
    log(`Emmett: ${error instanceof Error ? error.message : error}`);
  }
  return emmett_8;
};
