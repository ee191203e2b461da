/**
 * Temporal reads through Prisma: each is one indexed lookup on a version table, filtered by the
 * time context. DataLoaders (one set per request) batch the nested lookups a tree query makes.
 */
import DataLoader from 'dataloader';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { PersonVersion, RoleVersion, UnitVersion } from '../../generated/prisma/client.ts';
import type postgres from 'postgres';
import { contextKey, inEffect, type TimeContext } from './time-context.ts';
import { createLookups, type Lean } from './lookups.ts';
import { readSubtree, type TreeRequest } from './subtree.ts';

export type { PersonVersion, RoleVersion, UnitVersion, Lean };

/**
 * A loader keyed by (time context, handle), batched per context: one DataLoader per distinct
 * context, keyed by plain handles. (It used to be one DataLoader over composite string keys,
 * which built a "asOf|knownAt|tier|handle" string several times per key — ≈ 5% of the serving
 * profile with the grouping it needed.) Contexts are compared by value; a request holds a few.
 */
const temporalLoader = <T>(fetch: (ctx: TimeContext, handles: string[]) => Promise<Array<[string, T]>>, empty: () => T) => {
  const byContext = new Map<string, DataLoader<string, T>>();
  const loaderFor = (ctx: TimeContext) => {
    const key = contextKey(ctx);
    let loader = byContext.get(key);
    if (!loader) {
      loader = new DataLoader<string, T>(async (handles) => {
        const found = new Map(await fetch(ctx, handles as string[]));
        return handles.map((handle) => found.get(handle) ?? empty());
      });
      byContext.set(key, loader);
    }
    return loader;
  };
  return {
    load: ({ ctx, handle }: { ctx: TimeContext; handle: string }) => loaderFor(ctx).load(handle),
    /** Answers already read (by readTree): the batch function will not be asked for them. */
    prime: (ctx: TimeContext, entries: Iterable<[string, T]>) => {
      const loader = loaderFor(ctx);
      for (const [handle, value] of entries) loader.prime(handle, value);
    },
  };
};

/** Rows grouped by key, each group in `order`: what a list loader answers per key. */
const groupsOf = <T>(rows: T[], keyOf: (row: T) => string, order: (a: T, b: T) => number): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = map.get(key);
    if (group) group.push(row);
    else map.set(key, [row]);
  }
  for (const group of map.values()) group.sort(order);
  return map;
};

const byName = <T extends { name: string; handle: string }>(a: T, b: T) => a.name.localeCompare(b.name) || a.handle.localeCompare(b.handle);
const byStart = (a: Lean<RoleVersion>, b: Lean<RoleVersion>) => a.startedAt.getTime() - b.startedAt.getTime() || a.title.localeCompare(b.title);

const childrenByParent = (units: Array<Lean<UnitVersion>>) => groupsOf(units, (u) => u.parentHandle!, byName);
const rolesByPerson = (roles: Array<Lean<RoleVersion>>) => groupsOf(roles, (r) => r.personHandle, byStart);
const rolesByUnit = (roles: Array<Lean<RoleVersion>>) => groupsOf(roles, (r) => r.unitHandle, byStart);

/** A loader of at most one version per handle (a person or a unit in the context). */
const oneByHandle = <V extends { handle: string }>(lookup: (ctx: TimeContext, handles: string[]) => Promise<readonly V[]>) =>
  temporalLoader<V | null>(async (ctx, handles) => (await lookup(ctx, handles)).map((r): [string, V] => [r.handle, r]), () => null);

