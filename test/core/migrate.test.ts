// The migration applier against a real PostgreSQL, in throwaway databases it creates and drops,
// so it never touches anyone's data. The server: the run's (test/support/global-setup.ts provides
// it: DATABASE_URL's or the embedded one), else DATABASE_URL, else the machine's PostgreSQL.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { applyMigrations } from '../../src/core/database/migrate.ts';

const serverUrl = inject('adminUrl') ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
const created: { name: string; sql: postgres.Sql }[] = [];
const folders: string[] = [];

async function freshDatabase(): Promise<postgres.Sql> {
  const name = `orgtime_migrate_test_${randomBytes(6).toString('hex')}`;
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: 3, onnotice: () => {} });
  created.push({ name, sql });
  return sql;
}

/** A migrations folder as `prisma migrate dev --create-only` lays it out. */
function migrationsFolder(migrations: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orgtime-migrations-'));
  folders.push(dir);
  fs.writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const [name, script] of Object.entries(migrations)) writeMigration(dir, name, script);
  return dir;
}

function writeMigration(dir: string, name: string, script: string): void {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'migration.sql'), script);
}

const FIRST = '20260101000000_teams';
const SECOND = '20260102000000_team_function';
const MIGRATIONS = {
  [FIRST]: 'CREATE TABLE "teams" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL);\n',
  // A plpgsql body with semicolons inside `$$`: it only survives if the file is sent whole.
  [SECOND]: `CREATE FUNCTION "team_name"(team INTEGER) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE result TEXT;
BEGIN
    SELECT "name" INTO result FROM "teams" WHERE "id" = team;
    RETURN coalesce(result, 'unknown');
END;
$$;
INSERT INTO "teams" VALUES (1, 'Platform');
`,
};

beforeAll(async () => {
  await admin`select 1`; // fail early and clearly if the server is not there
});

afterAll(async () => {
  for (const { name, sql } of created) {
    await sql.end({ timeout: 5 });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  }
  await admin.end({ timeout: 5 });
  for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
});

describe('applyMigrations on an empty database', () => {
  it('applies every migration in name order and records them as Prisma does', async () => {
    const sql = await freshDatabase();
    const dir = migrationsFolder(MIGRATIONS);

    expect(await applyMigrations(sql, dir, () => {})).toEqual([FIRST, SECOND]);

    expect(await sql`select "team_name"(1) as name`).toEqual([{ name: 'Platform' }]);
    const rows = await sql`select * from _prisma_migrations order by migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual([FIRST, SECOND]);
    for (const row of rows) {
      const script = fs.readFileSync(path.join(dir, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(script).digest('hex'));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
    }
  });

  it('lets only one of two simultaneous deploys apply each migration', async () => {
    const sql = await freshDatabase();
    const dir = migrationsFolder(MIGRATIONS);

    const [a, b] = await Promise.all([applyMigrations(sql, dir, () => {}), applyMigrations(sql, dir, () => {})]);

    expect([...a, ...b].sort()).toEqual([FIRST, SECOND]);
  });
});

describe('applyMigrations on an up-to-date database', () => {
  it('applies nothing on the second run', async () => {
    const sql = await freshDatabase();
    const dir = migrationsFolder(MIGRATIONS);
    await applyMigrations(sql, dir, () => {});

    const messages: string[] = [];
    expect(await applyMigrations(sql, dir, (m) => messages.push(m))).toEqual([]);
    expect(messages).toEqual([]);
  });

  it('warns about a migration edited after it was applied, and leaves the database alone', async () => {
    const sql = await freshDatabase();
    const dir = migrationsFolder(MIGRATIONS);
    await applyMigrations(sql, dir, () => {});
    writeMigration(dir, FIRST, `${MIGRATIONS[FIRST]}-- an afterthought\n`);

    const messages: string[] = [];
    expect(await applyMigrations(sql, dir, (m) => messages.push(m))).toEqual([]);

    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(FIRST);
    expect(messages[0]).toMatch(/edited after it was applied/);
  });

  it('does not mistake a checkout with CRLF line endings for an edit', async () => {
    const sql = await freshDatabase();
    const dir = migrationsFolder(MIGRATIONS);
    await applyMigrations(sql, dir, () => {});
    writeMigration(dir, SECOND, MIGRATIONS[SECOND].replaceAll('\n', '\r\n'));

    const messages: string[] = [];
    await applyMigrations(sql, dir, (m) => messages.push(m));
    expect(messages).toEqual([]);
  });
});

describe('applyMigrations after a failed migration', () => {
  const BROKEN = '20260103000000_broken';

  it('rolls the failed script back, records it, and refuses to go on until it is resolved', async () => {
    const sql = await freshDatabase();
    const dir = migrationsFolder(MIGRATIONS);
    writeMigration(dir, BROKEN, 'CREATE TABLE "half" ("id" INTEGER);\nSELECT 1 / 0;\n');

    await expect(applyMigrations(sql, dir, () => {})).rejects.toThrow(/Migration 20260103000000_broken failed.*division by zero/s);
    expect(await sql`select to_regclass('half') as t`).toEqual([{ t: null }]); // no half-applied script
    const [failed] = await sql`select * from _prisma_migrations where migration_name = ${BROKEN}`;
    expect(failed).toMatchObject({ finished_at: null, rolled_back_at: null, applied_steps_count: 0 });
    expect(failed!.logs).toMatch(/22012/);

    // Even with the script fixed, the failed record blocks every later run...
    writeMigration(dir, BROKEN, 'CREATE TABLE "half" ("id" INTEGER);\n');
    writeMigration(dir, '20260104000000_later', 'CREATE TABLE "later" ("id" INTEGER);\n');
    await expect(applyMigrations(sql, dir, () => {})).rejects.toThrow(/failed migrations.*20260103000000_broken.*rolled_back_at/s);
    expect(await sql`select to_regclass('later') as t`).toEqual([{ t: null }]);

    // ...until it is marked rolled back, as `prisma migrate resolve --rolled-back` does.
    await sql`update _prisma_migrations set rolled_back_at = now() where migration_name = ${BROKEN}`;
    expect(await applyMigrations(sql, dir, () => {})).toEqual([BROKEN, '20260104000000_later']);
  });
});
