/**
 * Where a rebuild writes. Normally into fresh twins of the projection tables, without indexes,
 * swapped in at the end: COPY into an index-free table and one index build afterwards costs a
 * fraction of maintaining every index row by row, and readers keep the old tables (the swap is
 * the last thing the transaction does). The twins are created and filled outside the rebuild's
 * transaction, committed, so that several connections can work on them at once: the facts'
 * INSERT beside the versions' COPYs, and index builds beside both — a table's indexes are built
 * as soon as it holds all its rows, while the rest is still streaming (the indexes were a third of
 * a 1M-event replay when built one after another at the end). Nobody reads the twins; a rebuild
 * that fails drops them, and one that crashed leaves them for the next to drop. When an operator
 * has hung something on a table that a swap would lose — a view over it, grants — the rebuild
 * writes in place instead, inside its transaction: slower, same result.
 */
import pLimit from 'p-limit';
import type postgres from 'postgres';
import { VERSION_TABLES } from './store.ts';

type Tx = postgres.TransactionSql;

export const PROJECTION_TABLES = ['entity_facts', ...Object.values(VERSION_TABLES)] as const;
export type ProjectionTable = (typeof PROJECTION_TABLES)[number];

export interface RebuildTarget {
  /** 'swap' (fresh tables) or 'in-place' (the live tables, emptied). */
  mode: 'swap' | 'in-place';
  /** The table to write each projection's rows into. */
  tableFor(table: ProjectionTable): string;
  /** Where to write them: the pool (swap), or the rebuild's transaction (in place). */
  writes: postgres.Sql | Tx;
  /** The table holds all its rows: a swap starts building its indexes. */
  filled(table: ProjectionTable): void;
  /** Make the written tables the projection tables (indexes, names, statistics). */
  complete(): Promise<void>;
  /** The rebuild failed: leave nothing behind outside its transaction. */
  abandon(): Promise<void>;
}

const STAGING = '_rebuild';

/** Tables a swap would strip of something: dependent views or rules, or explicit grants. */
const unswappable = async (tx: Tx): Promise<string[]> => {
  const rows = await tx<{ table: string }[]>`
    SELECT c.relname AS table FROM pg_class c
    WHERE c.relname = ANY(${[...PROJECTION_TABLES]}) AND c.relnamespace = current_schema()::regnamespace
      AND (c.relacl IS NOT NULL OR EXISTS (
        SELECT 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
        WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = c.oid AND r.ev_class <> c.oid))`;
  return rows.map((r) => r.table);
};

interface IndexDefinition {
  name: string;
  definition: string;
  /**
   * Set when the index backs a constraint: 'PRIMARY KEY' or 'UNIQUE' (attached to an index built
   * beforehand, at the swap), or the whole definition of any other kind (added at the swap).
   */
  constraint: string | null;
}

const indexesOf = (tx: Tx, table: string) =>
  tx<IndexDefinition[]>`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
           CASE WHEN con.contype = 'p' AND NOT con.condeferrable THEN 'PRIMARY KEY'
                WHEN con.contype = 'u' AND NOT con.condeferrable THEN 'UNIQUE'
                ELSE pg_get_constraintdef(con.oid) END AS constraint
    FROM pg_index i LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
    WHERE i.indrelid = ${table}::regclass ORDER BY i.indexrelid`;

const attachable = (index: IndexDefinition) => index.constraint === null || index.constraint === 'PRIMARY KEY' || index.constraint === 'UNIQUE';

/** The sequence behind the table's identity column, if it has one. */
const identitySequenceOf = async (tx: Tx, table: string): Promise<string | null> => {
  const [row] = await tx<{ name: string }[]>`
    SELECT pg_get_serial_sequence(${table}, a.attname) AS name FROM pg_attribute a
    WHERE a.attrelid = ${table}::regclass AND a.attidentity <> '' AND NOT a.attisdropped`;
  return row?.name ?? null;
};

/** "CREATE INDEX name ON public.t USING …" rebuilt for another name and table. */
const retarget = (definition: string, name: string, table: string): string => {
  const m = /^(CREATE (?:UNIQUE )?INDEX )\S+( ON (?:ONLY )?)\S+( USING .*)$/s.exec(definition);
  if (!m) throw new Error(`unexpected index definition: ${definition}`);
  return `${m[1]}${name}${m[2]}${table}${m[3]}`;
};