export const createReadModel = (prisma: PrismaClient, sql: postgres.Sql) => {
  const lookups = createLookups(sql);
  const loaders = () => ({
    person: oneByHandle(lookups.people),
    unit: oneByHandle(lookups.units),
    /** As of the context, else the nearest version (see lookups.peopleNear / unitsNear). */
    personNear: oneByHandle(lookups.peopleNear),
    unitNear: oneByHandle(lookups.unitsNear),
    children: temporalLoader<Lean<UnitVersion>[]>(async (ctx, parents) => [...childrenByParent(await lookups.children(ctx, parents))], () => []),
    personRoles: temporalLoader<Lean<RoleVersion>[]>(async (ctx, people) => [...rolesByPerson(await lookups.rolesOfPeople(ctx, people, true))], () => []),
    unitRoles: temporalLoader<Lean<RoleVersion>[]>(async (ctx, units) => [...rolesByUnit(await lookups.rolesOfUnits(ctx, units))], () => []),
    /** Every role ever held up to asOf, as known at knownAt: the segment in effect at asOf. */
    history: temporalLoader<Lean<RoleVersion>[]>(async (ctx, people) => [...rolesByPerson(await lookups.rolesOfPeople(ctx, people, false))], () => []),
    /** Sources and event ids of role versions, by row id (hot lookups leave them out). */
    roleProvenance: new DataLoader<bigint, { sources: unknown; eventIds: string[] }, string>(
      async (ids) => {
        const rows = new Map((await lookups.roleProvenance(ids)).map((r) => [r.id, r]));
        return ids.map((id) => rows.get(String(id)) ?? new Error(`no role version ${id}`));
      },
      { cacheKeyFn: String },
    ),
  });

  /**
   * A unit tree as far down as the request asks, in one statement (subtree.ts), handed to the
   * request's loaders as if each level had been loaded through them: the tree's resolvers then
   * find every level already there. Returns the top units, ordered like `roots`.
   */
  const readTree = async (into: ReturnType<typeof loaders>, ctx: TimeContext, request: TreeRequest) => {
    const { levels, roles, people } = await readSubtree(sql, ctx, request);
    // Every unit read gets an answer, [] when it has no rows: the loaders must not ask again.
    const under = <T>(groups: Map<string, T[]>, units: Array<Lean<UnitVersion>>): Array<[string, T[]]> => units.map((u) => [u.handle, groups.get(u.handle) ?? []]);
    levels.slice(0, request.depth).forEach((units, k) => into.children.prime(ctx, under(childrenByParent(levels[k + 1]!), units)));
    const withRoles = levels.filter((_, k) => request.roles[k]).flat();
    into.unitRoles.prime(ctx, under(rolesByUnit(roles), withRoles));
    if (request.people && withRoles.length > 0) {
      const found = new Map(people.map((p) => [p.handle, p]));
      into.personNear.prime(ctx, roles.map((r): [string, Lean<PersonVersion> | null] => [r.personHandle, found.get(r.personHandle) ?? null]));
    }
    const top = levels[0]!.sort(byName);
    if (request.top !== 'roots') into.unit.prime(ctx, request.top.map((handle): [string, Lean<UnitVersion> | null] => [handle, top.find((u) => u.handle === handle) ?? null]));
    return top;
  };

  return {
    loaders,
    readTree,
    /** People in effect at the context, ordered by handle, after a handle cursor. */
    people: (ctx: TimeContext, after: string | null, take: number) =>
      prisma.personVersion.findMany({
        where: { ...inEffect(ctx), ...(after !== null ? { handle: { gt: after } } : {}) },
        orderBy: { handle: 'asc' },
        take,
      }),
    /** Facts with effective time in (from, to], believed at knownAt at the tier's confidence. */
    changes: (ctx: TimeContext, from: Date, to: Date) =>
      prisma.entityFact.findMany({
        where: {
          occurredAt: { gt: from, lte: to },
          recordedAt: { lte: ctx.knownAt },
          OR: [{ retractedAt: null }, { retractedAt: { gt: ctx.knownAt } }],
          AND: [{ OR: [{ confidence: { gte: ctx.tier } }, { confirmedAt: { lte: ctx.knownAt } }] }],
        },
        orderBy: [{ occurredAt: 'asc' }, { position: 'asc' }],
        select: { eventId: true },
      }),
  };
};

export type ReadModel = ReturnType<typeof createReadModel>;
export type Loaders = ReturnType<ReadModel['loaders']>;
