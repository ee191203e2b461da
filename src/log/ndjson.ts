/** The NDJSON event file format shared by `orgtime export` and the importer. */
import type { EventMetadata, NewEvent, OrgEvent } from '../core/domain/events.ts';
import type { StoredEvent } from '../core/event-store/rows.ts';
import { validateEnvelope } from './schemas.ts';

export interface Envelope {
  eventId: string;
  stream: string;
  type: string;
  schemaVersion: number;
  occurredAt: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  position?: string;
  version?: number;
  recordedAt?: string;
}

export class EventFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'EventFileError';
  }
}

export const parseEventFile = (text: string): Array<NewEvent & { line: number }> =>
  text.split('\n').flatMap((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return [];
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new EventFileError(line, `not JSON (${(error as Error).message})`);
    }
    const checked = validateEnvelope(value);
    if (!checked.ok) throw new EventFileError(line, checked.errors.join('; '));
    const envelope = value as Envelope;
    const event = { type: envelope.type, data: envelope.data } as OrgEvent;
    return [{ ...event, eventId: envelope.eventId, stream: envelope.stream, occurredAt: new Date(envelope.occurredAt), metadata: envelope.metadata, line }];
  });

export const toEnvelope = (event: StoredEvent): Envelope => ({
  eventId: event.eventId,
  stream: event.stream,
  type: event.type,
  schemaVersion: event.schemaVersion,
  occurredAt: event.occurredAt.toISOString(),
  data: event.data as Record<string, unknown>,
  metadata: event.metadata,
  position: event.position.toString(),
  version: event.version,
  recordedAt: event.recordedAt.toISOString(),
});
