// Applies prisma/migrations/<timestamp>_<name>/migration.sql the way `prisma migrate deploy` does.
// The Prisma CLI cannot run here (its native schema engine is not downloadable), so this speaks
// Prisma Migrate's protocol itself: same advisory lock, same `_prisma_migrations` table, same
// checksums, same "a failed migration blocks everything" rule. Anyone who does have the Prisma CLI
// can keep running `prisma migrate status|deploy|resolve` against the same folder and database.
// Mirrors prisma-engines schema-engine/core/src/commands/apply_migrations.rs.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type postgres from 'postgres';

/** Prisma's lock id: deploys from orgtime and from the Prisma CLI exclude each other. */
const LOCK_ID = 72707369;
const LOCK_TIMEOUT = '60s';

// Prisma's exact DDL (postgres flavour), so the Prisma CLI sees no difference.
const CREATE_TABLE = `CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

/** Applies the migrations not yet applied, in name order; returns their names. */
export async function applyMigrations(
  sql: postgres.Sql,
  migrationsDir: string,
  log: (m: string) => void = (m) => console.warn(`[orgtime] ${m}`),
): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  // A session-level advisory lock lives on one connection: do all the work on a reserved one.
  const conn = await sql.reserve();
  try {
    await lock(conn);
    try {
      const [table] = await conn`select to_regclass('_prisma_migrations') as oid`;
      if (!table?.oid) await conn.unsafe(CREATE_TABLE);
      const rows = await conn<Row[]>`
        select migration_name, checksum, finished_at, rolled_back_at, started_at, logs
        from _prisma_migrations order by started_at`;
      refuseFailed(rows);
      const applied = rows.filter((r) => r.rolled_back_at === null);
      warnAboutDrift(applied, migrations, log);
      const done = new Set(applied.map((r) => r.migration_name));
      const names: string[] = [];
      for (const m of migrations.filter((m) => !done.has(m.name))) {
        await applyOne(conn, m);
        names.push(m.name); // reported by the caller
      }
      return names;
    } finally {
      await conn`select pg_advisory_unlock(${LOCK_ID})`;
    }
  } finally {
    // The connection goes back to the caller's pool: undo any SET a migration script made.
    await conn.unsafe('reset all').catch(() => {});
    conn.release();
  }
}

interface Migration { name: string; script: string }

function readMigrations(dir: string): Migration[] {
  const lockfile = path.join(dir, 'migration_lock.toml');
  if (fs.existsSync(lockfile)) {
    // Prisma refuses a folder made for another database; so do we.
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(fs.readFileSync(lockfile, 'utf8'))?.[1];
    if (provider && provider !== 'postgresql') {
      throw new Error(`${lockfile} says these migrations are for "${provider}", not PostgreSQL.`);
    }
  }
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort() // code-point order, as Prisma sorts folder names
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!fs.existsSync(file)) throw new Error(`The migration folder ${name} has no migration.sql (${file}).`);
      return { name, script: fs.readFileSync(file, 'utf8') };
    });
}

async function lock(conn: postgres.ReservedSql): Promise<void> {
  // lock_timeout bounds the wait: a stuck deploy elsewhere fails this one loudly instead of hanging.
  await conn.unsafe(`set lock_timeout = '${LOCK_TIMEOUT}'`);
  try {
    await conn`select pg_advisory_lock(${LOCK_ID})`;
  } catch (err) {
    throw new Error(`Another process has held the migration lock (pg_advisory_lock(${LOCK_ID})) for ` +
      `over ${LOCK_TIMEOUT}: a deploy running elsewhere? ${message(err)}`, { cause: err });
  } finally {
    await conn.unsafe('reset lock_timeout');
  }
}

/** Prisma's P3009: never build on top of a migration that failed half-way. */
function refuseFailed(rows: Row[]): void {
  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length === 0) return;
  const details = failed.map((r) => `- ${r.migration_name}, started ${r.started_at.toISOString()}` +
    (r.logs?.trim() ? `, failed with:\n    ${r.logs.trim().replace(/\n/g, '\n    ')}` : ' (no logs: interrupted?)'));
  const names = failed.map((r) => `'${r.migration_name}'`).join(', ');
  throw new Error(
    `Found failed migrations in the database; no further migrations will be applied.\n${details.join('\n')}\n` +
    'Check what the failed migration left behind and fix the script; then mark it rolled back with ' +
    '`npx prisma migrate resolve --rolled-back <name>` or, without the Prisma CLI:\n' +
    `  UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name IN (${names}) ` +
    'AND finished_at IS NULL AND rolled_back_at IS NULL;\nand start again.');
}

function warnAboutDrift(applied: Row[], migrations: Migration[], log: (m: string) => void): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of applied) {
    const local = byName.get(row.migration_name);
    if (!local) {
      log(`warning: migration ${row.migration_name} is applied in the database but missing from the migrations folder`);
    } else if (!scriptMatchesChecksum(local.script, row.checksum)) {
      log(`warning: migration ${row.migration_name} was edited after it was applied (checksum differs); ` +
        'the database still has the old version. Put a change in a new migration instead.');
    }
  }
}

async function applyOne(conn: postgres.ReservedSql, m: Migration): Promise<void> {
  const id = randomUUID();
  // Recorded before running, as Prisma does: if this process dies mid-script, the row without
  // finished_at is what stops the next run from carrying on blindly.
  await conn`insert into _prisma_migrations (id, checksum, started_at, migration_name)
             values (${id}, ${checksum(m.script)}, now(), ${m.name})`;
  try {
    // One simple-protocol query with the whole file (no parameters): `$$` bodies stay intact, and
    // PostgreSQL runs the statements in one implicit transaction, so a failure leaves no half.
    await conn.unsafe(m.script);
  } catch (err) {
    await conn`update _prisma_migrations set logs = ${describe(err)} where id = ${id}`;
    throw new Error(`Migration ${m.name} failed; PostgreSQL rolled its script back. ${describe(err)}\n` +
      'Further migrations are blocked until it is fixed and marked rolled back (see _prisma_migrations).',
    { cause: err });
  }
  await conn`update _prisma_migrations set applied_steps_count = applied_steps_count + 1 where id = ${id}`;
  await conn`update _prisma_migrations set finished_at = now() where id = ${id}`;
}

/** Hex SHA-256 of the file's text: what Prisma stores. */
export function checksum(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

/** Prisma's comparison: tolerant of git's CRLF/LF conversion and of old unpadded checksums. */
function scriptMatchesChecksum(script: string, stored: string): boolean {
  return [script, script.replaceAll('\r\n', '\n'), script.replaceAll('\n', '\r\n')].some((s) => {
    const digest = createHash('sha256').update(s, 'utf8').digest();
    const hex = stored.length === 64 ? digest.toString('hex') : [...digest].map((b) => b.toString(16)).join('');
    return hex === stored;
  });
}

function describe(err: unknown): string {
  const e = err as { message?: string; code?: string; position?: string; detail?: string; where?: string };
  return [
    e.code ? `Database error code: ${e.code}` : '',
    `Database error: ${e.message ?? String(err)}`,
    e.position ? `Position: character ${e.position}` : '',
    e.detail ? `Detail: ${e.detail}` : '',
    e.where ? `Where: ${e.where}` : '',
  ].filter(Boolean).join('\n');
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
