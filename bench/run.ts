/**
 * `npm run bench` (`-- --quick` for a short run): orgtime measured against the physical limit and
 * against its peers, each figure beside its baseline from the same run on the same database.
 * Prints a table, writes bench/results/latest.json, and keeps a dated copy of every full run.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Projector } from '../src/core/projection/projector.ts';
import { measureAppend } from './append.ts';
import { measureAsOf } from './asof.ts';
import { growTo } from './history.ts';
import { measureLag } from './lag.ts';
import { createBenchDatabase, serverSettings, startCluster } from './lib/database.ts';
import { OrgGenerator } from './lib/generate.ts';
import { round } from './lib/stats.ts';
import { measureRebuild } from './rebuild.ts';
import { measureServing } from './serving.ts';
import { printTable, targets } from './report.ts';

const quick = process.argv.includes('--quick');
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));
const SEED = 20260301;
// Quick mode keeps the same three keys at a tenth of the scale or less (each marked scaled_down).
const config = quick
  ? { sizes: [['10k', 10_000], ['100k', 40_000], ['1m', 80_000]] as Array<[string, number]>, reads: 100, appendSeconds: 3, servingSeconds: 4, lagSeconds: 6 }
  : { sizes: [['10k', 10_000], ['100k', 100_000], ['1m', 1_000_000]] as Array<[string, number]>, reads: 400, appendSeconds: 10, servingSeconds: 15, lagSeconds: 30 };
// --sizes=a,b,c overrides the three history lengths (for trying the harness itself).
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
if (sizesArg) sizesArg.slice(8).split(',').forEach((n, i) => (config.sizes[i]![1] = Number(n)));
const NOMINAL: Record<string, number> = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };

const started = Date.now();
const log = (m: string) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${m}`);

const main = async () => {
  log(`${quick ? 'quick' : 'full'} run; seed ${SEED}`);
  const cluster = await startCluster(log);
  const db = await createBenchDatabase(cluster);
  log(`database ${db.name} on ${cluster.embedded ? 'the embedded PostgreSQL (.orgtime/bench-pgdata)' : 'DATABASE_URL'}`);
  try {
    const settings = await serverSettings(db.sql);
    const machine = {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      memory_gb: round(os.totalmem() / 2 ** 30, 1),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
      postgres: settings.server_version,
      postgres_settings: settings,
      database: cluster.embedded ? 'embedded' : 'DATABASE_URL',
      mode: quick ? 'quick' : 'full',
      seed: SEED,
      date: new Date().toISOString(),
    };
    const generator = new OrgGenerator(SEED);

    const asof: Record<string, unknown> = {};
    const history: Record<string, unknown> = {};
    for (const [key, size] of config.sizes) {
      history[key] = await growTo(db.sql, generator, size, log);
      const result = await measureAsOf(db.sql, db.url, generator, config.reads, SEED + size);
      asof[key] = { ...result, ...(size !== NOMINAL[key] ? { scaled_down: true } : {}) };
      log(`as-of at ${size} events: p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms (subtree ${result.subtree.p50}, history ${result.history.p50}; ${result.subtree_roles} roles per subtree)`);
    }
    const p50 = (k: string) => (asof[k] as { p50: number }).p50;
    asof.ratio_1m_10k = round(p50('1m') / p50('10k'), 3);
    const organisation = { events: generator.emitted, people: generator.people, units: generator.units, history };

    const rebuild = await measureRebuild(db.sql, db.url, log);
    const units = generator.writableTeams();
    const append = await measureAppend(db.sql, { seconds: config.appendSeconds, units, url: db.url, log });
    // The append runs left ~0.5M events unprojected; the server would catch up on them before it
    // listens, which is startup, not serving (and on a slow run took longer than its 60 s to start).
    const caughtUp = performance.now();
    await new Projector(db.sql, { batchSize: 5000 }).catchUp();
    log(`projected the append runs' events (${((performance.now() - caughtUp) / 1000).toFixed(0)} s, not measured)`);
    const graphql = await measureServing(db.sql, { url: db.url, seconds: config.servingSeconds, connections: 16, log });
    const lag = await measureLag({ url: db.url, seconds: config.lagSeconds, rate: Math.max(20, Math.round(append.single_8.ops / 2)), units, log });

    const results = { machine, organisation, append, asof, rebuild, graphql, lag, seconds: round((Date.now() - started) / 1000) };
    const withTargets = { ...results, targets: targets(results) };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(`${RESULTS}latest.json`, JSON.stringify(withTargets, null, 2) + '\n');
    if (!quick) copyFileSync(`${RESULTS}latest.json`, `${RESULTS}${machine.date.slice(0, 19).replace(/:/g, '-')}.json`);
    printTable(withTargets);
    log(`wrote bench/results/latest.json${quick ? '' : ' and a dated copy'}`);
  } finally {
    await db.drop();
    await cluster.stop();
  }
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
