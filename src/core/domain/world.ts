/**
 * The deciders' state: the people and units a command can touch, each as a full timeline,
 * built by folding their streams' events. `evolve` is pure; the command handler decides which
 * streams to load (src/core/commands/load-world.ts).
 */
import { emptyPerson, type PersonState } from '../../people/person.ts';
import { emptyUnit, insertByTime, type UnitState } from '../../org-units/org-unit.ts';
import type { RoleState } from '../../roles/role.ts';
import { unreachable, type NewEvent } from './events.ts';

export interface FactRecord {
  eventId: string;
  type: NewEvent['type'];
  stream: string;
  /** The event's effective time. */
  occurredAt: Date;
  confirmed: boolean;
  retracted: boolean;
}

export interface World {
  people: Map<string, PersonState>;
  units: Map<string, UnitState>;
  /** Every loaded event by id, so corrections can find their target. */
  facts: Map<string, FactRecord>;
  /** Events seen per stream: the expected version for the next append. */
  versions: Map<string, number>;
}

export const emptyWorld = (): World => ({ people: new Map(), units: new Map(), facts: new Map(), versions: new Map() });

const person = (world: World, handle: string): PersonState => {
  let state = world.people.get(handle);
  if (!state) world.people.set(handle, (state = emptyPerson(handle)));
  return state;
};

const unit = (world: World, handle: string): UnitState => {
  let state = world.units.get(handle);
  if (!state) world.units.set(handle, (state = emptyUnit(handle)));
  return state;
};

/** Mutates and returns `world` (folding thousands of events must not copy maps each time). */
export const evolve = (world: World, event: NewEvent): World => {
  world.versions.set(event.stream, (world.versions.get(event.stream) ?? 0) + 1);
  world.facts.set(event.eventId, {
    eventId: event.eventId,
    type: event.type,
    stream: event.stream,
    occurredAt: event.occurredAt,
    confirmed: event.metadata.confidence === 'CONFIRMED',
    retracted: false,
  });
  const at = event.occurredAt;
  const { eventId } = event;
  switch (event.type) {
    case 'PersonRegistered': {
      const { name, nativeName } = event.data;
      person(world, event.data.handle).registered = { eventId, at, name, nativeName };
      return world;
    }
    case 'OrgUnitCreated': {
      const state = unit(world, event.data.handle);
      state.created = { eventId, at, name: event.data.name, kind: event.data.kind };
      state.parentChanges = insertByTime(state.parentChanges, { eventId, at, parent: event.data.parent });
      return world;
    }
    case 'OrgUnitMoved': {
      const state = unit(world, event.data.handle);
      state.parentChanges = insertByTime(state.parentChanges, { eventId, at, parent: event.data.parent });
      return world;
    }
    case 'OrgUnitRenamed': {
      const state = unit(world, event.data.handle);
      state.renames = insertByTime(state.renames, { eventId, at, name: event.data.name });
      return world;
    }
    case 'OrgUnitDissolved':
      unit(world, event.data.handle).dissolved = { eventId, at };
      return world;
    case 'RoleAssigned': {
      const { roleId, unit: unitHandle, title, reportsTo } = event.data;
      const role: RoleState = { roleId, person: event.data.person, unit: unitHandle, title, reportsTo, assigned: { eventId, at } };
      person(world, event.data.person).roles.set(roleId, role);
      return world;
    }
    case 'DepartureAnnounced': {
      const role = person(world, event.data.person).roles.get(event.data.roleId);
      if (role) role.announced = { eventId, at };
      return world;
    }
    case 'RoleEnded': {
      const role = person(world, event.data.person).roles.get(event.data.roleId);
      if (role) role.ended = { eventId, at, reason: event.data.reason };
      return world;
    }
    case 'EventConfirmed': {
      const target = world.facts.get(event.data.eventId);
      if (target) target.confirmed = true;
      return world;
    }
    case 'EventRetracted': {
      const target = world.facts.get(event.data.eventId);
      if (target) {
        target.retracted = true;
        forgetFact(world, target);
      }
      return world;
    }
    default:
      return unreachable(event);
  }
};

/** A retracted fact stops shaping the timeline: remove whatever it contributed. */
const forgetFact = (world: World, fact: FactRecord): void => {
  const id = fact.eventId;
  for (const state of world.people.values()) {
    if (state.registered?.eventId === id) delete state.registered;
    for (const [roleId, role] of state.roles) {
      if (role.assigned.eventId === id) state.roles.delete(roleId);
      if (role.announced?.eventId === id) delete role.announced;
      if (role.ended?.eventId === id) delete role.ended;
    }
  }
  for (const state of world.units.values()) {
    if (state.created?.eventId === id) delete state.created;
    state.parentChanges = state.parentChanges.filter((change) => change.eventId !== id);
    state.renames = state.renames.filter((rename) => rename.eventId !== id);
    if (state.dissolved?.eventId === id) delete state.dissolved;
  }
};

export const foldWorld = (events: Iterable<NewEvent>, world: World = emptyWorld()): World => {
  for (const event of events) evolve(world, event);
  return world;
};
