/**
 * As-of reads vs history length: an orgChart subtree (one department with its teams, their roles
 * and holders) and person.history, at random asOf/knownAt points, through the GraphQL schema
 * (yoga.fetch: the whole read path but HTTP) of a service in a fresh process of its own
 * (peers/reader.ts) — not in the benchmark's process, whose heap holds the generated
 * organisation and grows with it, which slowed every read at 1M events for reasons that have
 * nothing to do with the history. The probes are the same departments and people at every
 * history length; only the history behind them grows.
 */
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';
import type { App } from '../src/app.ts';
import type { OrgGenerator } from './lib/generate.ts';
import { Prng } from './lib/prng.ts';
import { runInProcess } from './lib/process.ts';
import { latency, type Latency } from './lib/stats.ts';

export const SUBTREE = `query($h: String!, $asOf: DateTime, $knownAt: DateTime) {
  orgUnit(handle: $h, asOf: $asOf, knownAt: $knownAt) { handle name roles { title status person { name } }
    children { handle name roles { title status confidence person { handle name } } } } }`;
export const HISTORY = `query($h: String!, $asOf: DateTime, $knownAt: DateTime) {
  person(handle: $h, asOf: $asOf, knownAt: $knownAt) { name history { title status startedAt endedAt unit { name } } } }`;

export interface AsOfResult extends Latency {
  events: number;
  subtree: Latency;
  history: Latency;
  /** Mean number of roles a subtree answer held (the answer size, to show it stays flat). */
  subtree_roles: number;
}

export const graphql = async (app: App, query: string, variables: Record<string, unknown>) => {
  const response = await app.yoga.fetch('http://bench/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
};

/** Random read points: asOf = an event's effective time, knownAt = the recorded time of a later one. */
const readPoints = async (sql: postgres.Sql, rng: Prng, from: number, to: number, n: number) => {
  const picks = Array.from({ length: n }, () => {
    const p = from + rng.int(to - from);
    return [p, p + rng.int(to - p + 1)] as const;
  });
  const positions = [...new Set(picks.flat())];
  const rows = await sql<{ position: string; occurred_at: Date; recorded_at: Date }[]>`
    SELECT position::text AS position, occurred_at, recorded_at FROM events WHERE position = ANY(${positions}::bigint[])`;
  const at = new Map(rows.map((r) => [Number(r.position), r]));
  return picks.map(([p, q]) => ({ asOf: at.get(p)!.occurred_at.toISOString(), knownAt: new Date(Math.max(at.get(q)!.recorded_at.getTime(), at.get(p)!.recorded_at.getTime())).toISOString() }));
};

/** One read of the plan: which query, with which variables. */
export interface PlannedRead {
  query: 'subtree' | 'history';
  variables: Record<string, unknown>;
}

const READER = fileURLToPath(new URL('./peers/reader.ts', import.meta.url));

export const measureAsOf = async (sql: postgres.Sql, url: string, generator: OrgGenerator, reads: number, seed: number): Promise<AsOfResult> => {
  const rng = new Prng(seed);
  const [{ first, last }] = (await sql`SELECT min(position)::int AS first, max(position)::int AS last FROM events`) as unknown as [{ first: number; last: number }];
  const points = await readPoints(sql, rng, first + generator.probeReadyAfter, last, reads);
  // Warm the connection pools and caches a little, uncounted.
  const warmUp = points.slice(0, 20).map((point): PlannedRead => ({ query: 'subtree', variables: { h: generator.probeDepartments[0]!, ...point } }));
  const plan = points.flatMap((point): PlannedRead[] => [
    { query: 'subtree', variables: { h: rng.pick(generator.probeDepartments), ...point } },
    { query: 'history', variables: { h: rng.pick(generator.probePeople), ...point } },
  ]);
  const { result } = await runInProcess<{ ms: number[]; roles: number }>(READER, [url, '{plan.json}'], { files: { 'plan.json': { warmUp, reads: plan } } });
  const { ms, roles } = result;
  const subtree = ms.filter((_, i) => plan[i]!.query === 'subtree');
  const history = ms.filter((_, i) => plan[i]!.query === 'history');
  return { events: last - first + 1, ...latency(ms), subtree: latency(subtree), history: latency(history), subtree_roles: Math.round(roles / points.length) };
};
