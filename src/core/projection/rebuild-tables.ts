/**
 * Where a rebuild writes. Normally into fresh twins of the projection tables, without indexes,
 * swapped in at the end: COPY into an index-free table and one index build afterwards costs a
 * fraction of maintaining every index row by row, and readers keep the old tables (the swap is
 * the last thing the transaction does). When an operator has hung something on a table that a
 * swap would lose — a view over it, grants — the rebuild writes in place instead: slower, same
 * result.
 */
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
  /** Make the written tables the projection tables (indexes, names, statistics). */
  complete(): Promise<void>;
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
  /** Set when the index backs a PRIMARY KEY or UNIQUE constraint. */
  constraint: string | null;
}

const indexesOf = (tx: Tx, table: string) =>
  tx<IndexDefinition[]>`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition,
           pg_get_constraintdef(con.oid) AS constraint
    FROM pg_index i LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
    WHERE i.indrelid = ${table}::regclass ORDER BY i.indexrelid`;

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

const swap = async (tx: Tx): Promise<RebuildTarget> => {
  for (const table of PROJECTION_TABLES) {
    await tx.unsafe(`DROP TABLE IF EXISTS ${table}${STAGING}`);
    // Columns, defaults, identity, NOT NULL and CHECK constraints; indexes come at the end.
    await tx.unsafe(`CREATE TABLE ${table}${STAGING} (LIKE ${table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING STORAGE)`);
  }
  return {
    mode: 'swap',
    tableFor: (table) => `${table}${STAGING}`,
    complete: async () => {
      await tx`SET LOCAL maintenance_work_mem = '256MB'`;
      for (const table of PROJECTION_TABLES) {
        const staging = `${table}${STAGING}`;
        const indexes = await indexesOf(tx, table);
        // Build under temporary names first: the old table still holds the real ones.
        for (const index of indexes)
          await tx.unsafe(
            index.constraint
              ? `ALTER TABLE ${staging} ADD CONSTRAINT ${index.name}${STAGING} ${index.constraint}`
              : retarget(index.definition, `${index.name}${STAGING}`, staging),
          );
        const sequence = await identitySequenceOf(tx, table);
        await tx.unsafe(`DROP TABLE ${table}`);
        await tx.unsafe(`ALTER TABLE ${staging} RENAME TO ${table}`);
        for (const index of indexes)
          await tx.unsafe(index.constraint ? `ALTER TABLE ${table} RENAME CONSTRAINT ${index.name}${STAGING} TO ${index.name}` : `ALTER INDEX ${index.name}${STAGING} RENAME TO ${index.name}`);
        const fresh = await identitySequenceOf(tx, table);
        if (sequence && fresh) await tx.unsafe(`ALTER SEQUENCE ${fresh} RENAME TO ${sequence.replace(/^.*\./, '')}`);
        // Fresh tables have no statistics: without them the planner guesses, badly.
        await tx.unsafe(`ANALYZE ${table}`);
      }
    },
  };
};

const inPlace = async (tx: Tx): Promise<RebuildTarget> => {
  // DELETE, not TRUNCATE: readers keep seeing the old read model until the rebuild commits.
  for (const table of PROJECTION_TABLES) await tx.unsafe(`DELETE FROM ${table}`);
  return { mode: 'in-place', tableFor: (table) => table, complete: async () => {} };
};

export const prepareRebuildTarget = async (tx: Tx): Promise<RebuildTarget> => ((await unswappable(tx)).length > 0 ? inPlace(tx) : swap(tx));
