/** The projector's SQL: load what a batch needs, write what it planned. postgres.js, one transaction. */
import type postgres from 'postgres';
import type { BatchWrites, LoadedState } from './batch.ts';
import type { Fact } from './facts.ts';
import type { Version } from './types.ts';

type Tx = postgres.TransactionSql;

interface FactRow {
  position: string;
  event_id: string;
  entity: string;
  type: string;
  occurred_at: Date;
  recorded_at: Date;
  confidence: number;
  confirmed_at: Date | null;
  retracted_at: Date | null;
  person_handle: string | null;
  unit_handle: string | null;
  data: Record<string, unknown>;
  metadata: Fact['metadata'];
}

const FACT_COLUMNS = `position::text AS position, event_id::text AS event_id, entity, type, occurred_at, recorded_at, confidence,
  confirmed_at, retracted_at, person_handle, unit_handle, data, metadata`;

const toFact = (r: FactRow): Fact => ({
  position: BigInt(r.position),
  eventId: r.event_id,
  entity: r.entity,
  type: r.type,
  occurredAt: r.occurred_at,
  recordedAt: r.recorded_at,
  confidence: r.confidence,
  confirmedAt: r.confirmed_at,
  retractedAt: r.retracted_at,
  personHandle: r.person_handle,
  unitHandle: r.unit_handle,
  data: r.data,
  metadata: r.metadata,
});

/** The entities that own the given (earlier) events. */
export const entitiesOfEvents = async (tx: Tx, eventIds: Iterable<string>): Promise<string[]> => {
  const ids = [...eventIds];
  if (ids.length === 0) return [];
  const rows = await tx<{ entity: string }[]>`SELECT DISTINCT entity FROM entity_facts WHERE event_id = ANY(${ids}::uuid[])`;
  return rows.map((r) => r.entity);
};

const group = <T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> => {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = map.get(key);
    if (group) group.push(item);
    else map.set(key, [item]);
  }
  return map;
};

export const loadState = async (tx: Tx, entities: readonly string[]): Promise<LoadedState> => {
  if (entities.length === 0) return { facts: new Map(), open: new Map() };
  const handles = (prefix: string) => entities.filter((e) => e.startsWith(prefix)).map((e) => e.slice(prefix.length));
  // Pipelined: one round trip for the four reads.
  const [factRows, people, units, roles] = await Promise.all([
    tx<FactRow[]>`SELECT ${tx.unsafe(FACT_COLUMNS)} FROM entity_facts WHERE entity = ANY(${entities as string[]}) ORDER BY entity_facts.position`,
    tx`SELECT * FROM person_versions WHERE known_to IS NULL AND handle = ANY(${handles('person:')})`,
    tx`SELECT * FROM unit_versions WHERE known_to IS NULL AND handle = ANY(${handles('unit:')})`,
    tx`SELECT * FROM role_versions WHERE known_to IS NULL AND role_id = ANY(${handles('role:')}::uuid[])`,
  ]);
  const open: Version[] = [...people.map(personFromRow), ...units.map(unitFromRow), ...roles.map(roleFromRow)];
  return { facts: group(factRows.map(toFact), (f) => f.entity), open: group(open, entityOfVersion) };
};

export const entityOfVersion = (v: Version): string =>
  v.kind === 'person' ? `person:${v.handle}` : v.kind === 'unit' ? `unit:${v.handle}` : `role:${v.roleId}`;

type Row = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const common = (r: Row) => ({
  id: BigInt(r.id),
  tierMin: r.tier_min as number,
  tierMax: r.tier_max as number,
  confidence: r.confidence as number,
  sources: r.sources as unknown[],
  eventIds: r.event_ids as string[],
  validFrom: r.valid_from as Date,
  validTo: r.valid_to as Date | null,
  knownFrom: r.known_from as Date,
  knownTo: r.known_to as Date | null,
});
const personFromRow = (r: Row): Version => ({ kind: 'person', handle: r.handle, name: r.name, nativeName: r.native_name, ...common(r) });
const unitFromRow = (r: Row): Version => ({ kind: 'unit', handle: r.handle, name: r.name, unitKind: r.kind, parentHandle: r.parent_handle, ...common(r) });
const roleFromRow = (r: Row): Version => ({
  kind: 'role',
  roleId: r.role_id,
  personHandle: r.person_handle,
  unitHandle: r.unit_handle,
  title: r.title,
  reportsTo: r.reports_to,
  status: r.status,
  startedAt: r.started_at,
  leavingFrom: r.leaving_from,
  endedAt: r.ended_at,
  ...common(r),
});

export const VERSION_TABLES = { person: 'person_versions', unit: 'unit_versions', role: 'role_versions' } as const;
const CHUNK = 1000; // stay far below PostgreSQL's 65535 parameters per statement

const chunks = <T>(items: T[]): T[][] => Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

/** A column as the writers send it: name, SQL type, and the value as text (null for NULL). */
export type Column<T> = readonly [name: string, type: string, value: (item: T) => string | null];

/**
 * INSERT … SELECT FROM unnest(one text[] per column): a handful of parameters however many rows,
 * where a multi-row VALUES list costs one bound parameter per value (parsing those dominated the
 * projector's time). Every value travels as text and is cast in SQL, arrays and jsonb included,
 * so unnest cannot flatten a uuid[] column.
 */
const insertRows = async <T>(tx: Tx, table: string, columns: ReadonlyArray<Column<T>>, items: readonly T[]): Promise<void> => {
  if (items.length === 0) return;
  const names = columns.map(([name]) => name).join(', ');
  const casts = columns.map(([name, type]) => `${name}::${type}`).join(', ');
  const params = columns.map(([, , value]) => tx.array(items.map(value), 25));
  await tx.unsafe(`INSERT INTO ${table} (${names}) SELECT ${casts} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS r(${names})`, params);
};

