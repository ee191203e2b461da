/** Timing helpers: percentiles, closed-loop load with N clients for a fixed time, formatting. */

export interface Latency {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

export const latency = (samples: readonly number[]): Latency => {
  const sorted = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(percentile(sorted, 50)), p95: r(percentile(sorted, 95)), p99: r(percentile(sorted, 99)), n: sorted.length };
};

export interface LoadResult {
  /** Operations completed per second. */
  opsPerS: number;
  ops: number;
  seconds: number;
  latency: Latency;
  errors: number;
}

/**
 * Closed loop: `clients` workers each run `op` back to back until `seconds` have passed (after a
 * warm-up that is not counted). `op` gets the worker index and a per-worker counter.
 */
export const runClients = async (
  clients: number,
  seconds: number,
  op: (client: number, i: number) => Promise<unknown>,
  { warmupSeconds = 1 } = {},
): Promise<LoadResult> => {
  const counters = Array.from({ length: clients }, () => 0);
  const warmupEnd = performance.now() + warmupSeconds * 1000;
  await Promise.all(counters.map(async (_, c) => {
    while (performance.now() < warmupEnd) await op(c, counters[c]!++);
  }));
  const samples: number[] = [];
  let errors = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  await Promise.all(
    counters.map(async (_, c) => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await op(c, counters[c]!++);
          samples.push(performance.now() - t);
        } catch (error) {
          if (++errors === 1) console.error('[bench] first error:', error instanceof Error ? error.message : error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { opsPerS: samples.length / elapsed, ops: samples.length, seconds: elapsed, latency: latency(samples), errors };
};

export const ratio = (value: number, baseline: number): number => (baseline > 0 ? Math.round((value / baseline) * 1000) / 1000 : NaN);
export const round = (x: number, digits = 0): number => Math.round(x * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Contenders run one after another, twice round, so that none always runs on a warmer or colder
 * machine or database: each contender's runs, in order.
 */
export const alternate = async <T>(contenders: Array<() => Promise<T>>): Promise<T[][]> => {
  const runs: T[][] = contenders.map(() => []);
  for (let round = 0; round < 2; round++) for (const [k, run] of contenders.entries()) runs[k]!.push(await run());
  return runs;
};
