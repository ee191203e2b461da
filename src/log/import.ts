/**
 * Importing an event file: every event is replayed through the deciders against the log's
 * current state, so a file that breaks an invariant is refused whole, and nothing is appended.
 * Re-importing a file already in the log is a no-op (event ids are unique).
 */
import type postgres from 'postgres';
import type { Command } from '../core/domain/commands.ts';
import { decide } from '../core/domain/decider.ts';
import { DomainError } from '../core/domain/errors.ts';
import { unreachable, type NewEvent } from '../core/domain/events.ts';
import { evolve, foldWorld } from '../core/domain/world.ts';
import { announceAppended, appendEvents, readAll } from '../core/event-store/event-store.ts';
import { START_OF_LOG, type StoredEvent } from '../core/event-store/rows.ts';
import { EventFileError, parseEventFile } from './ndjson.ts';

/** The command that would have produced `event`: how the deciders get to judge it. */
export const commandOf = (event: NewEvent): Command => {
  const base = { effectiveAt: event.occurredAt, confidence: event.metadata.confidence, source: event.metadata.source ?? null };
  switch (event.type) {
    case 'PersonRegistered':
      return { ...base, type: 'RegisterPerson', ...event.data };
    case 'OrgUnitCreated':
      return { ...base, type: 'CreateOrgUnit', ...event.data };
    case 'OrgUnitMoved':
      return { ...base, type: 'MoveOrgUnit', unit: event.data.handle, newParent: event.data.parent };
    case 'OrgUnitRenamed':
      return { ...base, type: 'RenameOrgUnit', unit: event.data.handle, name: event.data.name };
    case 'OrgUnitDissolved':
      return { ...base, type: 'DissolveOrgUnit', unit: event.data.handle };
    case 'RoleAssigned':
      return { ...base, type: 'AssignRole', person: event.data.person, unit: event.data.unit, title: event.data.title, reportsTo: event.data.reportsTo };
    case 'DepartureAnnounced':
      return { ...base, type: 'AnnounceDeparture', person: event.data.person, unit: event.data.unit, title: event.data.title };
    case 'RoleEnded':
      return { ...base, type: 'EndRole', person: event.data.person, unit: event.data.unit, title: event.data.title, reason: event.data.reason };
    case 'EventConfirmed':
      return { ...base, type: 'ConfirmEvent', eventId: event.data.eventId };
    case 'EventRetracted':
      return { ...base, type: 'RetractEvent', eventId: event.data.eventId, reason: event.data.reason };
    default:
      return unreachable(event);
  }
};

/** The decider must produce exactly this event (same stream, same data once ids are aligned). */
const judge = (event: NewEvent, world: ReturnType<typeof foldWorld>, line: number): void => {
  let decided: NewEvent[];
  try {
    decided = decide(commandOf(event), world, { now: event.occurredAt, newId: () => event.eventId, actor: event.metadata.actor });
  } catch (error) {
    if (error instanceof DomainError) throw new EventFileError(line, `${event.type} refused (${error.code}): ${error.message}`);
    throw error;
  }
  const expected = decided[0]!;
  const data = event.type === 'RoleAssigned' ? { ...expected.data, roleId: event.data.roleId } : expected.data;
  if (decided.length !== 1 || expected.stream !== event.stream || JSON.stringify(data) !== JSON.stringify({ ...data, ...event.data }))
    throw new EventFileError(line, `${event.type} does not match what the command would record (${JSON.stringify({ stream: expected.stream, data })})`);
};

export interface ImportResult {
  appended: number;
  alreadyPresent: boolean;
}

const readWholeLog = async (sql: postgres.TransactionSql): Promise<StoredEvent[]> => {
  const all: StoredEvent[] = [];
  let after = START_OF_LOG;
  for (;;) {
    const page = await readAll(sql, { after, limit: 10_000 });
    if (page.length === 0) return all;
    all.push(...page);
    const last = page[page.length - 1]!;
    after = { transactionId: last.transactionId, position: last.position };
  }
};

export const importEventFile = async (sql: postgres.Sql, text: string): Promise<ImportResult> => {
  const events = parseEventFile(text);
  const result = (await sql.begin(async (tx) => {
    // One importer at a time, and no command interleaves with the check.
    await tx`SELECT pg_advisory_xact_lock(hashtextextended('orgtime:import', 0))`;
    const ids = events.map((e) => e.eventId);
    const [{ present }] = (await tx`SELECT count(*)::int AS present FROM events WHERE event_id = ANY(${ids}::uuid[])`) as unknown as [{ present: number }];
    if (present === events.length) return { appended: 0, alreadyPresent: true };
    if (present > 0) throw new EventFileError(0, `${present} of the file's ${events.length} events are already in the log; refusing a partial import`);
    const world = foldWorld(await readWholeLog(tx));
    const before = new Map(world.versions);
    for (const event of events) {
      judge(event, world, event.line);
      evolve(world, event);
    }
    const streams = new Set(events.map((e) => e.stream));
    const expected = new Map([...streams].map((s) => [s, before.get(s) ?? 0]));
    const appended = await appendEvents(tx, events.map(({ line: _line, ...event }) => event), expected);
    return { appended: appended.length, alreadyPresent: false };
  })) as ImportResult;
  if (result.appended > 0) announceAppended(sql);
  return result;
};
