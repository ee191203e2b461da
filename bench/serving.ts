/**
 * GraphQL serving over HTTP: the current org chart (root → divisions → departments, with the
 * roles and holders of the last two levels) under a separate load generator (autocannon, its
 * own process, 127.0.0.1 only, fixed connections, fixed duration). orgtime runs as a user runs
 * it, `orgtime serve` in a process of its own; same query shape against PostGraphile serving the
 * same read-model tables through views (the peer, also in its own process), and the same SQL
 * orgtime sends, run directly with the same concurrency (the ceiling).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';
import { PROJECT_ROOT } from '../src/core/database/connect.ts';
import { subtreeStatement } from '../src/core/read-model/subtree.ts';
import { alternate, ratio, round, runClients, sleep } from './lib/stats.ts';

export const ORGTIME_QUERY = `{ orgChart { handle name children { handle name roles { title person { name } }
  children { handle name roles { title person { name } } } } } }`;
const PEER_QUERY = `{ allUnitsList(condition: { parentHandle: null }, orderBy: NAME_ASC) { handle name children(orderBy: NAME_ASC) { handle name roles { title person { name } }
  children(orderBy: NAME_ASC) { handle name roles { title person { name } } } } } }`;

const AUTOCANNON = `${PROJECT_ROOT}node_modules/autocannon/autocannon.js`;
const PEER = fileURLToPath(new URL('./peers/postgraphile.cjs', import.meta.url));
const VIEWS = fileURLToPath(new URL('./peers/views.sql', import.meta.url));

interface Cannon {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
}

/** autocannon in its own process, bounded by time (and killed if it overstays). */
const cannon = (url: string, body: string, connections: number, seconds: number): Promise<Cannon> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type=application/json', '-b', body, '--json', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('exit', (code) => {
      clearTimeout(guard);
      try {
        const r = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; '2xx': number; duration: number };
        resolve({ rps: round(r['2xx'] / r.duration, 1), p50_ms: r.latency.p50, p99_ms: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
      } catch {
        reject(new Error(`autocannon exited ${code}: ${out.slice(0, 300)}`));
      }
    });
  });

/** The mean of a contender's runs: requests/s and latencies averaged, failures summed. */
const meanOf = (runs: Cannon[]): Cannon => {
  const mean = (pick: (r: Cannon) => number) => round(runs.reduce((sum, r) => sum + pick(r), 0) / runs.length, 1);
  return { rps: mean((r) => r.rps), p50_ms: mean((r) => r.p50_ms), p99_ms: mean((r) => r.p99_ms), non2xx: runs.reduce((n, r) => n + r.non2xx, 0), errors: runs.reduce((n, r) => n + r.errors, 0) };
};

const post = async (url: string, query: string) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: any; errors?: unknown }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (body.errors || !body.data) throw new Error(`${url}: ${JSON.stringify(body.errors).slice(0, 500)}`);
  return body.data;
};

type Unit = { handle: string; roles?: unknown[]; children?: Unit[] };
const shape = (units: Unit[]): { units: number; roles: number } =>
  units.reduce((acc, u) => {
    const below = shape(u.children ?? []);
    return { units: acc.units + 1 + below.units, roles: acc.roles + (u.roles?.length ?? 0) + below.roles };
  }, { units: 0, roles: 0 });

/** The statement orgtime sends for ORGTIME_QUERY (read-model/subtree.ts), as one "request". */
const sqlRequest = (sql: postgres.Sql) => {
  const now = new Date();
  const ctx = { asOf: now, knownAt: now, tier: 0 };
  return sql.unsafe(subtreeStatement(ctx, { top: 'roots', depth: 2, roles: [false, true, true], people: true }), [now, now, 0, []] as never[], { prepare: true });
};

/**
 * The service as a user starts it (`npm start`: its Node flags included) on `port`, resolved
 * once it says it is ready. In a process group of its own, so that stopping it stops npm's child.
 */
const startOrgtime = (url: string, port: number): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn('npm', ['start', '--silent'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: url, PORT: String(port), ORGTIME_WRITE_TOKEN: `bench:${port}` },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      if (/ready; the org chart/.test(err)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`orgtime serve exited ${code}: ${err.slice(-400)}`)));
    setTimeout(() => reject(new Error('orgtime serve did not start in 60 s')), 60_000);
  });

