/**
 * Facts as the projection keeps them (table entity_facts): each event that shapes an entity,
 * with its standing — confirmed or retracted, and since when (recorded time).
 */
import { confidenceLevel, type Confidence } from '../domain/confidence.ts';
import type { Source, StoredEventLike } from './types.ts';

export interface Fact {
  position: bigint;
  eventId: string;
  entity: string;
  type: string;
  occurredAt: Date;
  recordedAt: Date;
  confidence: number;
  confirmedAt: Date | null;
  retractedAt: Date | null;
  personHandle: string | null;
  unitHandle: string | null;
  data: Record<string, unknown>;
  metadata: { confidence: Confidence; source?: Source | null } & Record<string, unknown>;
}

/** Which entity's versions an event shapes; corrections shape their target's entity. */
export const entityOf = (event: StoredEventLike): { entity: string; person: string | null; unit: string | null } | null => {
  const data = event.data as Record<string, string>;
  switch (event.type) {
    case 'PersonRegistered':
      return { entity: `person:${data.handle}`, person: data.handle!, unit: null };
    case 'OrgUnitCreated':
    case 'OrgUnitMoved':
    case 'OrgUnitRenamed':
    case 'OrgUnitDissolved':
      return { entity: `unit:${data.handle}`, person: null, unit: data.handle! };
    case 'RoleAssigned':
    case 'DepartureAnnounced':
    case 'RoleEnded':
      return { entity: `role:${data.roleId}`, person: data.person!, unit: data.unit! };
    default:
      return null;
  }
};

export const factOf = (event: StoredEventLike): Fact | null => {
  const owner = entityOf(event);
  if (!owner) return null;
  return {
    position: event.position,
    eventId: event.eventId,
    entity: owner.entity,
    type: event.type,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    confidence: confidenceLevel(event.metadata.confidence),
    confirmedAt: null,
    retractedAt: null,
    personHandle: owner.person,
    unitHandle: owner.unit,
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as unknown as Fact['metadata'],
  };
};

/** A confirmed fact counts as CONFIRMED from the moment the confirmation was recorded. */
export const levelOf = (fact: Fact): number => (fact.confirmedAt ? confidenceLevel('CONFIRMED') : fact.confidence);

/** The facts that count for a reader who admits confidence `tier` and up. */
export const admitted = (facts: readonly Fact[], tier: number): Fact[] =>
  facts.filter((fact) => fact.retractedAt === null && levelOf(fact) >= tier);
