/** Deciders for roles: assign, announce a departure, end. A role lives in its holder's stream. */
import type { AnnounceDeparture, AssignRole, DecisionContext, EndRole } from '../core/domain/commands.ts';
import { cycle, illegalState, invalid, notFound } from '../core/domain/errors.ts';
import { personStream, type NewEvent } from '../core/domain/events.ts';
import { metadataOf } from '../core/domain/metadata.ts';
import { LIMITS, optionalText, requireHandle, requireText } from '../core/domain/validate.ts';
import type { World } from '../core/domain/world.ts';
import { requireUnitAt } from '../org-units/decide.ts';
import type { PersonState } from '../people/person.ts';
import { isHeldAt, isHeldAtOrAfter, type RoleState } from './role.ts';

const iso = (t: Date) => t.toISOString();

const requirePersonAt = (world: World, handle: string, t: Date, field: string): PersonState => {
  const person = world.people.get(handle);
  if (!person?.registered) throw notFound(`no person with handle "${handle}"`, [field]);
  if (person.registered.at > t)
    throw illegalState(`"${handle}" is only registered from ${iso(person.registered.at)}, not at ${iso(t)}`, [field]);
  return person;
};

const roleEvent = (command: AssignRole | AnnounceDeparture | EndRole, person: string, context: DecisionContext) => ({
  eventId: context.newId(),
  stream: personStream(person),
  occurredAt: command.effectiveAt,
  metadata: metadataOf(command, context),
});

export const assignRole = (command: AssignRole, world: World, context: DecisionContext): NewEvent[] => {
  const t = command.effectiveAt;
  const personHandle = requireHandle(command.person, 'person');
  const unitHandle = requireHandle(command.unit, 'unit');
  const title = requireText(command.title, 'title', LIMITS.title);
  const reportsTo = command.reportsTo === null ? null : requireHandle(command.reportsTo, 'reportsTo');
  const person = requirePersonAt(world, personHandle, t, 'person');
  const unit = requireUnitAt(world, unitHandle, t, 'unit');
  if (unit.dissolved) throw illegalState(`org unit "${unitHandle}" is dissolved at ${iso(unit.dissolved.at)}`, ['unit']);
  if (reportsTo !== null) {
    if (reportsTo === personHandle) throw cycle(`"${personHandle}" cannot report to themselves`, ['reportsTo']);
    const manager = requirePersonAt(world, reportsTo, t, 'reportsTo');
    for (const role of manager.roles.values())
      if (role.reportsTo === personHandle && isHeldAtOrAfter(role, t))
        throw cycle(`"${reportsTo}" already reports to "${personHandle}"`, ['reportsTo']);
  }
  for (const role of person.roles.values())
    if (role.unit === unitHandle && role.title === title && isHeldAtOrAfter(role, t) && (role.assigned.at <= t || role.ended === undefined))
      throw illegalState(`"${personHandle}" already holds "${title}" in "${unitHandle}" from ${iso(role.assigned.at)}`, ['title']);
  const data = { roleId: context.newId(), person: personHandle, unit: unitHandle, title, reportsTo };
  return [{ type: 'RoleAssigned', data, ...roleEvent(command, personHandle, context) }];
};

/** The one role the command means: held at `t`, in that unit, with that title if given. */
const heldRole = (world: World, command: AnnounceDeparture | EndRole): RoleState => {
  const t = command.effectiveAt;
  const personHandle = requireHandle(command.person, 'person');
  const unitHandle = requireHandle(command.unit, 'unit');
  const title = optionalText(command.title, 'title', LIMITS.title);
  const person = world.people.get(personHandle);
  if (!person?.registered) throw notFound(`no person with handle "${personHandle}"`, ['person']);
  if (!world.units.get(unitHandle)?.created) throw notFound(`no org unit with handle "${unitHandle}"`, ['unit']);
  const candidates = [...person.roles.values()].filter(
    (role) => role.unit === unitHandle && (title === null || role.title === title) && isHeldAt(role, t),
  );
  const what = `"${personHandle}" holds no role${title ? ` "${title}"` : ''} in "${unitHandle}" at ${iso(t)}`;
  if (candidates.length === 0) throw illegalState(what, ['effectiveAt']);
  if (candidates.length > 1)
    throw invalid(`"${personHandle}" holds several roles in "${unitHandle}" (${candidates.map((r) => r.title).join(', ')}): say which title`, ['title']);
  return candidates[0]!;
};

export const announceDeparture = (command: AnnounceDeparture, world: World, context: DecisionContext): NewEvent[] => {
  const role = heldRole(world, command);
  if (role.announced) throw illegalState(`a departure from "${role.title}" was already announced at ${iso(role.announced.at)}`, ['effectiveAt']);
  const { roleId, person, unit, title } = role;
  return [{ type: 'DepartureAnnounced', data: { roleId, person, unit, title }, ...roleEvent(command, person, context) }];
};

export const endRole = (command: EndRole, world: World, context: DecisionContext): NewEvent[] => {
  const reason = optionalText(command.reason, 'reason', LIMITS.reason);
  const role = heldRole(world, command);
  if (role.ended) throw illegalState(`"${role.title}" already ends at ${iso(role.ended.at)}`, ['effectiveAt']);
  if (role.announced && role.announced.at > command.effectiveAt)
    throw illegalState(`the departure is announced only at ${iso(role.announced.at)}, after this end`, ['effectiveAt']);
  const { roleId, person, unit, title } = role;
  return [{ type: 'RoleEnded', data: { roleId, person, unit, title, reason }, ...roleEvent(command, person, context) }];
};