export interface ServingOptions {
  url: string;
  seconds: number;
  connections: number;
  log: (m: string) => void;
}

export const measureServing = async (sql: postgres.Sql, { url, seconds, connections, log }: ServingOptions) => {
  const ourPort = 20000 + Math.floor(Math.random() * 20000);
  const server = await startOrgtime(url, ourPort);
  const ours = `http://127.0.0.1:${ourPort}/graphql`;
  await sql.unsafe(readFileSync(VIEWS, 'utf8'));
  const peerPort = ourPort === 39999 ? 20000 : ourPort + 1;
  // JIT off for the peer: PostGraphile sends the whole tree as one statement whose estimated cost
  // (≈ 4M at 1M events) makes a JIT-enabled server compile it with full optimisation on every
  // request (≈ 0.9 s per request against 0.02 s). The embedded server has no JIT (no llvmjit), so
  // this keeps the peer as it was measured there; orgtime's statements stay far below the threshold.
  const peer: ChildProcess = spawn(process.execPath, [PEER, url, String(peerPort), 'bench_peer'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PGOPTIONS: `${process.env.PGOPTIONS ?? ''} -c jit=off`.trim() },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      peer.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
      peer.once('exit', (code) => reject(new Error(`PostGraphile exited ${code}`)));
      setTimeout(() => reject(new Error('PostGraphile did not start in 60 s')), 60_000);
    });
    const theirs = `http://127.0.0.1:${peerPort}/graphql`;
    // Same answer, or the comparison means nothing.
    const a = shape((await post(ours, ORGTIME_QUERY)).orgChart);
    const b = shape((await post(theirs, PEER_QUERY)).allUnitsList);
    if (a.units !== b.units || a.roles !== b.roles) throw new Error(`answers differ: orgtime ${JSON.stringify(a)}, PostGraphile ${JSON.stringify(b)}`);
    log(`serving query answers ${a.units} units and ${a.roles} roles (both servers agree)`);

    // Alternating, twice each, as the append contenders do: one pass in a fixed order once put
    // the peer 18 % ahead and once 6 % behind on the same code, by when it ran, not by what it was.
    const [orgtimeRuns, postgraphileRuns] = await alternate([
      () => cannon(ours, JSON.stringify({ query: ORGTIME_QUERY }), connections, seconds),
      () => cannon(theirs, JSON.stringify({ query: PEER_QUERY }), connections, seconds),
    ]);
    const runs = { orgtime: orgtimeRuns!, postgraphile: postgraphileRuns! };
    const orgtime = meanOf(runs.orgtime);
    const postgraphile = meanOf(runs.postgraphile);
    log(`orgtime: ${runs.orgtime.map((r) => r.rps).join(', ')} req/s, p99 ${orgtime.p99_ms} ms`);
    log(`PostGraphile: ${runs.postgraphile.map((r) => r.rps).join(', ')} req/s, p99 ${postgraphile.p99_ms} ms`);
    const ceiling = await runClients(connections, seconds, () => sqlRequest(sql));
    log(`the same SQL directly: ${round(ceiling.opsPerS)} req/s`);
    return {
      rps: orgtime.rps,
      p99_ms: orgtime.p99_ms,
      p50_ms: orgtime.p50_ms,
      sql_ceiling_rps: round(ceiling.opsPerS, 1),
      ratio_vs_sql_ceiling: ratio(orgtime.rps, ceiling.opsPerS),
      runs: runs.orgtime.map((r) => r.rps),
      postgraphile_rps: postgraphile.rps,
      postgraphile_runs: runs.postgraphile.map((r) => r.rps),
      postgraphile_p99_ms: postgraphile.p99_ms,
      ratio_vs_postgraphile: ratio(orgtime.rps, postgraphile.rps),
      connections,
      answer: a,
      errors: orgtime.errors + orgtime.non2xx + postgraphile.errors + postgraphile.non2xx,
    };
  } finally {
    peer.kill('SIGTERM');
    process.kill(-server.pid!, 'SIGTERM');
    await sleep(300);
  }
};
