/**
 * One place that turns configuration into live connections: the embedded PostgreSQL when no
 * DATABASE_URL is given, the migrations applied, then postgres.js (event log, LISTEN/NOTIFY)
 * and Prisma with the pg driver adapter (read model) on the same database.
 */
import { fileURLToPath } from 'node:url';
import { PrismaPg } from '@prisma/adapter-pg';
import postgres from 'postgres';
import { PrismaClient } from '../../generated/prisma/client.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { applyMigrations } from './migrate.ts';

export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MIGRATIONS = fileURLToPath(new URL('../../../prisma/migrations/', import.meta.url));

export interface Database {
  url: string;
  sql: postgres.Sql;
  prisma: PrismaClient;
  embedded: boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Use this server; when absent, start the embedded one under dataDir. */
  url?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  log?: (message: string) => void;
}

export const connect = (url: string, poolSize = 10): Pick<Database, 'sql' | 'prisma'> => ({
  // Quiet NOTICEs (e.g. "relation already exists, skipping" from idempotent DDL).
  sql: postgres(url, { max: poolSize, onnotice: () => {} }),
  prisma: new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) }),
});

export const openDatabase = async (options: DatabaseOptions = {}): Promise<Database> => {
  const log = options.log ?? ((m: string) => console.error(`[orgtime] ${m}`));
  const embedded = options.url
    ? null
    : await startEmbeddedPostgres({ dataDir: options.dataDir ?? `${PROJECT_ROOT}.orgtime/pgdata`, log });
  const url = options.url ?? embedded!.url;
  const { sql, prisma } = connect(url, options.poolSize);
  try {
    const applied = await applyMigrations(sql, MIGRATIONS, log);
    if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await sql.end();
    await embedded?.stop();
    throw error;
  }
  return {
    url,
    sql,
    prisma,
    embedded: embedded !== null,
    close: async () => {
      await prisma.$disconnect();
      await sql.end({ timeout: 5 });
      await embedded?.stop();
    },
  };
};
