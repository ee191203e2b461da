/**
 * A unit tree read in one statement: its top units, `depth` levels of children, the roles held
 * at the levels asked for and those roles' people, each exactly as the level-by-level lookups
 * (lookups.ts) would find them — the same fragments, with each level's keys taken from the
 * level above inside the statement instead of sent by the client. A tree query otherwise costs
 * one statement per level and kind (7 for the org chart three levels down), and on a small
 * machine those round trips, not the SQL, were most of a request's cost.
 */
import type postgres from 'postgres';
import type { PersonVersion, RoleVersion, UnitVersion } from '../../generated/prisma/client.ts';
import { childrenOf, IN_EFFECT, peopleNear, rolesIn, UNIT, type Lean } from './lookups.ts';
import type { TimeContext } from './time-context.ts';

export interface TreeRequest {
  /** The top level: the roots (the org chart) or the units of these handles. */
  top: 'roots' | string[];
  /** Levels of children below the top. */
  depth: number;
  /** Per level (0 = top), whether its roles are wanted. */
  roles: readonly boolean[];
  /** Whether the roles' people are wanted (as of the context, else nearest: Role.person). */
  people: boolean;
}

export interface Subtree {
  levels: Array<Array<Lean<UnitVersion>>>;
  roles: Array<Lean<RoleVersion>>;
  people: Array<Lean<PersonVersion>>;
}

type Kind = 'unit' | 'role' | 'person';

/** One row shape for units, roles and people (each kind's own columns, NULL elsewhere), so that one statement returns all three. */
const COLUMNS: Array<[name: string, type: string, kinds: readonly Kind[]]> = [
  ['handle', 'text', ['unit', 'person']],
  ['name', 'text', ['unit', 'person']],
  ['kind', 'text', ['unit']],
  ['parentHandle', 'text', ['unit']],
  ['nativeName', 'text', ['person']],
  ['roleId', 'text', ['role']],
  ['personHandle', 'text', ['role']],
  ['unitHandle', 'text', ['role']],
  ['title', 'text', ['role']],
  ['reportsTo', 'text', ['role']],
  ['status', 'text', ['role']],
  ['startedAt', 'timestamptz', ['role']],
  ['leavingFrom', 'timestamptz', ['role']],
  ['endedAt', 'timestamptz', ['role']],
  ['confidence', 'smallint', ['unit', 'role', 'person']],
  ['id', 'bigint', ['unit', 'role', 'person']],
];

const select = (kind: Kind, level: number, from: string) =>
  `SELECT '${kind}' AS what, ${level} AS level, ${COLUMNS.map(([name, type, kinds]) => (kinds.includes(kind) ? `${from}."${name}"` : `NULL::${type} AS "${name}"`)).join(', ')} FROM ${from}`;

const keysOf = (ctes: string[], column = 'handle') =>
  `(SELECT coalesce(array_agg(DISTINCT x."${column}"), '{}') FROM (${ctes.map((c) => `SELECT "${column}" FROM ${c}`).join(' UNION ALL ')}) AS x)::text[]`;

/** The statement for a request's shape; its parameters are the lookups': asOf, knownAt, tier, top handles. */
export const subtreeStatement = (ctx: TimeContext, { top, depth, roles, people }: TreeRequest): string => {
  const levels = Array.from({ length: depth + 1 }, (_, k) => `l${k}`);
  const topSql =
    top === 'roots'
      ? `SELECT ${UNIT} FROM unit_versions WHERE parent_handle IS NULL AND cardinality($4::text[]) = 0 AND ${IN_EFFECT}`
      : `SELECT ${UNIT} FROM unit_versions WHERE handle = ANY($4::text[]) AND ${IN_EFFECT}`;
  const ctes = levels.map((l, k) => `${l} AS (${k === 0 ? topSql : childrenOf(ctx, keysOf([levels[k - 1]!]))})`);
  const roleLevels = levels.filter((_, k) => roles[k]);
  if (roleLevels.length > 0) ctes.push(`r AS (${rolesIn(ctx, keysOf(roleLevels))})`);
  if (roleLevels.length > 0 && people) ctes.push(`p AS (${peopleNear(keysOf(['r'], 'personHandle'))})`);
  const parts = [
    ...levels.map((l, k) => select('unit', k, l)),
    ...(roleLevels.length > 0 ? [select('role', -1, 'r')] : []),
    ...(roleLevels.length > 0 && people ? [select('person', -1, 'p')] : []),
  ];
  return `WITH ${ctes.join(',\n')}\n${parts.join('\nUNION ALL ')}`;
};

type Row = { what: Kind; level: number } & Record<string, unknown>;

/** Each row as the level-by-level lookup returns it: only its own kind's columns. */
const pick = (row: Row, kind: Kind) => {
  const out: Record<string, unknown> = {};
  for (const [name, , kinds] of COLUMNS) if (kinds.includes(kind)) out[name] = row[name];
  return out;
};

export const readSubtree = async (sql: postgres.Sql, ctx: TimeContext, request: TreeRequest): Promise<Subtree> => {
  const rows = await sql.unsafe<Row[]>(subtreeStatement(ctx, request), [ctx.asOf, ctx.knownAt, ctx.tier, request.top === 'roots' ? [] : request.top] as never[], {
    prepare: true,
  });
  const tree: Subtree = { levels: Array.from({ length: request.depth + 1 }, () => []), roles: [], people: [] };
  for (const row of rows) {
    if (row.what === 'unit') tree.levels[row.level]!.push(pick(row, 'unit') as Lean<UnitVersion>);
    else if (row.what === 'role') tree.roles.push(pick(row, 'role') as Lean<RoleVersion>);
    else tree.people.push(pick(row, 'person') as Lean<PersonVersion>);
  }
  return tree;
};
