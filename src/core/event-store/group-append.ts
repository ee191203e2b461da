/**
 * Group commit for the autocommitted appends of one service instance. Each append alone costs
 * PostgreSQL a transaction, a commit record and a WAL flush, and the client a round trip; under
 * load those, not the rows, bound the rate. So appends that arrive while earlier ones are being
 * written wait for them and then go together, in one statement (appendGroup): each is still
 * checked against its own expectations and written all or nothing, each caller hears only
 * about its own events, and nobody hears "appended" before the commit that made them durable.
 * An append that arrives when nothing is in flight goes at once, alone: it waits for nothing.
 *
 * What waits is shared out over the free statement slots: with two free, eight appends go as
 * two groups of four, written at once on two connections. Each group's callers hear as soon as
 * theirs commits, so they split into cohorts that take turns — one group is decided in Node while
 * the other is written in PostgreSQL. One group of eight instead kept every caller in lockstep,
 * Node and PostgreSQL each idle while the other worked (8 closed-loop clients: 6.5–7.0k →
 * 9.0–9.4k commands/s in three runs each). DataLoader, which did the queueing before,
 * resolves a batch's callers only all together, hence this small queue of its own.
 */
import type postgres from 'postgres';
import type { NewEvent } from '../domain/events.ts';
import { announceAppended, appendEvents, appendGroup, streamsOf, type Append } from './event-store.ts';
import type { StoredEvent } from './rows.ts';

/** Two statements in flight: one group being written while another one's callers decide. */
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

/** Each append's outcome; never rejects (every failure becomes an outcome). */
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

interface Waiting extends Append {
  settle: (outcome: Outcome) => void;
}

/**
 * One instance's queue of appends and its statements in flight. Two appends on one stream that
 * fall into the two concurrent groups are kept apart as any two writers are: by the stream locks
 * a group statement takes, or by the unique stream version a lone conditional INSERT relies on
 * (the loser hears ConcurrencyError). Inside one group, disjointRounds orders them. Callers that
 * need an order among their own appends await each.
 */
class GroupCommit {
  private readonly waiting: Waiting[] = [];
  /** Statements being written, and the appends they carry. */
  private inFlight = 0;
  private appendsInFlight = 0;
  private scheduled = false;

  constructor(private readonly sql: postgres.Sql) {}

  append(append: Append): Promise<StoredEvent[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...append, settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)) });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT || this.waiting.length === 0) return;
    this.scheduled = true;
    // setImmediate, not the next tick: callers whose appends just returned decide their next
    // command in this turn of the event loop, and join the next group rather than trail it.
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.inFlight < MAX_IN_FLIGHT && this.waiting.length > 0) {
      // An even share of every append in play (waiting or being written) per statement slot:
      // cohorts stay the same size instead of one growing into lockstep.
      const share = Math.ceil((this.waiting.length + this.appendsInFlight) / MAX_IN_FLIGHT);
      const group = this.waiting.splice(0, Math.min(MAX_GROUP, share));
      this.inFlight++;
      this.appendsInFlight += group.length;
      void this.write(group).finally(() => {
        this.inFlight--;
        this.appendsInFlight -= group.length;
        this.schedule();
      });
    }
  }

  /** Never rejects (writeRound does not): every caller hears its own outcome. */
  private async write(group: Waiting[]): Promise<void> {
    for (const round of disjointRounds(group)) {
      (await writeRound(this.sql, round)).forEach((outcome, i) => round[i]!.settle(outcome));
    }
  }
}

const groups = new WeakMap<postgres.Sql, GroupCommit>();

/**
 * Append outside any transaction: each stream in `expected` must be at exactly that version (see
 * appendEvents), grouped with this instance's concurrent appends (one pool = one instance).
 * Consumers of the log are told once it has committed.
 */
export const appendToStreams = async (sql: postgres.Sql, events: readonly NewEvent[], expected: ReadonlyMap<string, number>): Promise<StoredEvent[]> => {
  if (events.length === 0) return [];
  let queue = groups.get(sql);
  if (!queue) groups.set(sql, (queue = new GroupCommit(sql)));
  const appended = await queue.append({ events, expected });
  announceAppended(sql);
  return appended;
};
