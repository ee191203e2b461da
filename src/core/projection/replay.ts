/**
 * `orgtime replay`: rebuild every projection from position zero (rebuild.ts: the log grouped by
 * entity, planned by the same code the live projector runs, written by COPY). One transaction:
 * readers keep the old read model until it commits, and the live projector waits on the
 * checkpoint lock. `--verify` compares a checksum of the
 * tables before and after — equal means the live projection is exactly what the log implies.
 */
import cliProgress from 'cli-progress';
import type postgres from 'postgres';
import { PROJECTION, readCheckpoint } from './projector.ts';
import { rebuildProjections } from './rebuild.ts';

/** Row-order-independent digest of every projection table (surrogate ids excluded). */
export const projectionChecksum = async (sql: postgres.Sql | postgres.TransactionSql): Promise<Record<string, string>> => {
  const digest = async (table: string, columns: string) => {
    const [row] = await sql.unsafe<{ digest: string | null; rows: number }[]>(
      `SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS digest, count(*)::int AS rows
       FROM (SELECT (${columns})::text AS r FROM ${table}) t`,
    );
    return `${row!.rows} rows, md5 ${row!.digest}`;
  };
  const versionColumns = 'tier_min, tier_max, confidence, sources, event_ids, valid_from, valid_to, known_from, known_to';
  return {
    entity_facts: await digest('entity_facts', 'position, event_id, entity, type, occurred_at, recorded_at, confidence, confirmed_at, retracted_at, person_handle, unit_handle, data, metadata'),
    person_versions: await digest('person_versions', `handle, name, native_name, ${versionColumns}`),
    unit_versions: await digest('unit_versions', `handle, name, kind, parent_handle, ${versionColumns}`),
    role_versions: await digest('role_versions', `role_id, person_handle, unit_handle, title, reports_to, status, started_at, leaving_from, ended_at, ${versionColumns}`),
  };
};

export interface ReplayResult {
  events: number;
  seconds: number;
  ok: boolean;
  /** How the tables were rebuilt: fresh ones swapped in, or the live ones rewritten. */
  mode: 'swap' | 'in-place';
  before?: Record<string, string>;
  after?: Record<string, string>;
}

export const replay = async (sql: postgres.Sql, options: { verify?: boolean; progress?: boolean } = {}): Promise<ReplayResult> => {
  const started = performance.now();
  const result = await sql.begin(async (tx) => {
    const live = await readCheckpoint(tx, true);
    const before = options.verify ? await projectionChecksum(tx) : undefined;
    const [{ total }] = (await tx`SELECT count(*)::int AS total FROM events`) as unknown as [{ total: number }];
    const bar = options.progress ? new cliProgress.SingleBar({ format: 'replay [{bar}] {percentage}% | {value}/{total} events | {eta}s left' }, cliProgress.Presets.shades_classic) : null;
    bar?.start(total, 0);
    const rebuilt = await rebuildProjections(sql, tx, { onProgress: (n) => bar?.update(n) });
    bar?.stop();
    const at = rebuilt.checkpoint;
    await tx`UPDATE projection_checkpoints SET transaction_id = ${at.transactionId.toString()}::xid8, position = ${at.position.toString()}, updated_at = now()
      WHERE projection = ${PROJECTION}`;
    const afterDigest = options.verify ? await projectionChecksum(tx) : undefined;
    // The live projector may have been behind the log: then "before" is a prefix, not a peer.
    const comparable = live.position === at.position && live.transactionId === at.transactionId;
    const ok = !options.verify || (comparable && JSON.stringify(before) === JSON.stringify(afterDigest));
    return { events: rebuilt.events, ok, before, after: afterDigest, mode: rebuilt.mode };
  });
  const seconds = (performance.now() - started) / 1000;
  const report = { ...result, seconds } as ReplayResult;
  if (options.progress !== undefined) {
    console.error(`[orgtime] replayed ${report.events} events in ${seconds.toFixed(2)} s (${Math.round(report.events / Math.max(seconds, 1e-3))} events/s)`);
    if (options.verify) {
      for (const table of Object.keys(report.after ?? {}))
        console.error(`[orgtime]   ${table}: live ${report.before?.[table]} | rebuilt ${report.after?.[table]}`);
      console.error(`[orgtime] verify: ${report.ok ? 'rebuilt projections equal the live ones' : 'MISMATCH between rebuilt and live projections'}`);
    }
  }
  return report;
};
