/**
 * Facts as the projection keeps them (table entity_facts): each event that shapes an entity,
 * with its standing — confirmed or retracted, and since when (recorded time).
 */
import { CONFIDENCES, confidenceLevel, type Confidence } from '../domain/confidence.ts';
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

/**
 * The events that shape an entity: its kind, and the field of the event's data that names it.
 * One table for both readers of it: `entityOf` here, and the rebuild's SQL (entitySql below).
 */
const SHAPING: Readonly<Record<string, { kind: 'person' | 'unit' | 'role'; key: 'handle' | 'roleId' }>> = {
  PersonRegistered: { kind: 'person', key: 'handle' },
  OrgUnitCreated: { kind: 'unit', key: 'handle' },
  OrgUnitMoved: { kind: 'unit', key: 'handle' },
  OrgUnitRenamed: { kind: 'unit', key: 'handle' },
  OrgUnitDissolved: { kind: 'unit', key: 'handle' },
  RoleAssigned: { kind: 'role', key: 'roleId' },
  DepartureAnnounced: { kind: 'role', key: 'roleId' },
  RoleEnded: { kind: 'role', key: 'roleId' },
};

export const CORRECTION_TYPES = ['EventConfirmed', 'EventRetracted'] as const;

/**
 * The data fields that name an event's person and unit, by the kind it shapes. One table for
 * entityOf and the rebuild's SQL (ownerSql below).
 */
const OWNERS = { person: { person: 'handle', unit: null }, unit: { person: null, unit: 'handle' }, role: { person: 'person', unit: 'unit' } } as const;

/** Which entity's versions an event shapes; corrections shape their target's entity. */
export const entityOf = (event: StoredEventLike): { entity: string; person: string | null; unit: string | null } | null => {
  const shape = SHAPING[event.type];
  if (!shape) return null;
  const data = event.data as Record<string, string>;
  const { person, unit } = OWNERS[shape.kind];
  return { entity: `${shape.kind}:${data[shape.key]}`, person: person === null ? null : data[person]!, unit: unit === null ? null : data[unit]! };
};

/** SQL for entityOf's entity over an events row aliased `e` (NULL for events that shape none). */
export const entitySql = (e: string): string =>
  `CASE ${e}.type ${Object.entries(SHAPING)
    .map(([type, { kind, key }]) => `WHEN '${type}' THEN '${kind}:' || (${e}.data ->> '${key}')`)
    .join(' ')} END`;

const ownerSql = (e: string, of: 'person' | 'unit'): string =>
  `CASE ${e}.type ${Object.entries(SHAPING)
    .map(([type, { kind }]) => `WHEN '${type}' THEN ${OWNERS[kind][of] === null ? 'NULL' : `${e}.data ->> '${OWNERS[kind][of]}'`}`)
    .join(' ')} END`;

/** Times as the projection holds them: JavaScript Dates, whole milliseconds. */
const ms = (column: string) => `date_trunc('milliseconds', ${column})`;

/**
 * factOf for a whole log at once, in SQL: the rebuild writes entity_facts with one INSERT … SELECT
 * inside PostgreSQL instead of sending every event's data back over COPY. Standing is the last
 * correction of each kind in log order, as planBatch leaves it; corrections name their target
 * by its id as text, matched exactly as planBatch's lookup does. `$1` is the rebuild's watermark.
 */
export const factsIntoSql = (table: string): string => `
  INSERT INTO ${table} (position, event_id, entity, type, occurred_at, recorded_at, confidence, confirmed_at, retracted_at, person_handle, unit_handle, data, metadata)
  SELECT e.position, e.event_id, ${entitySql('e')}, e.type, ${ms('e.occurred_at')}, ${ms('e.recorded_at')},
         CASE e.metadata ->> 'confidence' ${CONFIDENCES.map((c) => `WHEN '${c}' THEN ${confidenceLevel(c)}`).join(' ')} END,
         ${ms('s.confirmed_at')}, ${ms('s.retracted_at')}, ${ownerSql('e', 'person')}, ${ownerSql('e', 'unit')}, e.data, e.metadata
  FROM events e
  LEFT JOIN (
    SELECT c.data ->> 'eventId' AS target,
           (array_agg(c.recorded_at ORDER BY c.transaction_id DESC, c.position DESC) FILTER (WHERE c.type = 'EventConfirmed'))[1] AS confirmed_at,
           (array_agg(c.recorded_at ORDER BY c.transaction_id DESC, c.position DESC) FILTER (WHERE c.type = 'EventRetracted'))[1] AS retracted_at
    FROM events c WHERE c.type IN (${CORRECTION_TYPES.map((t) => `'${t}'`).join(', ')}) AND c.transaction_id < $1::xid8
    GROUP BY 1
  ) s ON s.target = e.event_id::text
  WHERE e.type IN (${Object.keys(SHAPING).map((t) => `'${t}'`).join(', ')}) AND e.transaction_id < $1::xid8`;

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