/**
 * Index builds at once: one while the log still streams (Node and the COPYs want the other core),
 * two once the rebuild only waits for them. Against every build at the end, one at a time, on the
 * 1M-event log (2 cores, alternating runs): 48.3 and 53.5 s → 41.6 and 45.9 s.
 */
const BUILDS_WHILE_STREAMING = 1;
const BUILDS_AT_THE_END = 2;

const swap = async (sql: postgres.Sql, tx: Tx): Promise<RebuildTarget> => {
  const stagingOf = (table: ProjectionTable) => `${table}${STAGING}`;
  const dropStaging = async () => {
    for (const table of PROJECTION_TABLES) await sql.unsafe(`DROP TABLE IF EXISTS ${stagingOf(table)}`);
  };
  await dropStaging();
  for (const table of PROJECTION_TABLES)
    // Columns, defaults, identity, NOT NULL and CHECK constraints; indexes come once it is filled.
    await sql.unsafe(`CREATE TABLE ${stagingOf(table)} (LIKE ${table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
  const indexes = new Map(await Promise.all(PROJECTION_TABLES.map(async (table) => [table, await indexesOf(tx, table)] as const)));
  const builds = pLimit(BUILDS_WHILE_STREAMING);
  const built = new Map<ProjectionTable, Promise<void>>();

  const build = (statement: string) =>
    builds(() =>
      sql.begin(async (builder) => {
        await builder`SET LOCAL maintenance_work_mem = '256MB'`;
        await builder.unsafe(statement);
      }),
    );
  const filled = (table: ProjectionTable) => {
    if (built.has(table)) return;
    const staging = stagingOf(table);
    // Under temporary names: the live table still holds the real ones. A PRIMARY KEY or UNIQUE
    // constraint is attached to its index at the swap (instant), so that all of a table's
    // indexes can be built at once: adding the constraint here would lock the table meanwhile.
    const indexBuilds = indexes.get(table)!.filter(attachable).map((index) => build(retarget(index.definition, `${index.name}${STAGING}`, staging)));
    // Fresh tables have no statistics: without them the planner guesses, badly.
    const done = Promise.all(indexBuilds).then(() => builds(() => sql.unsafe(`ANALYZE ${staging}`)).then(() => {}));
    done.catch(() => {}); // surfaced by complete(), never as an unhandled rejection
    built.set(table, done);
  };

  return {
    mode: 'swap',
    tableFor: stagingOf,
    writes: sql,
    filled,
    complete: async () => {
      PROJECTION_TABLES.forEach(filled);
      builds.concurrency = BUILDS_AT_THE_END;
      await Promise.all(built.values());
      for (const table of PROJECTION_TABLES) {
        const sequence = await identitySequenceOf(tx, table);
        await tx.unsafe(`DROP TABLE ${table}`);
        await tx.unsafe(`ALTER TABLE ${stagingOf(table)} RENAME TO ${table}`);
        for (const index of indexes.get(table)!) {
          const temporary = `${index.name}${STAGING}`;
          if (index.constraint === null) await tx.unsafe(`ALTER INDEX ${temporary} RENAME TO ${index.name}`);
          else if (attachable(index)) await tx.unsafe(`ALTER TABLE ${table} ADD CONSTRAINT ${index.name} ${index.constraint} USING INDEX ${temporary}`);
          else await tx.unsafe(`ALTER TABLE ${table} ADD CONSTRAINT ${index.name} ${index.constraint}`);
        }
        const fresh = await identitySequenceOf(tx, table);
        if (sequence && fresh) await tx.unsafe(`ALTER SEQUENCE ${fresh} RENAME TO ${sequence.replace(/^.*\./, '')}`);
      }
    },
    abandon: async () => {
      await Promise.allSettled(built.values());
      await dropStaging();
    },
  };
};

const inPlace = async (tx: Tx): Promise<RebuildTarget> => {
  // DELETE, not TRUNCATE: readers keep seeing the old read model until the rebuild commits.
  for (const table of PROJECTION_TABLES) await tx.unsafe(`DELETE FROM ${table}`);
  return { mode: 'in-place', tableFor: (table) => table, writes: tx, filled: () => {}, complete: async () => {}, abandon: async () => {} };
};

/** `tx` holds the projection checkpoint's lock (one rebuild at a time); `sql` is its pool. */
export const prepareRebuildTarget = async (sql: postgres.Sql, tx: Tx): Promise<RebuildTarget> => ((await unswappable(tx)).length > 0 ? inPlace(tx) : swap(sql, tx));
