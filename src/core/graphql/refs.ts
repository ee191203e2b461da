/**
 * Object references shared across feature folders (a Role points at a Person and an OrgUnit and
 * back). Each carries the time context it was read in, so nested fields inherit it.
 */
import type { StoredEvent } from '../event-store/rows.ts';
import type { Lean, PersonVersion, RoleVersion, UnitVersion } from '../read-model/read-model.ts';
import type { GraphQLContext } from './context.ts';
import type { TimeContext } from '../read-model/time-context.ts';
import { builder } from './builder.ts';
import { CONFIDENCES } from '../domain/confidence.ts';
import type { Source } from '../domain/events.ts';

export interface PersonShape {
  ctx: TimeContext;
  version: Lean<PersonVersion>;
}
export interface UnitShape {
  ctx: TimeContext;
  version: Lean<UnitVersion>;
}
export interface RoleShape {
  ctx: TimeContext;
  version: Lean<RoleVersion>;
}

/** Wrap versions read in a time context, so their nested fields inherit it. */
export const within =
  (ctx: TimeContext) =>
  <V>(version: V) => ({ ctx, version });

/**
 * A person or unit as it stood at the context — or, when not in effect there (a role in a unit
 * dissolved since, a change naming someone registered later), the version nearest to it.
 */
export const personNear = (ctx: GraphQLContext, time: TimeContext, handle: string) => ctx.loaders.personNear.load({ ctx: time, handle });
export const unitNear = (ctx: GraphQLContext, time: TimeContext, handle: string) => ctx.loaders.unitNear.load({ ctx: time, handle });

export const PersonRef = builder.objectRef<PersonShape>('Person');
export const OrgUnitRef = builder.objectRef<UnitShape>('OrgUnit');
export const RoleRef = builder.objectRef<RoleShape>('Role');
export const EventRef = builder.objectRef<StoredEvent>('Event');
export const SourceRef = builder.objectRef<Source>('Source');

export const ConfidenceEnum = builder.enumType('Confidence', {
  description: 'How sure the sources are: CONFIRMED (official), REPORTED (stated as fact by a source), RUMORED (unconfirmed).',
  values: Object.fromEntries(CONFIDENCES.map((c) => [c, { value: c }])) as Record<(typeof CONFIDENCES)[number], { value: (typeof CONFIDENCES)[number] }>,
});

SourceRef.implement({
  fields: (t) => ({
    title: t.string({ nullable: true, resolve: (s) => s.title ?? null }),
    publisher: t.string({ nullable: true, resolve: (s) => s.publisher ?? null }),
    url: t.string({ nullable: true, resolve: (s) => s.url ?? null }),
    publishedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => (s.publishedAt ? new Date(s.publishedAt) : null) }),
    quote: t.string({ nullable: true, description: "The sentence the fact comes from, in the source's language.", resolve: (s) => s.quote ?? null }),
  }),
});

/** The time-context arguments every root read takes. */
export const timeArgs = builder.args((t) => ({
  asOf: t.field({ type: 'DateTime', required: false, description: 'Effective time: the organisation as it was then (default: now).' }),
  knownAt: t.field({ type: 'DateTime', required: false, description: 'Recorded time: only what had been recorded by then (default: now).' }),
  minConfidence: t.field({ type: ConfidenceEnum, required: false, description: 'The weakest confidence included (default: RUMORED).' }),
}));
