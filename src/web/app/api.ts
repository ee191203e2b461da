/** The page is a GraphQL client like any other: POST /graphql, and the subscription over SSE. */
import {
  CHANGES, CHART, LOG, PERSON, SUBTREE,
  type Change, type Confidence, type LogEvent, type PersonEvent, type PersonHistory, type Unit,
} from './queries.ts';

export interface TimeArgs {
  asOf: string | null;
  knownAt: string | null;
  min: Confidence;
}

export const gql = async <T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> => {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const body = (await response.json().catch(() => null)) as { data?: T; errors?: Array<{ message: string }> } | null;
  if (body?.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  if (!response.ok || !body?.data) throw new Error(`the API answered HTTP ${response.status}`);
  return body.data;
};

/** The whole log's times, page by page (capped: the timeline needs marks, not every detail). */
export const loadLog = async (maxPages = 40): Promise<{ events: LogEvent[]; complete: boolean }> => {
  const events: LogEvent[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    type Page = { events: { edges: Array<{ node: LogEvent }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const data: Page = await gql<Page>(LOG, { after });
    events.push(...data.events.edges.map((e) => e.node));
    if (!data.events.pageInfo.hasNextPage) return { events, complete: true };
    after = data.events.pageInfo.endCursor;
  }
  return { events, complete: false };
};

const isPlaceholder = (unit: Unit) => unit.name === undefined;

/** The org chart at a time context; units deeper than one request reaches are fetched on their own. */
export const loadChart = async (time: TimeArgs, signal?: AbortSignal): Promise<Unit[]> => {
  const { orgChart } = await gql<{ orgChart: Unit[] }>(CHART, { ...time }, signal);
  const fill = async (units: Unit[]): Promise<Unit[]> => {
    const filled = await Promise.all(
      units.map(async (unit) => {
        const loaded = isPlaceholder(unit) ? (await gql<{ orgUnit: Unit | null }>(SUBTREE, { handle: unit.handle, ...time }, signal)).orgUnit : unit;
        if (loaded) loaded.children = await fill(loaded.children);
        return loaded;
      }),
    );
    return filled.filter((unit): unit is Unit => unit !== null);
  };
  return fill(orgChart);
};

export const loadChanges = async (from: string, to: string, time: TimeArgs, signal?: AbortSignal): Promise<Change[]> =>
  (await gql<{ changes: Change[] }>(CHANGES, { from, to, knownAt: time.knownAt, min: time.min }, signal)).changes;

export const loadPerson = async (handle: string, time: TimeArgs, signal?: AbortSignal) => {
  const data = await gql<{ person: PersonHistory | null; events: { edges: Array<{ node: PersonEvent }> } }>(
    PERSON,
    { handle, stream: `person-${handle}`, asOf: null, knownAt: time.knownAt, min: time.min },
    signal,
  );
  return { person: data.person, events: data.events.edges.map((e) => e.node) };
};
