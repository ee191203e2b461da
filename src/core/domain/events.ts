/**
 * The event catalogue: every fact orgtime records, as a discriminated union on `type`.
 * Past tense, one JSON Schema per type and version under events/schemas/.
 */
import type { Confidence } from './confidence.ts';

export interface Source {
  title?: string | null;
  publisher?: string | null;
  url?: string | null;
  publishedAt?: string | null;
  quote?: string | null;
}

export interface EventMetadata {
  confidence: Confidence;
  source?: Source | null;
  /** Who recorded it: the write token's name, or "seed". */
  actor: string;
  note?: string;
  idempotencyKey?: string;
  correlationId?: string;
}

export type PersonRegistered = { type: 'PersonRegistered'; data: { handle: string; name: string; nativeName: string | null } };
export type OrgUnitCreated = { type: 'OrgUnitCreated'; data: { handle: string; name: string; kind: string; parent: string | null } };
export type OrgUnitMoved = { type: 'OrgUnitMoved'; data: { handle: string; parent: string | null; previousParent: string | null } };
export type OrgUnitRenamed = { type: 'OrgUnitRenamed'; data: { handle: string; name: string; previousName: string } };
export type OrgUnitDissolved = { type: 'OrgUnitDissolved'; data: { handle: string } };
export type RoleAssigned = {
  type: 'RoleAssigned';
  data: { roleId: string; person: string; unit: string; title: string; reportsTo: string | null };
};
export type DepartureAnnounced = { type: 'DepartureAnnounced'; data: { roleId: string; person: string; unit: string; title: string } };
export type RoleEnded = {
  type: 'RoleEnded';
  data: { roleId: string; person: string; unit: string; title: string; reason: string | null };
};
export type EventConfirmed = { type: 'EventConfirmed'; data: { eventId: string } };
export type EventRetracted = { type: 'EventRetracted'; data: { eventId: string; reason: string } };

export type OrgEvent =
  | PersonRegistered
  | OrgUnitCreated
  | OrgUnitMoved
  | OrgUnitRenamed
  | OrgUnitDissolved
  | RoleAssigned
  | DepartureAnnounced
  | RoleEnded
  | EventConfirmed
  | EventRetracted;

export type EventType = OrgEvent['type'];
export const EVENT_TYPES: readonly EventType[] = [
  'PersonRegistered',
  'OrgUnitCreated',
  'OrgUnitMoved',
  'OrgUnitRenamed',
  'OrgUnitDissolved',
  'RoleAssigned',
  'DepartureAnnounced',
  'RoleEnded',
  'EventConfirmed',
  'EventRetracted',
];

/** What a decider emits: the fact plus where it goes and when it took effect. */
export type NewEvent = OrgEvent & {
  eventId: string;
  stream: string;
  occurredAt: Date;
  metadata: EventMetadata;
};

/** An event as stored in the log. */
export type RecordedEvent = NewEvent & {
  position: bigint;
  version: number;
  schemaVersion: number;
  recordedAt: Date;
};

export const personStream = (handle: string) => `person-${handle}`;
export const unitStream = (handle: string) => `unit-${handle}`;

/** Exhaustiveness guard for switches over event or command types. */
export const unreachable = (value: never): never => {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
};