// One Date object stands for the same instant in a fact and in every version built from it
// (valid_from, known_from, started_at…): format each once.
const isoStrings = new WeakMap<Date, string>();
const iso = (t: Date | null): string | null => {
  if (t === null) return null;
  let text = isoStrings.get(t);
  if (text === undefined) isoStrings.set(t, (text = t.toISOString()));
  return text;
};
const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

const FACT_ROW: ReadonlyArray<Column<Fact>> = [
  ['position', 'bigint', (f) => f.position.toString()],
  ['event_id', 'uuid', (f) => f.eventId],
  ['entity', 'text', (f) => f.entity],
  ['type', 'text', (f) => f.type],
  ['occurred_at', 'timestamptz', (f) => iso(f.occurredAt)],
  ['recorded_at', 'timestamptz', (f) => iso(f.recordedAt)],
  ['confidence', 'smallint', (f) => String(f.confidence)],
  ['confirmed_at', 'timestamptz', (f) => iso(f.confirmedAt)],
  ['retracted_at', 'timestamptz', (f) => iso(f.retractedAt)],
  ['person_handle', 'text', (f) => f.personHandle],
  ['unit_handle', 'text', (f) => f.unitHandle],
  ['data', 'jsonb', (f) => JSON.stringify(f.data)],
  ['metadata', 'jsonb', (f) => JSON.stringify(f.metadata)],
];

const COMMON_INSERT: ReadonlyArray<Column<Version>> = [
  ['tier_min', 'smallint', (v) => String(v.tierMin)],
  ['tier_max', 'smallint', (v) => String(v.tierMax)],
  ['confidence', 'smallint', (v) => String(v.confidence)],
  ['sources', 'jsonb', (v) => JSON.stringify(v.sources)],
  ['event_ids', 'uuid[]', (v) => uuidArray(v.eventIds)],
  ['valid_from', 'timestamptz', (v) => iso(v.validFrom)],
  ['valid_to', 'timestamptz', (v) => iso(v.validTo)],
  ['known_from', 'timestamptz', (v) => iso(v.knownFrom)],
  ['known_to', 'timestamptz', (v) => iso(v.knownTo)],
];

type Of<K extends Version['kind']> = Extract<Version, { kind: K }>;
const as = <K extends Version['kind']>(columns: ReadonlyArray<Column<Of<K>>>) => columns as unknown as ReadonlyArray<Column<Version>>;

export const VERSION_ROW: Record<Version['kind'], ReadonlyArray<Column<Version>>> = {
  person: [
    ...as<'person'>([
      ['handle', 'text', (v) => v.handle],
      ['name', 'text', (v) => v.name],
      ['native_name', 'text', (v) => v.nativeName],
    ]),
    ...COMMON_INSERT,
  ],
  unit: [
    ...as<'unit'>([
      ['handle', 'text', (v) => v.handle],
      ['name', 'text', (v) => v.name],
      ['kind', 'text', (v) => v.unitKind],
      ['parent_handle', 'text', (v) => v.parentHandle],
    ]),
    ...COMMON_INSERT,
  ],
  role: [
    ...as<'role'>([
      ['role_id', 'uuid', (v) => v.roleId],
      ['person_handle', 'text', (v) => v.personHandle],
      ['unit_handle', 'text', (v) => v.unitHandle],
      ['title', 'text', (v) => v.title],
      ['reports_to', 'text', (v) => v.reportsTo],
      ['status', 'text', (v) => v.status],
      ['started_at', 'timestamptz', (v) => iso(v.startedAt)],
      ['leaving_from', 'timestamptz', (v) => iso(v.leavingFrom)],
      ['ended_at', 'timestamptz', (v) => iso(v.endedAt)],
    ]),
    ...COMMON_INSERT,
  ],
};

/**
 * Every statement of a batch is issued at once and pipelined on the transaction's connection
 * (one round trip instead of one per statement: the projector's lag under steady writes is
 * mostly round trips). The connection runs them in issue order, so a table's closing UPDATE
 * still precedes its DELETE of never-believed rows.
 */
export const writeBatch = async (tx: Tx, writes: BatchWrites): Promise<void> => {
  const statements: Array<Promise<unknown>> = [insertRows(tx, 'entity_facts', FACT_ROW, writes.newFacts)];
  for (const fact of new Set(writes.changedFacts))
    statements.push(tx`UPDATE entity_facts SET confirmed_at = ${fact.confirmedAt}, retracted_at = ${fact.retractedAt} WHERE event_id = ${fact.eventId}`);
  for (const kind of ['person', 'unit', 'role'] as const) {
    const table = VERSION_TABLES[kind];
    const closed = writes.closed.filter((c) => c.kind === kind);
    for (const part of chunks(closed))
      statements.push(tx`UPDATE ${tx(table)} AS v SET known_to = c.known_to
        FROM (SELECT unnest(${part.map((c) => c.id.toString())}::bigint[]) AS id, unnest(${part.map((c) => c.knownTo.toISOString())}::timestamptz[]) AS known_to) AS c
        WHERE v.id = c.id`);
    // Closed at the moment it was opened: never believed at any instant, so it is not history.
    if (closed.length > 0)
      statements.push(tx`DELETE FROM ${tx(table)} WHERE id = ANY(${closed.map((c) => c.id.toString())}::bigint[]) AND known_to <= known_from`);
    statements.push(insertRows(tx, table, VERSION_ROW[kind], writes.inserted.filter((v) => v.kind === kind)));
  }
  await Promise.all(statements);
};
