/** A new person's registration: the one event shape every append contender writes. */
import { randomUUID } from 'node:crypto';
import { personStream, type NewEvent } from '../../src/core/domain/events.ts';

export const registration = (tag: string): NewEvent => {
  const handle = `b-${tag}`;
  return {
    type: 'PersonRegistered',
    data: { handle, name: `Bench ${tag}`, nativeName: null },
    eventId: randomUUID(),
    stream: personStream(handle),
    occurredAt: new Date(),
    metadata: { confidence: 'CONFIRMED', actor: 'bench' },
  };
};
