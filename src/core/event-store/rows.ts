/** Mapping between the `events` table and RecordedEvent. */
import type { EventMetadata, OrgEvent, RecordedEvent } from '../domain/events.ts';

export interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
  recorded_at: Date;
}

// Aliased to text: ORDER BY must name events.position, not the (text) output column.
export const EVENT_COLUMNS = `position::text AS position, transaction_id::text AS transaction_id, stream_id, stream_version,
  event_id::text AS event_id, type, schema_version, data, metadata, occurred_at, recorded_at`;

/** A log position with the transaction that wrote it: the reader's resumable place in the log. */
export interface LogPosition {
  transactionId: bigint;
  position: bigint;
}

export const START_OF_LOG: LogPosition = { transactionId: 0n, position: 0n };

export type StoredEvent = RecordedEvent & { transactionId: bigint };

export const toStoredEvent = (row: EventRow): StoredEvent =>
  ({
    type: row.type,
    data: row.data,
    eventId: row.event_id,
    stream: row.stream_id,
    occurredAt: row.occurred_at,
    metadata: row.metadata as EventMetadata,
    position: BigInt(row.position),
    transactionId: BigInt(row.transaction_id),
    version: row.stream_version,
    schemaVersion: row.schema_version,
    recordedAt: row.recorded_at,
  }) as OrgEvent as StoredEvent;
