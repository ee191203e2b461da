/**
 * I/O before a decision: which streams a command may touch, locked, then folded into a World.
 * Locking first and loading second means the decision sees every earlier command that touched
 * the same streams; the expected versions checked at append are then a safety net.
 */
import type postgres from 'postgres';
import type { Command } from '../domain/commands.ts';
import { personStream, unitStream, type NewEvent } from '../domain/events.ts';
import { foldWorld, type World } from '../domain/world.ts';
import { lockStreams, readStreams } from '../event-store/event-store.ts';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from '../event-store/rows.ts';

type Tx = postgres.TransactionSql;

/** Commands that change the shape of the tree serialise on one lock; others only share it. */
const STRUCTURE_LOCK = 'orgtime:unit-tree';
const UNIT_TYPES = ['OrgUnitCreated', 'OrgUnitMoved', 'OrgUnitRenamed', 'OrgUnitDissolved'];

const streamsTouchedBy = (command: Command): string[] => {
  switch (command.type) {
    case 'RegisterPerson':
      return [personStream(command.handle)];
    case 'CreateOrgUnit':
      return [unitStream(command.handle), ...(command.parent ? [unitStream(command.parent)] : [])];
    case 'MoveOrgUnit':
    case 'RenameOrgUnit':
    case 'DissolveOrgUnit':
      return [unitStream(command.unit)];
    case 'AssignRole':
      return [personStream(command.person), unitStream(command.unit), ...(command.reportsTo ? [personStream(command.reportsTo)] : [])];
    case 'AnnounceDeparture':
    case 'EndRole':
      return [personStream(command.person), unitStream(command.unit)];
    case 'ConfirmEvent':
    case 'RetractEvent':
      return [];
  }
};

/** Every unit's whole timeline: cycle and dissolution checks look across all of them. */
const readUnitTree = async (tx: Tx) => {
  const rows = await tx<EventRow[]>`
    SELECT ${tx.unsafe(EVENT_COLUMNS)} FROM events
    WHERE type = ANY(${UNIT_TYPES}) OR (type IN ('EventConfirmed', 'EventRetracted') AND stream_id LIKE 'unit-%')
    ORDER BY events.position`;
  return rows.map(toStoredEvent);
};

/** The streams of everyone who ever held a role in `unit`. */
const roleHolderStreams = async (tx: Tx, unit: string): Promise<string[]> => {
  const rows = await tx<{ stream_id: string }[]>`
    SELECT DISTINCT stream_id FROM events WHERE type = 'RoleAssigned' AND data ->> 'unit' = ${unit}`;
  return rows.map((r) => r.stream_id);
};

const streamOfEvent = async (tx: Tx, eventId: string): Promise<string | null> => {
  if (!/^[0-9a-f-]{36}$/i.test(eventId)) return null;
  const [row] = await tx<{ stream_id: string }[]>`SELECT stream_id FROM events WHERE event_id = ${eventId}::uuid`;
  return row?.stream_id ?? null;
};

/**
 * The streams a command's decision rests on, when that is all it rests on: such a command can
 * be decided without locks and appended on condition that none of them moved meanwhile (see
 * execute.ts). Commands that look across the unit tree, or at every holder of a role in a unit,
 * or find their stream through an event id, take the locks first instead.
 */
export const ownStreams = (command: Command): string[] | null => {
  switch (command.type) {
    case 'RegisterPerson':
    case 'AssignRole':
    case 'AnnounceDeparture':
    case 'EndRole':
    case 'RenameOrgUnit':
      return [...new Set(streamsTouchedBy(command))];
    default:
      return null;
  }
};

export const loadWorld = async (tx: Tx, command: Command): Promise<World> => {
  const streams = new Set(streamsTouchedBy(command));
  const shapesTree = command.type === 'MoveOrgUnit' || command.type === 'DissolveOrgUnit';
  let unitHandle: string | null = command.type === 'DissolveOrgUnit' ? command.unit : null;

  if (command.type === 'ConfirmEvent' || command.type === 'RetractEvent') {
    const stream = await streamOfEvent(tx, command.eventId);
    if (stream) streams.add(stream);
    if (stream?.startsWith('unit-') && command.type === 'RetractEvent') unitHandle = stream.slice('unit-'.length);
  }
  const needsTree = shapesTree || unitHandle !== null;
  if (needsTree) await tx`SELECT pg_advisory_xact_lock(hashtextextended(${STRUCTURE_LOCK}, 0))`;
  else if (command.type === 'CreateOrgUnit') await tx`SELECT pg_advisory_xact_lock_shared(hashtextextended(${STRUCTURE_LOCK}, 0))`;

  if (unitHandle === null) {
    // Pipelined, one round trip: the transaction's connection runs statements in order, so the
    // read starts (and takes its snapshot) only once the locks are held.
    const [, read] = await Promise.all([lockStreams(tx, streams), readStreams(tx, [...streams])]);
    return foldWorld(needsTree ? withUnitTree(read, await readUnitTree(tx)) : read);
  }
  await lockStreams(tx, streams);
  const holders = await roleHolderStreams(tx, unitHandle);
  return foldWorld(withUnitTree(await readStreams(tx, [...streams, ...holders]), await readUnitTree(tx)));
};

/** The loaded streams plus every unit's timeline, each event once, in log order. */
const withUnitTree = (events: NewEvent[], tree: NewEvent[]): NewEvent[] => {
  const seen = new Set(events.map((e) => e.eventId));
  return sortByPosition([...events, ...tree.filter((e) => !seen.has(e.eventId))]);
};

const sortByPosition = (events: NewEvent[]) =>
  [...events].sort((a, b) => {
    const pa = (a as { position?: bigint }).position ?? 0n;
    const pb = (b as { position?: bigint }).position ?? 0n;
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
