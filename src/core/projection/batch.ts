/**
 * Pure: plan what one batch of events does to the read model. Events are applied in log order;
 * an entity is recomputed once per recorded time (a transaction's events share it), so every
 * intermediate belief gets its own recorded range even inside one batch.
 */
import { diffVersions } from './diff.ts';
import { factOf, type Fact } from './facts.ts';
import type { StoredEventLike, Version } from './types.ts';
import { versionsOf } from './versions.ts';

export interface LoadedState {
  /** All known facts of every entity the batch touches. */
  facts: Map<string, Fact[]>;
  /** Their open versions (knownTo = null). */
  open: Map<string, Version[]>;
}

export interface BatchWrites {
  newFacts: Fact[];
  /** Facts stored before this batch whose standing changed (confirmed or retracted). */
  changedFacts: Fact[];
  /** Stored versions to close: id → known_to. */
  closed: Array<{ kind: Version['kind']; id: bigint; knownTo: Date }>;
  /** Versions to insert (some already closed within the batch). */
  inserted: Version[];
}

const laterOf = (a: Date, b: Date) => (a > b ? a : b);

export const planBatch = (events: readonly StoredEventLike[], state: LoadedState): BatchWrites => {
  const factById = new Map<string, Fact>();
  for (const facts of state.facts.values()) for (const fact of facts) factById.set(fact.eventId, fact);
  const writes: BatchWrites = { newFacts: [], changedFacts: [], closed: [], inserted: [] };
  const newIds = new Set<string>();
  let dirty = new Set<string>();
  let dirtyAt: Date | null = null;

  const flush = () => {
    for (const entity of dirty) {
      const open = state.open.get(entity) ?? [];
      // Recorded time never runs backwards for one entity, even if two transactions' clocks did.
      const at = open.reduce((t, v) => laterOf(t, v.knownFrom), dirtyAt!);
      const { close, open: opened } = diffVersions(open, versionsOf(entity, state.facts.get(entity) ?? []), at);
      for (const version of close) {
        version.knownTo = at;
        if (version.id !== undefined) writes.closed.push({ kind: version.kind, id: version.id, knownTo: at });
      }
      const closing = new Set(close);
      state.open.set(entity, [...open.filter((v) => !closing.has(v)), ...opened]);
      writes.inserted.push(...opened);
    }
    dirty = new Set();
  };

  for (const event of events) {
    if (dirtyAt !== null && event.recordedAt.getTime() !== dirtyAt.getTime()) flush();
    dirtyAt = event.recordedAt;
    if (event.type === 'EventConfirmed' || event.type === 'EventRetracted') {
      const target = factById.get((event.data as { eventId: string }).eventId);
      if (!target) continue; // a correction of an event that shapes no entity
      if (event.type === 'EventConfirmed') target.confirmedAt = event.recordedAt;
      else target.retractedAt = event.recordedAt;
      if (!newIds.has(target.eventId)) writes.changedFacts.push(target);
      dirty.add(target.entity);
      continue;
    }
    const fact = factOf(event);
    if (!fact) continue;
    const known = state.facts.get(fact.entity);
    if (known) known.push(fact);
    else state.facts.set(fact.entity, [fact]);
    factById.set(fact.eventId, fact);
    newIds.add(fact.eventId);
    writes.newFacts.push(fact);
    dirty.add(fact.entity);
  }
  flush();
  // A version opened and closed at the same recorded time was never believed: don't store it.
  writes.inserted = writes.inserted.filter((v) => v.knownTo === null || v.knownTo > v.knownFrom);
  return writes;
};

/** The entities a batch touches, and the correction targets it must look up first. */
export const batchNeeds = (events: readonly StoredEventLike[]): { entities: Set<string>; correctionTargets: Set<string> } => {
  const entities = new Set<string>();
  const inBatch = new Set<string>();
  const correctionTargets = new Set<string>();
  for (const event of events) {
    const fact = factOf(event);
    if (fact) {
      entities.add(fact.entity);
      inBatch.add(event.eventId);
    } else if (event.type === 'EventConfirmed' || event.type === 'EventRetracted') {
      const target = (event.data as { eventId: string }).eventId;
      if (!inBatch.has(target)) correctionTargets.add(target);
    }
  }
  return { entities, correctionTargets };
};
