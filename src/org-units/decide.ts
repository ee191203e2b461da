/** Deciders for the unit tree: create, move, rename, dissolve — checked across the whole timeline. */
import type { CreateOrgUnit, DecisionContext, DissolveOrgUnit, MoveOrgUnit, RenameOrgUnit } from '../core/domain/commands.ts';
import { cycle, duplicate, illegalState, notFound } from '../core/domain/errors.ts';
import { unitStream, type NewEvent } from '../core/domain/events.ts';
import { metadataOf } from '../core/domain/metadata.ts';
import { LIMITS, requireHandle, requireText } from '../core/domain/validate.ts';
import type { World } from '../core/domain/world.ts';
import { isHeldAtOrAfter } from '../roles/role.ts';
import { existsAt, insertByTime, nameAt, parentAt, type UnitState } from './org-unit.ts';

const iso = (t: Date) => t.toISOString();

const unitEvent = (command: CreateOrgUnit | MoveOrgUnit | RenameOrgUnit | DissolveOrgUnit, handle: string, context: DecisionContext) => ({
  eventId: context.newId(),
  stream: unitStream(handle),
  occurredAt: command.effectiveAt,
  metadata: metadataOf(command, context),
});

/** The unit, which must exist at `t`; `field` names the input that referred to it. */
export const requireUnitAt = (world: World, handle: string, t: Date, field: string): UnitState => {
  const unit = world.units.get(handle);
  if (!unit?.created) throw notFound(`no org unit with handle "${handle}"`, [field]);
  if (!existsAt(unit, t)) {
    const why = unit.created.at > t ? `is only created at ${iso(unit.created.at)}` : `is dissolved at ${iso(unit.dissolved!.at)}`;
    throw illegalState(`org unit "${handle}" ${why}, not in effect at ${iso(t)}`, [field]);
  }
  return unit;
};

/** A parent must exist at `t` and never be dissolved later, or its children would dangle. */
const requireParentAt = (world: World, handle: string, t: Date, field: string): UnitState => {
  const parent = requireUnitAt(world, handle, t, field);
  if (parent.dissolved) throw illegalState(`org unit "${handle}" is dissolved at ${iso(parent.dissolved.at)}`, [field]);
  return parent;
};

export const createOrgUnit = (command: CreateOrgUnit, world: World, context: DecisionContext): NewEvent[] => {
  const handle = requireHandle(command.handle, 'handle');
  const name = requireText(command.name, 'name', LIMITS.name);
  const kind = requireText(command.kind, 'kind', LIMITS.kind);
  const parent = command.parent === null ? null : requireHandle(command.parent, 'parent');
  if (world.units.get(handle)?.created) throw duplicate(`an org unit with handle "${handle}" already exists`, ['handle']);
  if (parent !== null) requireParentAt(world, parent, command.effectiveAt, 'parent');
  return [{ type: 'OrgUnitCreated', data: { handle, name, kind, parent }, ...unitEvent(command, handle, context) }];
};

/** Every moment at or after `from` where some unit's parent changes: where a cycle could start. */
const changePointsFrom = (world: World, from: Date): Date[] => {
  const points = new Map<number, Date>([[from.getTime(), from]]);
  for (const unit of world.units.values())
    for (const change of unit.parentChanges) if (change.at >= from) points.set(change.at.getTime(), change.at);
  return [...points.values()];
};

/** Would `handle` become its own ancestor at time `t`, with `timeline` as its parent history? */
const ancestorsLoop = (world: World, handle: string, timeline: UnitState, t: Date): boolean => {
  const seen = new Set<string>([handle]);
  let current = parentAt(timeline, t);
  while (current) {
    if (seen.has(current)) return true;
    seen.add(current);
    const next = world.units.get(current);
    current = next ? parentAt(next, t) : null;
  }
  return false;
};

export const moveOrgUnit = (command: MoveOrgUnit, world: World, context: DecisionContext): NewEvent[] => {
  const handle = requireHandle(command.unit, 'unit');
  const t = command.effectiveAt;
  const unit = requireUnitAt(world, handle, t, 'unit');
  const newParent = command.newParent === null ? null : requireHandle(command.newParent, 'newParent');
  if (newParent === handle) throw cycle(`org unit "${handle}" cannot be its own parent`, ['newParent']);
  if (newParent !== null) requireParentAt(world, newParent, t, 'newParent');
  const previousParent = parentAt(unit, t) ?? null;
  if (previousParent === newParent)
    throw illegalState(`org unit "${handle}" is already under ${newParent ?? 'no parent'} at ${iso(t)}`, ['newParent']);

  // Check the whole future, not just `t`: a move already scheduled elsewhere may close a loop later.
  const hypothetical: UnitState = { ...unit, parentChanges: insertByTime(unit.parentChanges, { eventId: 'pending', at: t, parent: newParent }) };
  const trial = { ...world, units: new Map(world.units).set(handle, hypothetical) };
  for (const point of changePointsFrom(world, t))
    if (ancestorsLoop(trial, handle, hypothetical, point))
      throw cycle(`moving "${handle}" under "${newParent}" makes it its own ancestor at ${iso(point)}`, ['newParent']);

  return [{ type: 'OrgUnitMoved', data: { handle, parent: newParent, previousParent }, ...unitEvent(command, handle, context) }];
};

export const renameOrgUnit = (command: RenameOrgUnit, world: World, context: DecisionContext): NewEvent[] => {
  const handle = requireHandle(command.unit, 'unit');
  const name = requireText(command.name, 'name', LIMITS.name);
  const unit = requireUnitAt(world, handle, command.effectiveAt, 'unit');
  const previousName = nameAt(unit, command.effectiveAt)!;
  if (previousName === name) throw illegalState(`org unit "${handle}" is already named "${name}"`, ['name']);
  return [{ type: 'OrgUnitRenamed', data: { handle, name, previousName }, ...unitEvent(command, handle, context) }];
};

export const dissolveOrgUnit = (command: DissolveOrgUnit, world: World, context: DecisionContext): NewEvent[] => {
  const handle = requireHandle(command.unit, 'unit');
  const t = command.effectiveAt;
  const unit = requireUnitAt(world, handle, t, 'unit');
  if (unit.dissolved) throw illegalState(`org unit "${handle}" is already dissolved at ${iso(unit.dissolved.at)}`, ['unit']);
  for (const point of changePointsFrom(world, t))
    for (const other of world.units.values())
      if (other.handle !== handle && existsAt(other, point) && parentAt(other, point) === handle)
        throw illegalState(`org unit "${handle}" still has "${other.handle}" under it at ${iso(point)}; move or dissolve it first`, ['unit']);
  for (const person of world.people.values())
    for (const role of person.roles.values())
      if (role.unit === handle && isHeldAtOrAfter(role, t))
        throw illegalState(`"${role.person}" holds "${role.title}" in "${handle}" at or after ${iso(t)}; end that role first`, ['unit']);
  return [{ type: 'OrgUnitDissolved', data: { handle }, ...unitEvent(command, handle, context) }];
};
