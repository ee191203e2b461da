/**
 * A unit's timeline: created, moved and renamed at effective times, maybe dissolved.
 * Parent changes are kept as a list so a back-dated or future-dated move can be checked
 * against the whole timeline, not just the present.
 */
import type { Fact } from '../roles/role.ts';

export interface ParentChange extends Fact {
  parent: string | null;
}

export interface UnitState {
  handle: string;
  created?: Fact & { name: string; kind: string };
  /** Creation's parent first, then moves; sorted by effective time (stable for equal times). */
  parentChanges: ParentChange[];
  renames: Array<Fact & { name: string }>;
  dissolved?: Fact;
}

export const emptyUnit = (handle: string): UnitState => ({ handle, parentChanges: [], renames: [] });

export const existsAt = (unit: UnitState | undefined, t: Date): boolean =>
  unit?.created !== undefined && unit.created.at <= t && (unit.dissolved === undefined || t < unit.dissolved.at);

/** The parent in effect at `t` (undefined when the unit does not exist yet). */
export const parentAt = (unit: UnitState, t: Date): string | null | undefined => {
  let parent: string | null | undefined;
  for (const change of unit.parentChanges) {
    if (change.at <= t) parent = change.parent;
    else break;
  }
  return parent;
};

export const nameAt = (unit: UnitState, t: Date): string | undefined => {
  let name = unit.created?.name;
  for (const rename of unit.renames) if (rename.at <= t) name = rename.name;
  return name;
};

/** Insert keeping effective-time order; equal times keep arrival order. */
export const insertByTime = <T extends Fact>(list: T[], item: T): T[] => {
  const index = list.findIndex((other) => other.at > item.at);
  return index === -1 ? [...list, item] : [...list.slice(0, index), item, ...list.slice(index)];
};
