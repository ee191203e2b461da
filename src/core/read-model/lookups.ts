/**
 * The hot temporal lookups a tree query makes (one per nesting level), as prepared statements on
 * postgres.js. Same filters as time-context.ts's Prisma fragments; measured ≈ 3× cheaper per
 * request than the Prisma client for these small, many-times-per-request reads (see README).
 */
import type postgres from 'postgres';
import type { PersonVersion, RoleVersion, UnitVersion } from '../../generated/prisma/client.ts';
import type { TimeContext } from './time-context.ts';

/**
 * A version as the hot lookups return it: without its provenance (sources, event ids), which a
 * tree query rarely asks for and which is most of a row's parsing (`provenance` fetches it by id),
 * and without the columns that place it in time (tiers, valid and known ranges): the lookup has
 * already used them and no field shows them. Four timestamps fewer per row to parse into Dates
 * (≈ 1/3 of a row's parse and garbage in the serving profile).
 */
type Placement = 'tierMin' | 'tierMax' | 'validFrom' | 'validTo' | 'knownFrom' | 'knownTo';
export type Lean<V> = Omit<V, 'sources' | 'eventIds' | Placement> & Partial<Pick<PersonVersion, 'sources' | 'eventIds' | Placement>>;

/** ids as text: what postgres.js makes of a bigint anyway, and what JSON (the tree read) keeps exact. */
const COMMON = `confidence, id::text AS id`;
export const PERSON = `handle, name, native_name AS "nativeName", ${COMMON}`;
export const UNIT = `handle, name, kind, parent_handle AS "parentHandle", ${COMMON}`;
export const ROLE = `role_id::text AS "roleId", person_handle AS "personHandle", unit_handle AS "unitHandle", title, reports_to AS "reportsTo",
  status, started_at AS "startedAt", leaving_from AS "leavingFrom", ended_at AS "endedAt", ${COMMON}`;

/** Believed at knownAt, in the tier. $2 knownAt, $3 tier. */
export const KNOWN = `tier_min <= $3 AND tier_max >= $3 AND known_from <= $2 AND (known_to IS NULL OR known_to > $2)`;

/** In effect at asOf and believed at knownAt, in the tier. $1 asOf, $2 knownAt, $3 tier. */
export const IN_EFFECT = `tier_min <= $3 AND tier_max >= $3 AND known_from <= $2 AND (known_to IS NULL OR known_to > $2)
  AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`;

export const HELD = `status IN ('ACTIVE', 'LEAVING')`;

/**
 * Versions of each key in effect at asOf and believed at knownAt, found by stabbing instead of by
 * walking the key's history: per key, one probe into each of the two GiST indexes of migration
 * 20260305000000_flat_asof_lookups — current beliefs by effective range at asOf, superseded
 * beliefs by recorded range at knownAt and effective range at asOf. `where` must imply the
 * indexes' partial predicate besides known_to. The range conditions only narrow: IN_EFFECT and the
 * key equality are still the whole test, so the answer is the one the plain filter gives.
 *
 * The "<@ segment" condition is true of every row the probe can find (the key's own segment of
 * the line). It is there for the planner: the probe point depends on the lateral key, so the
 * planner has no statistics for it and assumes 0.5% of the index matches — thousands of rows per
 * probe at 1M events, which tipped the plan's cost over jit_above_cost (≈ 20 ms of JIT compile
 * per statement) and would keep PostgreSQL off the generic plan. A second indexable condition
 * multiplies that guess down to a few rows, which is what a probe actually returns.
 *
 * The key equality only drops rows of another key whose hash shares the segment. It compares
 * under COLLATE "C" (the same answer: equality of text is byte equality under any deterministic
 * collation) so that it cannot match the btree on (key, known_from): given one, the planner ANDs
 * it into the probe, and that btree scan walks the key's whole history again.
 */
export const stabbing = (table: string, key: string, where: string, keys = '$4::text[]') => `FROM unnest(${keys}) AS k(key) CROSS JOIN LATERAL (
  SELECT * FROM ${table} WHERE orgtime_span(${key}, valid_from, valid_to) @> orgtime_span_at(k.key, $1)
    AND orgtime_span(${key}, valid_from, valid_to) <@ orgtime_span_segment(k.key)
    AND known_to IS NULL AND ${key} COLLATE "C" = k.key AND ${where} AND ${IN_EFFECT}
  UNION ALL
  SELECT * FROM ${table} WHERE orgtime_span(${key}, known_from, known_to) @> orgtime_span_at(k.key, $2)
    AND orgtime_span(${key}, known_from, known_to) <@ orgtime_span_segment(k.key) AND orgtime_period(valid_from, valid_to) @> $1::timestamptz
    AND known_to IS NOT NULL AND ${key} COLLATE "C" = k.key AND ${where} AND ${IN_EFFECT}) AS v`;

/**
 * The same lookup for a time context at the present or later (asOf and knownAt both now, the
 * default of every read): two btree range scans per key that start at the present, so they touch
 * only versions ending after it (in effect now or future-dated) and versions superseded after
 * knownAt (none, at now) — never the key's history. Cheaper than a GiST probe (≈ 2 µs against
 * ≈ 30 µs per key: GiST compares every entry of each page on its path), which matters for
 * queries over many keys such as the whole org chart. `where` must imply the partial predicate
 * of the `_present` index besides known_to.
 */
