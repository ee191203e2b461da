/** The log itself (events, in commit-safe global order) and what changed between two moments. */
import { GraphQLError } from 'graphql';
import { builder } from '../core/graphql/builder.ts';
import { decodeCursor, encodeCursor, pageSize } from '../core/graphql/cursors.ts';
import { ConfidenceEnum, EventRef, OrgUnitRef, PersonRef, personNear, SourceRef, unitNear, type PersonShape, type UnitShape } from '../core/graphql/refs.ts';
import { headOfLog, readAll, readEventsById, logPositionOf } from '../core/event-store/event-store.ts';
import { followLog } from '../core/event-store/follow.ts';
import { START_OF_LOG, type LogPosition, type StoredEvent } from '../core/event-store/rows.ts';
import { timeContext, type TimeContext } from '../core/read-model/time-context.ts';
import type { GraphQLContext } from '../core/graphql/context.ts';
import { summarize } from './summary.ts';

builder.node(EventRef, {
  id: { resolve: (e) => e.eventId },
  loadOne: async (eventId, ctx) => (/^[0-9a-f-]{36}$/i.test(eventId) ? ((await readEventsById(ctx.sql, [eventId]))[0] ?? null) : null),
  fields: (t) => ({
    eventId: t.id({ description: 'The event id (a UUID), as confirmEvent / retractEvent take it.', resolve: (e) => e.eventId }),
    position: t.string({ description: 'Global position in the log (a 64-bit integer, as a string).', resolve: (e) => e.position.toString() }),
    stream: t.string({ resolve: (e) => e.stream }),
    version: t.int({ description: 'Position within its stream, from 1.', resolve: (e) => e.version }),
    type: t.string({ resolve: (e) => e.type }),
    schemaVersion: t.int({ resolve: (e) => e.schemaVersion }),
    occurredAt: t.field({ type: 'DateTime', description: 'Effective time: when it happened in the world.', resolve: (e) => e.occurredAt }),
    recordedAt: t.field({ type: 'DateTime', description: 'Recorded time: when the log stored it.', resolve: (e) => e.recordedAt }),
    confidence: t.field({ type: ConfidenceEnum, description: 'As recorded (a later EventConfirmed does not rewrite it).', resolve: (e) => e.metadata.confidence }),
    source: t.field({ type: SourceRef, nullable: true, resolve: (e) => e.metadata.source ?? null }),
    actor: t.string({ description: 'Who recorded it.', resolve: (e) => e.metadata.actor }),
    data: t.field({ type: 'JSON', resolve: (e) => e.data }),
    metadata: t.field({ type: 'JSON', resolve: (e) => e.metadata }),
  }),
});

const positionCursor = (e: StoredEvent) => encodeCursor('event', e.position.toString());

/** A cursor names an event by position; resuming needs its transaction too (commit-safe order). */
export const resumeAfter = async (ctx: GraphQLContext, cursor: string | null | undefined, argument = 'after'): Promise<LogPosition> => {
  if (!cursor) return START_OF_LOG;
  return placeOf(ctx, decodeCursor('event', cursor), `"${cursor}" does not point at an event in the log`, argument);
};

/** The (transaction, position) of the event at a position, or a typed user error. */
const placeOf = async (ctx: GraphQLContext, position: string, error: string, argument: string): Promise<LogPosition> => {
  const found = /^\d{1,19}$/.test(position) ? await logPositionOf(ctx.sql, BigInt(position)) : null;
  if (!found) throw new GraphQLError(error, { extensions: { code: 'BAD_USER_INPUT', argument } });
  return found;
};

builder.queryFields((t) => ({
  events: t.connection({
    type: EventRef,
    description: 'The log itself, in global order.',
    args: { stream: t.arg.string({ required: false }), types: t.arg.stringList({ required: false }) },
    resolve: async (_root, args, ctx) => {
      const take = pageSize(args.first);
      const after = await resumeAfter(ctx, args.after);
      const rows = await readAll(ctx.sql, { after, limit: take + 1, types: args.types ?? undefined, stream: args.stream ?? undefined });
      const page = rows.slice(0, take);
      return {
        edges: page.map((node) => ({ cursor: positionCursor(node), node })),
        pageInfo: {
          hasNextPage: rows.length > take,
          hasPreviousPage: after !== START_OF_LOG,
          startCursor: page[0] ? positionCursor(page[0]) : null,
          endCursor: page.at(-1) ? positionCursor(page.at(-1)!) : null,
        },
      };
    },
  }, { name: 'EventConnection' }, { name: 'EventEdge' }),
}));

