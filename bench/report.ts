/** The targets, checked against a run, and the table printed at the end of it. */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Results = Record<string, any>;

export const targets = (r: Results) => {
  const check = (value: number, ok: boolean, target: string) => ({ value, target, holds: Number.isFinite(value) && ok });
  return {
    append_8_vs_insert: check(r.append.single_8.ratio, r.append.single_8.ratio >= 0.7, '>= 0.7x raw INSERT'),
    batch_events_per_s: check(r.append.batch_100.ops, r.append.batch_100.ops >= 100_000, '>= 100k events/s'),
    ahead_of_emmett: check(r.append.emmett_8.ratio, r.append.emmett_8.ratio > 1, '> 1.0x Emmett'),
    asof_p50_1m_ms: check(r.asof['1m'].p50, r.asof['1m'].p50 <= 10, '<= 10 ms'),
    asof_ratio_1m_10k: check(r.asof.ratio_1m_10k, r.asof.ratio_1m_10k <= 1.3, '<= 1.3'),
    rebuild_events_per_s: check(r.rebuild.events_per_s, r.rebuild.events_per_s >= 100_000, '>= 100k events/s'),
    rebuild_peak_rss_mb: check(r.rebuild.peak_rss_mb, r.rebuild.peak_rss_mb <= 500, '<= 500 MB'),
    graphql_vs_postgraphile: check(r.graphql.ratio_vs_postgraphile, r.graphql.ratio_vs_postgraphile >= 1, '>= 1.0x PostGraphile'),
    lag_p99_ms: check(r.lag.p99_ms, r.lag.p99_ms <= 100, '<= 100 ms'),
  };
};

const fmt = (x: unknown): string =>
  typeof x === 'number' ? (Number.isFinite(x) ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 100) / 100)) : 'n/a') : String(x ?? '');

export const printTable = (r: Results): void => {
  const t = r.targets;
  const mark = (k: string) => (t[k].holds ? 'yes' : 'NO');
  const asofSize = (k: string) => (r.asof[k].scaled_down ? `${fmt(r.asof[k].events)} events (for ${k})` : `${k} events`);
  const rows: string[][] = [
    ['figure', 'orgtime', 'baseline', 'ratio', 'target', 'holds'],
    ['append 1 client (commands/s)', fmt(r.append.single_1.ops), `${fmt(r.append.single_1.baseline)} INSERT`, fmt(r.append.single_1.ratio), '', ''],
    ['append 8 clients (commands/s)', fmt(r.append.single_8.ops), `${fmt(r.append.single_8.baseline)} INSERT`, fmt(r.append.single_8.ratio), '>= 0.7x', mark('append_8_vs_insert')],
    ['batch of 100 (events/s)', fmt(r.append.batch_100.ops), `${fmt(r.append.batch_100.baseline)} ${r.append.batch_100.baseline_kind.startsWith('COPY') ? 'COPY' : 'INSERT'}`, fmt(r.append.batch_100.ratio), '>= 100k/s', mark('batch_events_per_s')],
    ['append vs Emmett, 8 clients (events/s)', fmt(r.append.emmett_8.ops), `${fmt(r.append.emmett_8.baseline)} Emmett`, fmt(r.append.emmett_8.ratio), '> 1.0x', mark('ahead_of_emmett')],
    ...['10k', '100k', '1m'].map((k) => [`as-of p50/p95/p99 ms @ ${asofSize(k)}`, `${fmt(r.asof[k].p50)} / ${fmt(r.asof[k].p95)} / ${fmt(r.asof[k].p99)}`, '', '', k === '1m' ? 'p50 <= 10 ms' : '', k === '1m' ? mark('asof_p50_1m_ms') : '']),
    [r.asof['1m'].scaled_down ? 'as-of p50 largest / 10k' : 'as-of p50 1m / 10k', fmt(r.asof.ratio_1m_10k), '', fmt(r.asof.ratio_1m_10k), '<= 1.3', mark('asof_ratio_1m_10k')],
    ['rebuild (events/s)', fmt(r.rebuild.events_per_s), `${fmt(r.rebuild.read_only_events_per_s)} read only`, fmt(r.rebuild.ratio_vs_read_only), '>= 100k/s', mark('rebuild_events_per_s')],
    ['rebuild peak RSS (MB)', fmt(r.rebuild.peak_rss_mb), '', '', '<= 500 MB', mark('rebuild_peak_rss_mb')],
    ['GraphQL org chart (req/s)', fmt(r.graphql.rps), `${fmt(r.graphql.postgraphile_rps)} PostGraphile`, fmt(r.graphql.ratio_vs_postgraphile), '>= 1.0x', mark('graphql_vs_postgraphile')],
    ['GraphQL vs same SQL direct (req/s)', fmt(r.graphql.rps), `${fmt(r.graphql.sql_ceiling_rps)} SQL`, fmt(r.graphql.ratio_vs_sql_ceiling), '', ''],
    ['GraphQL p99 (ms)', fmt(r.graphql.p99_ms), `${fmt(r.graphql.postgraphile_p99_ms)} PostGraphile`, '', '', ''],
    [`projection lag p50/p99 ms @ ${fmt(r.lag.write_rate)} cmd/s`, `${fmt(r.lag.p50_ms)} / ${fmt(r.lag.p99_ms)}`, `${fmt(r.lag.notify_p50_ms)} / ${fmt(r.lag.notify_p99_ms)} NOTIFY`, fmt(r.lag.ratio_p99_vs_notify), 'p99 <= 100 ms', mark('lag_p99_ms')],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
  console.log(`\norgtime bench (${r.machine.mode}), ${r.machine.cpus} × ${r.machine.cpu_model}, ${r.machine.memory_gb} GB, Node ${r.machine.node}, PostgreSQL ${r.machine.postgres} (${r.machine.database})`);
  console.log(`organisation: ${fmt(r.organisation.events)} events, ${fmt(r.organisation.units)} units, ${fmt(r.organisation.people)} people\n`);
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`);
  for (const row of rows.slice(1)) console.log(line(row));
  console.log('');
};
