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
import { childrenOf, peopleNear, rolesIn, ROOTS, UNITS, type Lean } from './lookups.ts';
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

/**
 * One row shape for all three kinds, so that one statement returns them: each kind's fields in
 * shared slots (six text, three timestamps, confidence, id), as few as the widest kind needs —
 * every slot of every row is built into the JSON answer and parsed back, so a NULL-padded union
 * of all fields would cost more.
 */
const SLOTS = ['s1', 's2', 's3', 's4', 's5', 's6', 't1', 't2', 't3', 'confidence', 'id'] as const;
const SLOT_TYPES: Record<(typeof SLOTS)[number], string> = { s1: 'text', s2: 'text', s3: 'text', s4: 'text', s5: 'text', s6: 'text', t1: 'timestamptz', t2: 'timestamptz', t3: 'timestamptz', confidence: 'smallint', id: 'bigint' };
const FIELDS: Record<Kind, Partial<Record<(typeof SLOTS)[number], string>>> = {
  unit: { s1: 'handle', s2: 'name', s3: 'kind', s4: 'parentHandle', confidence: 'confidence', id: 'id' },
  person: { s1: 'handle', s2: 'name', s3: 'nativeName', confidence: 'confidence', id: 'id' },
  role: {
    s1: 'roleId', s2: 'personHandle', s3: 'unitHandle', s4: 'title', s5: 'reportsTo', s6: 'status',
    t1: 'startedAt', t2: 'leavingFrom', t3: 'endedAt', confidence: 'confidence', id: 'id',
  },
};

const select = (kind: Kind, level: number, from: string) =>
  `SELECT '${kind}' AS what, ${level} AS level, ${SLOTS.map((slot) => {
    const field = FIELDS[kind][slot];
    return field ? `${from}."${field}" AS ${slot}` : `NULL::${SLOT_TYPES[slot]} AS ${slot}`;
  }).join(', ')} FROM ${from}`;

const keysOf = (ctes: string[], column = 'handle') =>
  `(SELECT coalesce(array_agg(DISTINCT x."${column}"), '{}') FROM (${ctes.map((c) => `SELECT "${column}" FROM ${c}`).join(' UNION ALL ')}) AS x)::text[]`;

/** The tree's rows, one per unit, role and person, in the shared slots. */
const rowsStatement = (ctx: TimeContext, { top, depth, roles, people }: TreeRequest): string => {
  const levels = Array.from({ length: depth + 1 }, (_, k) => `l${k}`);
  const ctes = levels.map((l, k) => `${l} AS (${k === 0 ? (top === 'roots' ? ROOTS : UNITS) : childrenOf(ctx, keysOf([levels[k - 1]!]))})`);
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

/**
 * The statement for a request's shape; its parameters are the lookups': asOf, knownAt, tier, top
 * handles. Its answer is one JSON array of rows (each an array: kind, level, the slots; ids as
 * text, as the lookups return bigints): one JSON.parse in Node instead of ~400 rows parsed
 * column by column, which was most of a tree request's CPU in the server (Node's CPU per org
 * chart read 0.9 → 0.4 ms, measured on the statement alone).
 */
export const subtreeStatement = (ctx: TimeContext, request: TreeRequest): string =>
  `SELECT coalesce(json_agg(json_build_array(what, level, ${SLOTS.map((slot) => (slot === 'id' ? 'id::text' : slot)).join(', ')})), '[]') AS rows
   FROM (${rowsStatement(ctx, request)}) AS t`;

const TIMES = new Set<string>(['t1', 't2', 't3']);

/** Per kind, where each field sits in a JSON row (after kind and level), and whether it is a time. */
const PLACES = Object.fromEntries(
  (Object.keys(FIELDS) as Kind[]).map((kind) => [
    kind,
    Object.entries(FIELDS[kind]).map(([slot, field]) => ({ at: 2 + SLOTS.indexOf(slot as (typeof SLOTS)[number]), field: field!, time: TIMES.has(slot) })),
  ]),
) as Record<Kind, Array<{ at: number; field: string; time: boolean }>>;

/** A JSON row as the level-by-level lookup returns it: its kind's fields, by name, times as Dates. */
const fieldsOf = (row: unknown[], kind: Kind) => {
  const out: Record<string, unknown> = {};
  for (const { at, field, time } of PLACES[kind]) out[field] = time && row[at] !== null ? new Date(row[at] as string) : row[at];
  return out;
};

export const readSubtree = async (sql: postgres.Sql, ctx: TimeContext, request: TreeRequest): Promise<Subtree> => {
  const [{ rows }] = (await sql.unsafe<Array<{ rows: unknown[][] }>>(subtreeStatement(ctx, request), [ctx.asOf, ctx.knownAt, ctx.tier, request.top === 'roots' ? [] : request.top] as never[], {
    prepare: true,
  })) as unknown as [{ rows: unknown[][] }];
  const tree: Subtree = { levels: Array.from({ length: request.depth + 1 }, () => []), roles: [], people: [] };
  for (const row of rows) {
    const [what, level] = row as [Kind, number];
    if (what === 'unit') tree.levels[level]!.push(fieldsOf(row, 'unit') as Lean<UnitVersion>);
    else if (what === 'role') tree.roles.push(fieldsOf(row, 'role') as Lean<RoleVersion>);
    else tree.people.push(fieldsOf(row, 'person') as Lean<PersonVersion>);
  }
  return tree;
};
