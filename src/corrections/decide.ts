/**
 * Corrections never rewrite history: they are new events in the corrected event's stream.
 * Reads as known before the correction keep the old belief.
 */
import type { ConfirmEvent, DecisionContext, RetractEvent } from '../core/domain/commands.ts';
import { illegalState, invalid, notFound } from '../core/domain/errors.ts';
import type { NewEvent } from '../core/domain/events.ts';
import { metadataOf } from '../core/domain/metadata.ts';
import { LIMITS, requireText } from '../core/domain/validate.ts';
import type { FactRecord, World } from '../core/domain/world.ts';

const CORRECTIONS = new Set(['EventConfirmed', 'EventRetracted']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const targetOf = (world: World, eventId: string): FactRecord => {
  if (!UUID.test(eventId)) throw invalid(`eventId "${eventId}" is not an event id (a UUID)`, ['eventId']);
  const target = world.facts.get(eventId.toLowerCase());
  if (!target) throw notFound(`no event with id ${eventId}`, ['eventId']);
  if (CORRECTIONS.has(target.type)) throw illegalState(`${target.type} is a correction; correct the original event instead`, ['eventId']);
  if (target.retracted) throw illegalState(`event ${eventId} is already retracted`, ['eventId']);
  return target;
};

const correctionEvent = (command: ConfirmEvent | RetractEvent, target: FactRecord, context: DecisionContext) => ({
  eventId: context.newId(),
  stream: target.stream,
  // A correction changes what we believe, not what happened: it takes effect with the fact it corrects.
  occurredAt: target.occurredAt,
  metadata: metadataOf(command, context),
});

export const confirmEvent = (command: ConfirmEvent, world: World, context: DecisionContext): NewEvent[] => {
  const target = targetOf(world, command.eventId);
  if (target.confirmed) throw illegalState(`event ${command.eventId} is already confirmed`, ['eventId']);
  return [{ type: 'EventConfirmed', data: { eventId: target.eventId }, ...correctionEvent({ ...command, confidence: 'CONFIRMED' }, target, context) }];
};

/** Retracting a registration or creation while other facts still lean on it would leave them dangling. */
const dependentsOf = (world: World, target: FactRecord): string[] => {
  if (target.type === 'PersonRegistered') {
    const person = [...world.people.values()].find((p) => p.registered?.eventId === target.eventId);
    return person ? [...person.roles.values()].map((role) => `role "${role.title}" in "${role.unit}"`) : [];
  }
  if (target.type === 'OrgUnitCreated') {
    const unit = [...world.units.values()].find((u) => u.created?.eventId === target.eventId);
    if (!unit) return [];
    const children = [...world.units.values()].filter((u) => u.created && u.parentChanges.some((c) => c.parent === unit.handle));
    const roles = [...world.people.values()].flatMap((p) => [...p.roles.values()].filter((r) => r.unit === unit.handle));
    return [...children.map((c) => `unit "${c.handle}"`), ...roles.map((r) => `role of "${r.person}"`)];
  }
  return [];
};

export const retractEvent = (command: RetractEvent, world: World, context: DecisionContext): NewEvent[] => {
  const reason = requireText(command.reason, 'reason', LIMITS.reason);
  const target = targetOf(world, command.eventId);
  const dependents = dependentsOf(world, target);
  if (dependents.length > 0)
    throw illegalState(`cannot retract ${target.type} while ${dependents.join(', ')} depend on it; retract those first`, ['eventId']);
  return [{ type: 'EventRetracted', data: { eventId: target.eventId, reason }, ...correctionEvent(command, target, context) }];
};
