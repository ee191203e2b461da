/** The GraphQL documents the page sends (public API only), and the shapes they return. */

export type Confidence = 'RUMORED' | 'REPORTED' | 'CONFIRMED';
export type RoleStatus = 'ACTIVE' | 'LEAVING' | 'ENDED';

export interface Source {
  title: string | null;
  publisher: string | null;
  url: string | null;
  publishedAt: string | null;
  quote: string | null;
}

export interface PersonRef {
  handle: string;
  name: string;
  nativeName: string | null;
}

export interface Role {
  roleId: string;
  title: string;
  status: RoleStatus;
  confidence: Confidence;
  startedAt: string | null;
  departureAnnouncedAt: string | null;
  person: PersonRef & { roles: Array<{ title: string; unit: { handle: string; name: string } }> };
}

/** A unit of the chart; `name` is missing on a placeholder whose subtree is not loaded yet. */
export interface Unit {
  handle: string;
  name: string;
  kind: string;
  roles: Role[];
  children: Unit[];
}

export interface LogEvent {
  position: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  confidence: Confidence;
}

export interface Change {
  summary: string;
  event: { eventId: string; type: string; occurredAt: string; confidence: Confidence; source: Source | null };
  person: PersonRef | null;
  unit: { handle: string; name: string } | null;
}

export interface PersonEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  recordedAt: string;
  confidence: Confidence;
  data: Record<string, unknown>;
  source: Source | null;
}

export interface PersonHistory extends PersonRef {
  history: Array<{
    roleId: string;
    title: string;
    status: RoleStatus;
    confidence: Confidence;
    startedAt: string | null;
    endedAt: string | null;
    departureAnnouncedAt: string | null;
    unit: { handle: string; name: string };
    sources: Source[];
  }>;
}

const SOURCE = 'source { title publisher url publishedAt quote }';
const UNIT = `handle name kind roles { roleId title status confidence startedAt departureAnnouncedAt
  person { handle name nativeName roles { title unit { handle name } } } }`;
/** Levels fetched per request; deeper units come back as placeholders and are fetched on their own. */
export const CHART_DEPTH = 6;
const nest = (depth: number): string => (depth === 0 ? 'children { handle }' : `children { ${UNIT} ${nest(depth - 1)} }`);
const TIME_ARGS = '$asOf: DateTime, $knownAt: DateTime, $min: Confidence';
const TIME = 'asOf: $asOf, knownAt: $knownAt, minConfidence: $min';

export const CHART = `query Chart(${TIME_ARGS}) { orgChart(${TIME}) { ${UNIT} ${nest(CHART_DEPTH)} } }`;
export const SUBTREE = `query Subtree($handle: String!, ${TIME_ARGS}) { orgUnit(handle: $handle, ${TIME}) { ${UNIT} ${nest(CHART_DEPTH)} } }`;

export const LOG = `query Log($after: String) { events(first: 500, after: $after) {
  edges { node { position type occurredAt recordedAt confidence } } pageInfo { hasNextPage endCursor } } }`;

export const CHANGES = `query Changes($from: DateTime!, $to: DateTime!, $knownAt: DateTime, $min: Confidence) {
  changes(from: $from, to: $to, knownAt: $knownAt, minConfidence: $min) {
    summary event { eventId type occurredAt confidence ${SOURCE} } person { handle name nativeName } unit { handle name } } }`;

export const PERSON = `query Person($handle: String!, $stream: String!, ${TIME_ARGS}) {
  person(handle: $handle, ${TIME}) { handle name nativeName
    history { roleId title status confidence startedAt endedAt departureAnnouncedAt unit { handle name } sources { title publisher url publishedAt quote } } }
  events(stream: $stream, first: 500) { edges { node { eventId type occurredAt recordedAt confidence data ${SOURCE} } } } }`;

/** Live: every event appended after a position (the subscription, over Server-Sent Events). */
export const EVENT_APPENDED = 'subscription Live($after: String) { eventAppended(after: $after) { position type occurredAt recordedAt confidence } }';
