/** A person's stream: their registration and every role they held (roles live here). */
import type { Fact, RoleState } from '../roles/role.ts';

export interface PersonState {
  handle: string;
  registered?: Fact & { name: string; nativeName: string | null };
  roles: Map<string, RoleState>;
}

export const emptyPerson = (handle: string): PersonState => ({ handle, roles: new Map() });

export const isRegisteredAt = (person: PersonState | undefined, t: Date): boolean =>
  person?.registered !== undefined && person.registered.at <= t;