interface ChangeShape {
  event: StoredEvent;
  summary: string;
  person: PersonShape | null;
  unit: UnitShape | null;
}

const ChangeRef = builder.objectRef<ChangeShape>('Change').implement({
  fields: (t) => ({
    event: t.field({ type: EventRef, resolve: (c) => c.event }),
    summary: t.string({ description: 'One line a person can read, e.g. "Lin Junyang left Qwen (technical lead)".', resolve: (c) => c.summary }),
    person: t.field({ type: PersonRef, nullable: true, resolve: (c) => c.person }),
    unit: t.field({ type: OrgUnitRef, nullable: true, resolve: (c) => c.unit }),
  }),
});

/** The person and unit a change concerns, as they stood when it happened. */
const concerned = async (ctx: GraphQLContext, time: TimeContext, event: StoredEvent) => {
  const data = event.data as { person?: string; unit?: string; handle?: string };
  const personHandle = data.person ?? (event.type === 'PersonRegistered' ? data.handle : undefined);
  const unitHandle = data.unit ?? (event.type.startsWith('OrgUnit') ? data.handle : undefined);
  const person = personHandle ? await personNear(ctx, time, personHandle) : null;
  const unit = unitHandle ? await unitNear(ctx, time, unitHandle) : null;
  return { person: person ? { ctx: time, version: person } : null, unit: unit ? { ctx: time, version: unit } : null };
};

builder.queryFields((t) => ({
  changes: t.field({
    type: [ChangeRef],
    description: 'What changed with effective time in (from, to], oldest first, as known at knownAt.',
    args: {
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      knownAt: t.arg({ type: 'DateTime', required: false }),
      minConfidence: t.arg({ type: ConfidenceEnum, required: false }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.to < args.from) throw new GraphQLError('`to` must not be before `from`', { extensions: { code: 'BAD_USER_INPUT', argument: 'to' } });
      const base = timeContext({ knownAt: args.knownAt, minConfidence: args.minConfidence }, ctx.now);
      const facts = await ctx.readModel.changes(base, args.from, args.to);
      const events = new Map((await readEventsById(ctx.sql, facts.map((f) => f.eventId))).map((e) => [e.eventId, e]));
      return Promise.all(
        facts.map(async (fact) => {
          const event = events.get(fact.eventId)!;
          // Names as they were when the change happened, as known at knownAt.
          const time = { ...base, asOf: event.occurredAt };
          const names = await namesAt(ctx, time, event);
          return { event, summary: summarize(event, names), ...(await concerned(ctx, time, event)) };
        }),
      );
    },
  }),
}));

const namesAt = async (ctx: GraphQLContext, time: TimeContext, event: StoredEvent) => {
  const data = event.data as Record<string, string | null>;
  const units = new Map<string, string>();
  const people = new Map<string, string>();
  for (const key of ['unit', 'handle', 'parent', 'previousParent'] as const) {
    const handle = data[key];
    if (!handle || (key === 'handle' && !event.type.startsWith('OrgUnit'))) continue;
    const version = await unitNear(ctx, time, handle);
    if (version) units.set(handle, version.name);
  }
  if (data.person) {
    const version = await personNear(ctx, time, data.person);
    if (version) people.set(data.person, version.name);
  }
  return { person: (h: string) => people.get(h) ?? h, unit: (h: string) => units.get(h) ?? h };
};

builder.subscriptionType({});
builder.subscriptionField('eventAppended', (t) =>
  t.field({
    type: EventRef,
    description: 'Every event appended after `after` (a position; default: now), in global order, then live.',
    args: { after: t.arg.string({ required: false, description: 'Event.position to resume after; "0" replays the whole log.' }) },
    subscribe: async (_root, args, ctx) => {
      const from =
        args.after === null || args.after === undefined
          ? await headOfLog(ctx.sql)
          : args.after === '0'
            ? START_OF_LOG
            : await placeOf(ctx, args.after, `after: "${args.after}" is not the position of an event in the log`, 'after');
      return followLog(ctx.sql, from, { signal: ctx.request?.signal });
    },
    resolve: (event) => event,
  }),
);
