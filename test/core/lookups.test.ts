/**
 * The hot lookups answer exactly what the plain bitemporal filter answers. They reach their rows
 * through range indexes (migration 20260305000000_flat_asof_lookups) and one-statement "as of,
 * else nearest" orderings; here each is compared with the naive query on a generated
 * organisation with churn, departures, corrections and retractions, at many (asOf, knownAt, tier)
 * points — including superseded beliefs (knownAt before a later correction was recorded) and
 * the present and future (the other access path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendToStreams } from '../../src/core/event-store/group-append.ts';
import { Projector } from '../../src/core/projection/projector.ts';
import { createLookups } from '../../src/core/read-model/lookups.ts';
import { readSubtree } from '../../src/core/read-model/subtree.ts';
import type { TimeContext } from '../../src/core/read-model/time-context.ts';
import { OrgGenerator } from '../../bench/lib/generate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let db: TestDatabase;
let points: TimeContext[];
let units: string[];
let people: string[];

beforeAll(async () => {
  db = await createTestDatabase();
  const generator = new OrgGenerator(7, { divisions: 2, departments: 3, teams: 3, teamSize: 4 });
  // Several appends, so recorded times (known_from / known_to) differ between batches.
  while (generator.emitted < 4000) await appendToStreams(db.sql, generator.take(250), new Map());
  await new Projector(db.sql, { batchSize: 250 }).catchUp();
  const events = await db.sql<{ occurred_at: Date; recorded_at: Date }[]>`SELECT occurred_at, recorded_at FROM events ORDER BY position`;
  points = [];
  for (let i = 0; i < 24; i++) {
    const at = events[Math.floor(((events.length - 1) * i) / 23)]!;
    const known = events[Math.min(events.length - 1, Math.floor(((events.length - 1) * (i + 7)) / 23))]!;
    // Past, at, and after the recorded time of the asOf event; every tier.
    points.push({ asOf: at.occurred_at, knownAt: at.recorded_at, tier: i % 3 });
    points.push({ asOf: at.occurred_at, knownAt: known.recorded_at, tier: (i + 1) % 3 });
    points.push({ asOf: at.occurred_at, knownAt: new Date(at.recorded_at.getTime() - 1), tier: 0 });
  }
  // The present and the future: the other access path (lookups.ts, fromPresent).
  const now = new Date();
  points.push({ asOf: now, knownAt: now, tier: 0 }, { asOf: now, knownAt: now, tier: 2 });
  points.push({ asOf: new Date(now.getTime() + 400 * 86_400_000), knownAt: now, tier: 0 });
  points.push({ asOf: new Date(now.getTime() + 4000 * 86_400_000), knownAt: now, tier: 1 });
  units = (await db.sql<{ handle: string }[]>`SELECT DISTINCT handle FROM unit_versions ORDER BY handle`).map((r) => r.handle);
  people = (await db.sql<{ handle: string }[]>`SELECT DISTINCT handle FROM person_versions ORDER BY handle`).map((r) => r.handle);
}, 120_000);
afterAll(async () => db.drop());

const NAIVE = `tier_min <= $3 AND tier_max >= $3 AND known_from <= $2 AND (known_to IS NULL OR known_to > $2)`;
const naive = (text: string, ctx: TimeContext, keys: string[]) => db.sql.unsafe<Array<{ id: string }>>(text, [ctx.asOf, ctx.knownAt, ctx.tier, keys] as never[]);
const ids = (rows: Array<{ id: bigint | string | number }>) => rows.map((r) => String(r.id)).sort();

describe('hot lookups against the plain filter', () => {
  /** At every point, `lookup` answers the rows the naive query answers (and some at all). */
  const sameAsNaive = async (lookup: (ctx: TimeContext) => Promise<Array<{ id: bigint | string | number }>>, naiveText: string) => {
    let found = 0;
    for (const ctx of points) {
      const slow = await naive(naiveText, ctx, units);
      expect(ids(await lookup(ctx))).toEqual(ids(slow));
      found += slow.length;
    }
    expect(found).toBeGreaterThan(100);
  };

  it('finds the same held roles of units', async () => {
    const lookups = createLookups(db.sql);
    await sameAsNaive(
      (ctx) => lookups.rolesOfUnits(ctx, units),
      `SELECT id FROM role_versions WHERE unit_handle = ANY($4::text[]) AND ${NAIVE} AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1) AND status IN ('ACTIVE', 'LEAVING')`,
    );
  });

  it('finds the same children of units', async () => {
    const lookups = createLookups(db.sql);
    await sameAsNaive(
      (ctx) => lookups.children(ctx, units),
      `SELECT id FROM unit_versions WHERE parent_handle = ANY($4::text[]) AND ${NAIVE} AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`,
    );
  });

  it('reaches versions superseded since (knownAt before a later correction was recorded)', async () => {
    const lookups = createLookups(db.sql);
    // Points where some answer rests on a version superseded since.
    let superseded = 0;
    for (const ctx of points) {
      const roles = (await lookups.rolesOfUnits(ctx, units)).map((r) => String(r.id));
      const children = (await lookups.children(ctx, units)).map((r) => String(r.id));
      const [{ n }] = await db.sql<[{ n: number }]>`
        SELECT (SELECT count(*) FROM role_versions WHERE known_to IS NOT NULL AND id = ANY(${roles}::bigint[]))::int
             + (SELECT count(*) FROM unit_versions WHERE known_to IS NOT NULL AND id = ANY(${children}::bigint[]))::int AS n`;
      superseded += n;
    }
    expect(superseded).toBeGreaterThan(0);
  });

  it('finds the same person and unit, as of or else nearest', async () => {
    const lookups = createLookups(db.sql);
    // Every fifth person (the check is one naive query per person and point).
    const sample = people.filter((_, i) => i % 5 === 0);
    for (const ctx of points.filter((_, i) => i % 3 !== 2)) {
      const fastPeople = new Map((await lookups.peopleNear(ctx, sample)).map((r) => [r.handle, String(r.id)]));
      for (const handle of sample) {
        const [inEffect] = await naive(`SELECT id FROM person_versions WHERE handle = ($4::text[])[1] AND ${NAIVE} AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`, ctx, [handle]);
        const [first] = await naive(`SELECT id FROM person_versions WHERE handle = ($4::text[])[1] AND ${NAIVE} ORDER BY valid_from LIMIT 1`, ctx, [handle]);
        expect(fastPeople.get(handle)).toEqual((inEffect ?? first) ? String((inEffect ?? first)!.id) : undefined);
      }
      const fastUnits = new Map((await lookups.unitsNear(ctx, units)).map((r) => [r.handle, String(r.id)]));
      for (const handle of units) {
        const [inEffect] = await naive(`SELECT id FROM unit_versions WHERE handle = ($4::text[])[1] AND ${NAIVE} AND valid_from <= $1 AND (valid_to IS NULL OR valid_to > $1)`, ctx, [handle]);
        const [before] = await naive(`SELECT id FROM unit_versions WHERE handle = ($4::text[])[1] AND ${NAIVE} AND valid_from <= $1 ORDER BY valid_from DESC LIMIT 1`, ctx, [handle]);
        const [first] = await naive(`SELECT id FROM unit_versions WHERE handle = ($4::text[])[1] AND ${NAIVE} ORDER BY valid_from LIMIT 1`, ctx, [handle]);
        const expected = inEffect ?? before ?? first;
        expect(fastUnits.get(handle)).toEqual(expected ? String(expected.id) : undefined);
      }
    }
  });

  it('reads a unit tree in one statement exactly as level by level', async () => {
    const lookups = createLookups(db.sql);
    const byId = <T extends { id: unknown }>(rows: T[]) => [...rows].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    let roles = 0;
    for (const ctx of points) {
      const levels = [await lookups.roots(ctx)];
      for (let k = 0; k < 3; k++) levels.push(await lookups.children(ctx, levels[k]!.map((u) => u.handle)));
      // Roles of the levels below the top only, as a query asking for them there would.
      const held = await lookups.rolesOfUnits(ctx, levels.slice(1).flat().map((u) => u.handle));
      const near = await lookups.peopleNear(ctx, [...new Set(held.map((r) => r.personHandle))]);
      const tree = await readSubtree(db.sql, ctx, { top: 'roots', depth: 3, roles: [false, true, true, true], people: true });
      expect(tree.levels.map(byId)).toEqual(levels.map(byId));
      expect(byId(tree.roles)).toEqual(byId(held));
      expect(byId(tree.people)).toEqual(byId(near));
      roles += held.length;
    }
    expect(roles).toBeGreaterThan(100);
  });

  it('reads a tree from given units, and nothing for a unit not there at the context', async () => {
    const lookups = createLookups(db.sql);
    for (const ctx of points.filter((_, i) => i % 4 === 0)) {
      const top = await lookups.units(ctx, units.slice(0, 3));
      const tree = await readSubtree(db.sql, ctx, { top: [...units.slice(0, 3), 'no-such-unit'], depth: 1, roles: [true], people: false });
      expect(ids(tree.levels[0]!)).toEqual(ids(top));
      expect(ids(tree.levels[1]!)).toEqual(ids(await lookups.children(ctx, top.map((u) => u.handle))));
      expect(ids(tree.roles)).toEqual(ids(await lookups.rolesOfUnits(ctx, top.map((u) => u.handle))));
      expect(tree.people).toEqual([]);
    }
  });
});
