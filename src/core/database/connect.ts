/**
 * One place that turns configuration into live connections: the embedded PostgreSQL when no
 * DATABASE_URL is given, the migrations applied, then postgres.js (event log, LISTEN/NOTIFY)
 * and Prisma with the pg driver adapter (read model) on the same database.
 */
import net from 'node:net';
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

/**
 * postgres.js opens plain TCP sockets with Nagle's algorithm on. A message sent while an earlier
 * one is unacknowledged then waits for the server's delayed ACK (40 ms on Linux): every COPY
 * (data, then CopyDone) and every pipelined statement paid it. node-postgres, Prisma's driver
 * and HTTP servers all turn it off; so do we. Unix sockets have no Nagle.
 */
const connectWithoutNagle = (options: { host: string[]; port: number[]; path?: string | false }): Promise<net.Socket> =>
  new Promise((resolve, reject) => {
    const socket = options.path ? net.connect({ path: options.path }) : net.connect({ host: options.host[0]!, port: options.port[0]!, noDelay: true });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });

/** postgres.js with the project's connection settings. */
export const postgresClient = (url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): postgres.Sql =>
  // Quiet NOTICEs (e.g. "relation already exists, skipping" from idempotent DDL).
  postgres(url, { onnotice: () => {}, ...options, socket: connectWithoutNagle } as postgres.Options<Record<string, postgres.PostgresType>>);

/**
 * Generic plans for the service's prepared statements, from their first execution. Left to
 * itself PostgreSQL kept re-planning the as-of lookups for every call (custom plans: their
 * generic plan's estimate, with the probe point unknown, looked worse), and planning those
 * statements — GiST probes over computed ranges — cost more than running them: a department's
 * subtree at 1M events took 2.5 ms, 0.3–0.5 ms with the generic plan, whose access paths are the
 * ones the statements are written for anyway (see read-model/lookups.ts).
 */
const SESSION = { plan_cache_mode: 'force_generic_plan' };

export const connect = (url: string, poolSize = 10): Pick<Database, 'sql' | 'prisma'> => ({
  sql: postgresClient(url, { max: poolSize, connection: SESSION }),
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
