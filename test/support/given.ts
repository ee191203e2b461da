/**
 * Given/When/Then over events for the pure deciders: given these past events, when this
 * command, then these new events — or this error.
 */
import { expect } from 'vitest';
import type { Command, CommandBase } from '../../src/core/domain/commands.ts';
import { decide } from '../../src/core/domain/decider.ts';
import { DomainError, type ErrorCode } from '../../src/core/domain/errors.ts';
import { personStream, unitStream, type NewEvent, type OrgEvent } from '../../src/core/domain/events.ts';
import { foldWorld } from '../../src/core/domain/world.ts';

let counter = 0;
export const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
export const t = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

const streamOf = (event: OrgEvent): string => {
  const data = event.data as Record<string, string>;
  if (event.type === 'PersonRegistered') return personStream(data.handle!);
  if (event.type.startsWith('OrgUnit')) return unitStream(data.handle!);
  if ('person' in data) return personStream(data.person!);
  throw new Error(`give ${event.type} an explicit stream`);
};

/** An event as if recorded earlier (CONFIRMED unless said otherwise). */
export const past = (at: string, event: OrgEvent, extra: Partial<NewEvent> = {}): NewEvent =>
  ({ ...event, eventId: newId(), stream: streamOf(event), occurredAt: t(at), metadata: { confidence: 'CONFIRMED', actor: 'test' }, ...extra }) as NewEvent;

export const base = (at: string): CommandBase => ({ effectiveAt: t(at), confidence: 'CONFIRMED', source: null });

export const registered = (at: string, handle: string, name = handle) => past(at, { type: 'PersonRegistered', data: { handle, name, nativeName: null } });
export const created = (at: string, handle: string, parent: string | null = null, kind = 'team') =>
  past(at, { type: 'OrgUnitCreated', data: { handle, name: handle.toUpperCase(), kind, parent } });
export const moved = (at: string, handle: string, parent: string | null, previousParent: string | null) =>
  past(at, { type: 'OrgUnitMoved', data: { handle, parent, previousParent } });
export const dissolved = (at: string, handle: string) => past(at, { type: 'OrgUnitDissolved', data: { handle } });
export const assigned = (at: string, roleId: string, person: string, unit: string, title = 'Lead', reportsTo: string | null = null) =>
  past(at, { type: 'RoleAssigned', data: { roleId, person, unit, title, reportsTo } });
export const announced = (at: string, roleId: string, person: string, unit: string, title = 'Lead') =>
  past(at, { type: 'DepartureAnnounced', data: { roleId, person, unit, title } });
export const ended = (at: string, roleId: string, person: string, unit: string, title = 'Lead') =>
  past(at, { type: 'RoleEnded', data: { roleId, person, unit, title, reason: null } });

export const given = (...history: NewEvent[]) => ({
  when: (command: Command) => {
    const run = () => decide(command, foldWorld(history), { now: t('2026-06-01'), newId, actor: 'test' });
    return {
      then: (...expected: Array<Pick<NewEvent, 'type' | 'stream'> & { data: Record<string, unknown> }>) => {
        const events = run();
        expect(events.map(({ type, stream, data }) => ({ type, stream, data }))).toEqual(
          expected.map((e) => ({ ...e, data: expect.objectContaining(e.data) })),
        );
        for (const event of events) expect(event.occurredAt).toEqual(command.type === 'ConfirmEvent' || command.type === 'RetractEvent' ? event.occurredAt : command.effectiveAt);
        return events;
      },
      thenRefuses: (code: ErrorCode, field?: string[], message?: RegExp) => {
        let error: unknown;
        try {
          run();
        } catch (caught) {
          error = caught;
        }
        expect(error, 'the command should have been refused').toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(code);
        if (field) expect((error as DomainError).field).toEqual(field);
        if (message) expect((error as DomainError).message).toMatch(message);
      },
    };
  },
});
