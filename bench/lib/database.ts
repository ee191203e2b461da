/**
 * Where the benchmark runs: the server DATABASE_URL names, or else an embedded PostgreSQL of its
 * own (data under .orgtime/bench-pgdata, never the service's .orgtime/pgdata). Every run works in
 * throwaway databases it creates and drops; the service's data is never touched.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, PROJECT_ROOT, type Database } from '../../src/core/database/connect.ts';
import { startEmbeddedPostgres } from '../../src/core/database/embedded.ts';

export interface Cluster {
  /** URL of the server's maintenance database (where CREATE DATABASE runs). */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export const withDatabaseName = (url: string, name: string): string => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

export const startCluster = async (log: (m: string) => void): Promise<Cluster> => {
  const url = process.env.DATABASE_URL;
  if (url) return { adminUrl: url, embedded: false, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: `${PROJECT_ROOT}.orgtime/bench-pgdata`, log });
  return { adminUrl: embedded.url, embedded: true, stop: embedded.stop };
};

export interface BenchDatabase extends Database {
  name: string;
  drop(): Promise<void>;
}

/** A fresh database on the cluster, migrated exactly as the service migrates (openDatabase). */
export const createBenchDatabase = async (cluster: Cluster, poolSize = 16): Promise<BenchDatabase> => {
  const name = `orgtime_bench_${randomBytes(5).toString('hex')}`;
  const admin = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ url: withDatabaseName(cluster.adminUrl, name), poolSize, log: () => {} });
  return {
    ...database,
    name,
    drop: async () => {
      await database.close();
      const cleanup = postgres(cluster.adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
};

/** Server settings that decide what "the same durability" means, for the report. */
export const serverSettings = async (sql: postgres.Sql) => {
  const rows = await sql<{ name: string; setting: string }[]>`
    SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method', 'shared_buffers', 'max_connections')`;
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
};
