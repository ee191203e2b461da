/**
 * A role's timeline, as the deciders see it: held from `assigned.at` until `ended.at` (if any),
 * LEAVING from `announced.at`. Retracted facts are simply absent.
 */
export interface Fact {
  eventId: string;
  at: Date;
}

export interface RoleState {
  roleId: string;
  person: string;
  unit: string;
  title: string;
  reportsTo: string | null;
  assigned: Fact;
  announced?: Fact;
  ended?: Fact & { reason: string | null };
}

/** Held at `t`: assigned at or before t and not yet ended at t. */
export const isHeldAt = (role: RoleState, t: Date): boolean =>
  role.assigned.at <= t && (role.ended === undefined || t < role.ended.at);

/** Held at some moment at or after `t` (assigned roles without an end are held forever). */
export const isHeldAtOrAfter = (role: RoleState, t: Date): boolean =>
  role.ended === undefined || t < role.ended.at;
