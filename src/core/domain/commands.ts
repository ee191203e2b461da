/** Commands: imperative requests a decider may turn into events, or refuse. */
import type { Confidence } from './confidence.ts';
import type { Source } from './events.ts';

/** Fields every command shares (the contract's common input fields, already parsed). */
export interface CommandBase {
  effectiveAt: Date;
  confidence: Confidence;
  source: Source | null;
}

export type RegisterPerson = CommandBase & { type: 'RegisterPerson'; handle: string; name: string; nativeName: string | null };
export type CreateOrgUnit = CommandBase & { type: 'CreateOrgUnit'; handle: string; name: string; kind: string; parent: string | null };
export type MoveOrgUnit = CommandBase & { type: 'MoveOrgUnit'; unit: string; newParent: string | null };
export type RenameOrgUnit = CommandBase & { type: 'RenameOrgUnit'; unit: string; name: string };
export type DissolveOrgUnit = CommandBase & { type: 'DissolveOrgUnit'; unit: string };
export type AssignRole = CommandBase & {
  type: 'AssignRole';
  person: string;
  unit: string;
  title: string;
  reportsTo: string | null;
};
export type AnnounceDeparture = CommandBase & { type: 'AnnounceDeparture'; person: string; unit: string; title: string | null };
export type EndRole = CommandBase & { type: 'EndRole'; person: string; unit: string; title: string | null; reason: string | null };
export type ConfirmEvent = CommandBase & { type: 'ConfirmEvent'; eventId: string };
export type RetractEvent = CommandBase & { type: 'RetractEvent'; eventId: string; reason: string };

export type Command =
  | RegisterPerson
  | CreateOrgUnit
  | MoveOrgUnit
  | RenameOrgUnit
  | DissolveOrgUnit
  | AssignRole
  | AnnounceDeparture
  | EndRole
  | ConfirmEvent
  | RetractEvent;

/** Time and ids come in as arguments, never from a global: deciders stay pure and testable. */
export interface DecisionContext {
  now: Date;
  newId: () => string;
  actor: string;
}
