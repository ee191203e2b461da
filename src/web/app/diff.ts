/**
 * Compare mode: two charts in, one tree out — the later chart, with what was added, moved or
 * changed marked, and what was removed put back as ghosts where it used to hang. Pure functions.
 */
import type { Role, Unit } from './queries.ts';

export type Mark = 'added' | 'removed' | 'moved' | 'changed';

export interface DisplayRole extends Role {
  mark?: Mark;
  detail?: string;
}

export interface DisplayUnit extends Omit<Unit, 'roles' | 'children'> {
  roles: DisplayRole[];
  children: DisplayUnit[];
  mark?: Mark;
  detail?: string;
}

export type MarkCounts = Record<Mark, number>;

interface Placed {
  unit: Unit;
  parent: string | null;
}

const flatten = (roots: Unit[]): Map<string, Placed> => {
  const all = new Map<string, Placed>();
  const walk = (unit: Unit, parent: string | null) => {
    all.set(unit.handle, { unit, parent });
    unit.children.forEach((child) => walk(child, unit.handle));
  };
  roots.forEach((root) => walk(root, null));
  return all;
};

const rolesOf = (units: Map<string, Placed>) => {
  const roles = new Map<string, { role: Role; unit: string }>();
  for (const { unit } of units.values()) for (const role of unit.roles) roles.set(role.roleId, { role, unit: unit.handle });
  return roles;
};

const lower = (text: string) => text.toLowerCase();

export const compareCharts = (before: Unit[], after: Unit[]): { tree: DisplayUnit[]; counts: MarkCounts } => {
  const unitsBefore = flatten(before);
  const unitsAfter = flatten(after);
  const rolesBefore = rolesOf(unitsBefore);
  const rolesAfter = rolesOf(unitsAfter);
  const nameBefore = (handle: string | null) => (handle ? (unitsBefore.get(handle)?.unit.name ?? handle) : 'the top level');
  const nameAfter = (handle: string | null) => (handle ? (unitsAfter.get(handle)?.unit.name ?? handle) : 'the top level');
  const counts: MarkCounts = { added: 0, removed: 0, moved: 0, changed: 0 };
  const count = <T extends { mark?: Mark }>(item: T): T => {
    if (item.mark) counts[item.mark] += 1;
    return item;
  };

  // People who lost a role and gained another in between moved (or were moved) between units.
  const gained = new Map<string, string>();
  const lost = new Map<string, string>();
  for (const [id, { role, unit }] of rolesAfter) if (!rolesBefore.has(id)) gained.set(role.person.handle, unit);
  for (const [id, { role, unit }] of rolesBefore) if (!rolesAfter.has(id)) lost.set(role.person.handle, unit);

  const markRole = (role: Role): DisplayRole => {
    const earlier = rolesBefore.get(role.roleId)?.role;
    if (!earlier) {
      const from = lost.get(role.person.handle);
      return count(from ? { ...role, mark: 'moved', detail: `moved from ${nameBefore(from)}` } : { ...role, mark: 'added' });
    }
    if (earlier.status !== role.status) return count({ ...role, mark: 'changed', detail: `was ${lower(earlier.status)}, now ${lower(role.status)}` });
    if (earlier.confidence !== role.confidence) return count({ ...role, mark: 'changed', detail: `was ${lower(earlier.confidence)}, now ${lower(role.confidence)}` });
    return role;
  };
  const ghostRole = (role: Role): DisplayRole => {
    const to = gained.get(role.person.handle);
    return count({ ...role, mark: 'removed', detail: to ? `moved to ${nameAfter(to)}` : undefined });
  };
  const ghostUnit = (unit: Unit): DisplayUnit =>
    count({ ...unit, mark: 'removed', roles: unit.roles.map(ghostRole), children: unit.children.filter((c) => !unitsAfter.has(c.handle)).map(ghostUnit) });

  // Removed units hang where they used to, if that parent is still there (else at the top).
  const ghostsUnder = new Map<string | null, Unit[]>();
  for (const [handle, { unit, parent }] of unitsBefore) {
    if (unitsAfter.has(handle) || (parent !== null && !unitsAfter.has(parent))) continue; // inside a removed parent's ghost
    ghostsUnder.set(parent, [...(ghostsUnder.get(parent) ?? []), unit]);
  }

  const markUnit = (unit: Unit, parent: string | null): DisplayUnit => {
    const earlier = unitsBefore.get(unit.handle);
    const mark: Pick<DisplayUnit, 'mark' | 'detail'> = !earlier
      ? { mark: 'added' }
      : earlier.parent !== parent
        ? { mark: 'moved', detail: `moved from ${nameBefore(earlier.parent)}` }
        : earlier.unit.name !== unit.name
          ? { mark: 'changed', detail: `renamed from ${earlier.unit.name}` }
          : {};
    const removedRoles = earlier ? earlier.unit.roles.filter((r) => !rolesAfter.has(r.roleId)).map(ghostRole) : [];
    return count({
      ...unit,
      ...mark,
      roles: [...unit.roles.map(markRole), ...removedRoles],
      children: [...unit.children.map((c) => markUnit(c, unit.handle)), ...(ghostsUnder.get(unit.handle) ?? []).map(ghostUnit)],
    });
  };

  return { tree: [...after.map((root) => markUnit(root, null)), ...(ghostsUnder.get(null) ?? []).map(ghostUnit)], counts };
};
