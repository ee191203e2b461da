/**
 * Pure: an entity's facts → its versions for every confidence tier. This is the projection's
 * `evolve`, expressed per entity: the projector recomputes an entity whenever one of its facts
 * arrives or is corrected, then stores only what changed (see diff.ts).
 */
import { CONFIDENCES, weakest } from '../domain/confidence.ts';
import { admitted, levelOf, type Fact } from './facts.ts';
import { contentKey } from './diff.ts';
import type { PersonVersionContent, RoleVersionContent, UnitVersionContent, VersionContent } from './types.ts';

const TIERS = CONFIDENCES.map((_, level) => level);
const byTime = (a: Fact, b: Fact) => a.occurredAt.getTime() - b.occurredAt.getTime() || Number(a.position - b.position);
const latest = (facts: Fact[]): Fact | undefined => facts.reduce<Fact | undefined>((best, f) => (!best || f.position > best.position ? f : best), undefined);
const sourceOf = (fact: Fact) => fact.metadata.source ?? null;
const provenance = (facts: Fact[]) => ({
  confidence: weakest(facts.map(levelOf)),
  sources: facts.map(sourceOf).filter((s) => s !== null),
  eventIds: facts.map((f) => f.eventId),
});

export const versionsOf = (entity: string, facts: readonly Fact[]): VersionContent[] => {
  const kind = entity.slice(0, entity.indexOf(':'));
  const build = kind === 'person' ? personVersions : kind === 'unit' ? unitVersions : kind === 'role' ? roleVersions : null;
  if (!build) throw new Error(`unknown entity kind in "${entity}"`);
  const perTier: VersionContent[][] = [];
  let previous: Fact[] | null = null;
  for (const tier of TIERS) {
    const counted = admitted(facts, tier);
    // Same facts as the tier below (the usual case): same versions, so skip rebuilding them.
    if (previous && counted.length === previous.length) perTier.push(perTier.at(-1)!.map((v) => ({ ...v, tierMin: tier, tierMax: tier })));
    else perTier.push(build(counted, tier));
    previous = counted;
  }
  return mergeTiers(perTier);
};

/** A version that reads the same in consecutive tiers is one version over that range of tiers. */
const mergeTiers = (perTier: VersionContent[][]): VersionContent[] => {
  const merged: VersionContent[] = [];
  let open = new Map<string, VersionContent>();
  for (const versions of perTier) {
    const next = new Map<string, VersionContent>();
    for (const version of versions) {
      const key = contentKey(version, { tiers: false });
      const previous = open.get(key);
      if (previous) {
        previous.tierMax = version.tierMax;
        open.delete(key);
        next.set(key, previous);
      } else {
        merged.push(version);
        next.set(key, version);
      }
    }
    open = next;
  }
  return merged;
};

const personVersions = (facts: Fact[], tier: number): PersonVersionContent[] => {
  const registration = latest(facts.filter((f) => f.type === 'PersonRegistered'));
  if (!registration) return [];
  const data = registration.data as { handle: string; name: string; nativeName: string | null };
  return [
    {
      kind: 'person',
      tierMin: tier,
      tierMax: tier,
      handle: data.handle,
      name: data.name,
      nativeName: data.nativeName ?? null,
      validFrom: registration.occurredAt,
      validTo: null,
      ...provenance([registration]),
    },
  ];
};

/** A unit is one segment per change point between creation and dissolution. */
const unitVersions = (facts: Fact[], tier: number): UnitVersionContent[] => {
  const created = latest(facts.filter((f) => f.type === 'OrgUnitCreated'));
  if (!created) return [];
  const c = created.data as { handle: string; name: string; kind: string; parent: string | null };
  const dissolved = facts.filter((f) => f.type === 'OrgUnitDissolved').sort(byTime)[0];
  const changes = facts.filter((f) => f.type === 'OrgUnitMoved' || f.type === 'OrgUnitRenamed').sort(byTime);
  const end = dissolved?.occurredAt ?? null;

  const segments: UnitVersionContent[] = [];
  let state = { name: c.name, parent: c.parent, nameFact: created, parentFact: created };
  let from = created.occurredAt;
  const close = (to: Date | null) => {
    if (to !== null && to <= from) return;
    const shaping = [...new Set([created, state.nameFact, state.parentFact])];
    segments.push({ kind: 'unit', tierMin: tier, tierMax: tier, handle: c.handle, name: state.name, unitKind: c.kind, parentHandle: state.parent, validFrom: from, validTo: to, ...provenance(shaping) });
  };
  for (const change of changes) {
    if (end && change.occurredAt >= end) break;
    const at = change.occurredAt > from ? change.occurredAt : from;
    if (at > from) {
      close(at);
      from = at;
    }
    const d = change.data as { name?: string; parent?: string | null };
    state = change.type === 'OrgUnitRenamed' ? { ...state, name: d.name!, nameFact: change } : { ...state, parent: d.parent ?? null, parentFact: change };
  }
  close(end);
  return segments;
};

/** A role is ACTIVE from its start, LEAVING once a departure is announced, ENDED from its end on. */
const roleVersions = (facts: Fact[], tier: number): RoleVersionContent[] => {
  const assigned = latest(facts.filter((f) => f.type === 'RoleAssigned'));
  if (!assigned) return [];
  const announced = latest(facts.filter((f) => f.type === 'DepartureAnnounced'));
  const ended = latest(facts.filter((f) => f.type === 'RoleEnded'));
  const a = assigned.data as { roleId: string; person: string; unit: string; title: string; reportsTo: string | null };
  const start = assigned.occurredAt;
  const endAt = ended && ended.occurredAt > start ? ended.occurredAt : ended ? start : null;
  const leavingAt = announced ? (announced.occurredAt > start ? announced.occurredAt : start) : null;
  const base = { kind: 'role' as const, tierMin: tier, tierMax: tier, roleId: a.roleId, personHandle: a.person, unitHandle: a.unit, title: a.title, reportsTo: a.reportsTo ?? null, startedAt: start };

  const segments: RoleVersionContent[] = [];
  const activeUntil = leavingAt !== null && (endAt === null || leavingAt < endAt) ? leavingAt : endAt;
  if (activeUntil === null || activeUntil > start)
    segments.push({ ...base, status: 'ACTIVE', leavingFrom: null, endedAt: null, validFrom: start, validTo: activeUntil, ...provenance([assigned]) });
  if (leavingAt !== null && announced && (endAt === null || leavingAt < endAt))
    segments.push({ ...base, status: 'LEAVING', leavingFrom: leavingAt, endedAt: null, validFrom: leavingAt, validTo: endAt, ...provenance([assigned, announced]) });
  if (endAt !== null && ended) {
    const shaping = announced ? [assigned, announced, ended] : [assigned, ended];
    segments.push({ ...base, status: 'ENDED', leavingFrom: announced ? leavingAt : null, endedAt: endAt, validFrom: endAt, validTo: null, ...provenance(shaping) });
  }
  return segments;
};
