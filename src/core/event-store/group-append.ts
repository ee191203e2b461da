/**
 * Group commit for the autocommitted appends of one service instance. Each append alone costs
 * PostgreSQL a transaction, a commit record and a WAL flush, and the client a round trip; under
 * load those, not the rows, bound the rate. So appends that arrive while earlier ones are being
 * written wait for them and then go together, in one statement (appendGroup): each is still
 * checked against its own expectations and written all or nothing, each caller hears only
 * about its own events, and nobody hears "appended" before the commit that made them durable.
 * An append that arrives when nothing is in flight goes at once, alone: it waits for nothing.
 *
 * DataLoader does the queueing (a batch stays open to newcomers until it is dispatched);
 * `batchScheduleFn` holds the dispatch back while MAX_IN_FLIGHT groups are being written.
 */
import DataLoader from 'dataloader';
import type postgres from 'postgres';
import type { NewEvent } from '../domain/events.ts';
import { announceAppended, appendEvents, appendGroup, streamsOf, type Append } from './event-store.ts';
import type { StoredEvent } from './rows.ts';

/** Two groups in flight: one being written while the next one's callers are still deciding. */
const MAX_IN_FLIGHT = 2;
const MAX_GROUP = 64;

/**
 * Split appends, in arrival order, into statements whose appends share no stream: two appends
 * resting on one stream's version cannot both hold, and the later must see the earlier's
 * outcome, so it goes in a later statement.
 */
export const disjointRounds = <T extends Append>(appends: readonly T[]): T[][] => {
  const rounds: Array<{ appends: T[]; streams: Set<string> }> = [];
  for (const append of appends) {
    const streams = streamsOf(append);
    // After the last round that touches one of its streams, never before it.
    const last = rounds.findLastIndex((round) => [...streams].some((s) => round.streams.has(s)));
    const round = rounds[last + 1] ?? rounds[rounds.push({ appends: [], streams: new Set() }) - 1]!;
    round.appends.push(append);
    streams.forEach((s) => round.streams.add(s));
  }
  return rounds.map((r) => r.appends);
};

type Outcome = StoredEvent[] | Error;

/** Alone, so that its own error (which stream moved, which constraint) reaches its caller. */
const appendAlone = (sql: postgres.Sql, append: Append): Promise<Outcome> =>
  appendEvents(sql, append.events, append.expected).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));

const writeRound = async (sql: postgres.Sql, round: readonly Append[]): Promise<Outcome[]> => {
  // Alone, an append takes its own cheapest statement (often a plain conditional INSERT).
  if (round.length === 1) return [await appendAlone(sql, round[0]!)];
  try {
    return await appendGroup(sql, round);
  } catch {
    // One append is bad (say, an event id already in the log): the statement wrote nothing,
    // and each append now learns its own fate. (Had it committed after all — a connection lost
    // after COMMIT — each event id is already taken, and appending alone refuses rather than
    // writing twice.)
    return Promise.all(round.map((append) => appendAlone(sql, append)));
  }
};

const groupLoader = (sql: postgres.Sql): DataLoader<Append, StoredEvent[]> => {
  // Groups dispatched and not yet written, and the dispatches held back until one is.
  let inFlight = 0;
  const held: Array<() => void> = [];
  return new DataLoader<Append, StoredEvent[]>(
    async (appends) => {
      try {
        const outcomes = new Map<Append, Outcome>();
        for (const round of disjointRounds(appends)) (await writeRound(sql, round)).forEach((outcome, i) => outcomes.set(round[i]!, outcome));
        return appends.map((append) => outcomes.get(append)!);
      } finally {
        inFlight--;
        const next = held.shift();
        if (next) inFlight++, next();
      }
    },
    {
      cache: false,
      maxBatchSize: MAX_GROUP,
      // setImmediate, not the next tick: callers whose appends just returned decide their next
      // command in this turn of the event loop, and join this group rather than the next.
      batchScheduleFn: (dispatch) => {
        if (inFlight >= MAX_IN_FLIGHT) return void held.push(dispatch);
        inFlight++;
        setImmediate(dispatch);
      },
    },
  );
};

const groups = new WeakMap<postgres.Sql, DataLoader<Append, StoredEvent[]>>();

/**
 * Append outside any transaction: each stream in `expected` must be at exactly that version (see
 * appendEvents), grouped with this instance's concurrent appends (one pool = one instance).
 * Consumers of the log are told once it has committed.
 */
export const appendToStreams = async (sql: postgres.Sql, events: readonly NewEvent[], expected: ReadonlyMap<string, number>): Promise<StoredEvent[]> => {
  if (events.length === 0) return [];
  let loader = groups.get(sql);
  if (!loader) groups.set(sql, (loader = groupLoader(sql)));
  const appended = await loader.load({ events, expected });
  announceAppended(sql);
  return appended;
};
