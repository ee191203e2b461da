import type { EventMetadata } from '../domain/events.ts';
export type { Source } from '../domain/events.ts';

/** The part of a stored event the projection needs. */
export interface StoredEventLike {
  position: bigint;
  eventId: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  occurredAt: Date;
  recordedAt: Date;
}

/** A version row without its recorded range: what the entity looked like over [validFrom, validTo). */
export interface VersionBase {
  /** The confidence tiers this version answers: readers admitting t see it when tierMin <= t <= tierMax. */
  tierMin: number;
  tierMax: number;
  confidence: number;
  sources: unknown[];
  eventIds: string[];
  validFrom: Date;
  validTo: Date | null;
}

export interface PersonVersionContent extends VersionBase {
  kind: 'person';
  handle: string;
  name: string;
  nativeName: string | null;
}

export interface UnitVersionContent extends VersionBase {
  kind: 'unit';
  handle: string;
  name: string;
  unitKind: string;
  parentHandle: string | null;
}

export interface RoleVersionContent extends VersionBase {
  kind: 'role';
  roleId: string;
  personHandle: string;
  unitHandle: string;
  title: string;
  reportsTo: string | null;
  status: 'ACTIVE' | 'LEAVING' | 'ENDED';
  startedAt: Date;
  leavingFrom: Date | null;
  endedAt: Date | null;
}

export type VersionContent = PersonVersionContent | UnitVersionContent | RoleVersionContent;

/** A stored version: content plus recorded range. `id` is absent until written. */
export type Version = VersionContent & { id?: bigint; knownFrom: Date; knownTo: Date | null };