export const fromPresent = (table: string, key: string, where: string, keys = '$4::text[]') => `FROM (
  SELECT * FROM ${table} WHERE ${key} = ANY(${keys}) AND known_to IS NULL AND ${where} AND coalesce(valid_to, 'infinity'::timestamptz) > $1 AND ${IN_EFFECT}
  UNION ALL
  SELECT * FROM ${table} WHERE ${key} = ANY(${keys}) AND known_to > $2 AND ${where} AND ${IN_EFFECT}) AS v`;

/**
 * Whether a context reads the present (or later): then fromPresent is the cheaper plan, else
 * stabbing. Either returns the same rows; this only picks the access path. The slack covers the
 * time between the request's clock reading (the default asOf/knownAt) and the lookup; versions
 * ending or superseded within it are all a present lookup walks beyond the present itself.
 */
const PRESENT_SLACK_MS = 60_000;
export const isPresent = (ctx: TimeContext) => Math.min(ctx.asOf.getTime(), ctx.knownAt.getTime()) >= Date.now() - PRESENT_SLACK_MS;

/** Per handle, the version in effect at asOf, else the first one believed at knownAt (see createLookups). */
export const peopleNear = (keys = '$4::text[]') => `SELECT DISTINCT ON (handle) ${PERSON} FROM person_versions WHERE handle = ANY(${keys}) AND ${KNOWN}
  ORDER BY handle, (valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)) DESC, valid_from`;

/** The units without a parent, in effect at the context ($4 unused, an empty array: one parameter list for all lookups). */
export const ROOTS = `SELECT ${UNIT} FROM unit_versions WHERE parent_handle IS NULL AND cardinality($4::text[]) = 0 AND ${IN_EFFECT}`;

/** The units of these handles ($4), in effect at the context. */
export const UNITS = `SELECT ${UNIT} FROM unit_versions WHERE handle = ANY($4::text[]) AND ${IN_EFFECT}`;

/** Units under `parents` (a text[] expression), in effect at the context. */
export const childrenOf = (ctx: TimeContext, parents = '$4::text[]') =>
  `SELECT ${UNIT} ${(isPresent(ctx) ? fromPresent : stabbing)('unit_versions', 'parent_handle', 'parent_handle IS NOT NULL', parents)}`;

/** Roles held in `units` (a text[] expression) at the context. */
export const rolesIn = (ctx: TimeContext, units = '$4::text[]') => `SELECT ${ROLE} ${(isPresent(ctx) ? fromPresent : stabbing)('role_versions', 'unit_handle', HELD, units)}`;

const run = <T>(sql: postgres.Sql, text: string, ctx: TimeContext, keys: string[]) =>
  sql.unsafe<T[]>(text, [ctx.asOf, ctx.knownAt, ctx.tier, keys] as never[], { prepare: true });

export const createLookups = (sql: postgres.Sql) => ({
  people: (ctx: TimeContext, handles: string[]) =>
    run<Lean<PersonVersion>>(sql, `SELECT ${PERSON} FROM person_versions WHERE handle = ANY($4::text[]) AND ${IN_EFFECT}`, ctx, handles),
  units: (ctx: TimeContext, handles: string[]) => run<Lean<UnitVersion>>(sql, UNITS, ctx, handles),
  /**
   * Per handle, the version in effect at asOf, else the first one (by effective start) believed at
   * knownAt: a person a role or a change names is shown even when not in effect then. One batched
   * statement instead of the in-effect lookup plus one nearest-version query per miss.
   * The believed versions of one person partition effective time, so at most one is in effect.
   */
  peopleNear: (ctx: TimeContext, handles: string[]) => run<Lean<PersonVersion>>(sql, peopleNear(), ctx, handles),
  /**
   * Per handle, the version of a unit in effect at asOf, else the last one that started by asOf (a
   * unit dissolved since), else the first one. The one in effect, when there is one, is also the
   * last that started by asOf (versions do not overlap), so one ordering gives all three cases.
   */
  unitsNear: (ctx: TimeContext, handles: string[]) =>
    run<Lean<UnitVersion>>(
      sql,
      `SELECT DISTINCT ON (handle) ${UNIT} FROM unit_versions WHERE handle = ANY($4::text[]) AND ${KNOWN}
        ORDER BY handle, valid_from <= $1 DESC, CASE WHEN valid_from <= $1 THEN valid_from END DESC, valid_from`,
      ctx,
      handles,
    ),
  roots: (ctx: TimeContext) => run<Lean<UnitVersion>>(sql, ROOTS, ctx, []),
  children: (ctx: TimeContext, parents: string[]) => run<Lean<UnitVersion>>(sql, childrenOf(ctx), ctx, parents),
  rolesOfPeople: (ctx: TimeContext, people: string[], held: boolean) =>
    run<Lean<RoleVersion>>(
      sql,
      `SELECT ${ROLE} FROM role_versions WHERE person_handle = ANY($4::text[]) AND ${IN_EFFECT}${held ? ` AND status IN ('ACTIVE', 'LEAVING')` : ''}`,
      ctx,
      people,
    ),
  /** Sources and event ids of role versions, by row id. */
  roleProvenance: (ids: readonly bigint[]) =>
    sql<Array<{ id: string; sources: unknown; eventIds: string[] }>>`
      SELECT id::text AS id, sources, event_ids::text[] AS "eventIds" FROM role_versions WHERE id = ANY(${ids.map(String)}::bigint[])`,
  rolesOfUnits: (ctx: TimeContext, units: string[]) => run<Lean<RoleVersion>>(sql, rolesIn(ctx), ctx, units),
});
