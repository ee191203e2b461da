/** Role: who held what, where, since when, how sure we are, and on whose word. */
import { builder } from '../core/graphql/builder.ts';
import { ConfidenceEnum, OrgUnitRef, PersonRef, personNear, RoleRef, SourceRef, unitNear } from '../core/graphql/refs.ts';
import { confidenceOfLevel } from '../core/domain/confidence.ts';
import type { Source } from '../core/domain/events.ts';
import { baseOf, CommandPayloadRef, commonFields, runCommand } from '../core/graphql/commands.ts';

export const RoleStatusEnum = builder.enumType('RoleStatus', {
  values: {
    ACTIVE: { description: 'Held.' },
    LEAVING: { description: 'Held, but a departure has been announced and is not yet effective.' },
    ENDED: { description: 'No longer held.' },
  } as const,
});

RoleRef.implement({
  fields: (t) => ({
    person: t.field({
      type: PersonRef,
      resolve: async (r, _args, ctx) => {
        const handle = r.version.personHandle;
        const version = await personNear(ctx, r.ctx, handle);
        if (!version) throw new Error(`role ${r.version.roleId} names unknown person ${handle}`);
        return { ctx: r.ctx, version };
      },
    }),
    unit: t.field({
      type: OrgUnitRef,
      description: 'The unit as it stood at the time context (or, if dissolved since, as it last stood).',
      resolve: async (r, _args, ctx) => {
        const handle = r.version.unitHandle;
        const version = await unitNear(ctx, r.ctx, handle);
        if (!version) throw new Error(`role ${r.version.roleId} names unknown unit ${handle}`);
        return { ctx: r.ctx, version };
      },
    }),
    title: t.string({ resolve: (r) => r.version.title }),
    reportsTo: t.field({
      type: PersonRef,
      nullable: true,
      resolve: async (r, _args, ctx) => {
        if (r.version.reportsTo === null) return null;
        const version = await ctx.loaders.person.load({ ctx: r.ctx, handle: r.version.reportsTo });
        return version ? { ctx: r.ctx, version } : null;
      },
    }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.version.startedAt }),
    endedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the role ended, if it had by asOf.', resolve: (r) => r.version.endedAt }),
    departureAnnouncedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When a departure from the role was announced, if it had been by asOf.',
      resolve: (r) => r.version.leavingFrom,
    }),
    status: t.field({ type: RoleStatusEnum, resolve: (r) => r.version.status as 'ACTIVE' | 'LEAVING' | 'ENDED' }),
    confidence: t.field({
      type: ConfidenceEnum,
      description: 'The weakest confidence among the facts this role rests on at the time context.',
      resolve: (r) => confidenceOfLevel(r.version.confidence),
    }),
    sources: t.field({ type: [SourceRef], resolve: async (r, _args, ctx) => ((r.version.sources ?? (await ctx.loaders.roleProvenance.load(r.version.id)).sources) as Source[]) }),
    roleId: t.id({ description: 'Stable id of this role (one appointment), across its status changes.', resolve: (r) => r.version.roleId }),
    eventIds: t.idList({ description: 'The events this role rests on at the time context (for confirmEvent / retractEvent).', resolve: async (r, _args, ctx) => r.version.eventIds ?? (await ctx.loaders.roleProvenance.load(r.version.id)).eventIds }),
  }),
});

const AssignRoleInput = builder.inputType('AssignRoleInput', {
  fields: (t) => ({
    person: t.string({ required: true }),
    unit: t.string({ required: true }),
    title: t.string({ required: true }),
    reportsTo: t.string({ required: false }),
    ...commonFields(t),
  }),
});
const AnnounceDepartureInput = builder.inputType('AnnounceDepartureInput', {
  description: 'A departure announced but not yet effective: the role is LEAVING until endRole.',
  fields: (t) => ({ person: t.string({ required: true }), unit: t.string({ required: true }), title: t.string({ required: false }), ...commonFields(t) }),
});
const EndRoleInput = builder.inputType('EndRoleInput', {
  fields: (t) => ({
    person: t.string({ required: true }),
    unit: t.string({ required: true }),
    title: t.string({ required: false }),
    reason: t.string({ required: false }),
    ...commonFields(t),
  }),
});

builder.mutationFields((t) => ({
  assignRole: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: AssignRoleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'assignRole', input, { ...baseOf(input, ctx), type: 'AssignRole', person: input.person, unit: input.unit, title: input.title, reportsTo: input.reportsTo ?? null }),
  }),
  announceDeparture: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: AnnounceDepartureInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'announceDeparture', input, { ...baseOf(input, ctx), type: 'AnnounceDeparture', person: input.person, unit: input.unit, title: input.title ?? null }),
  }),
  endRole: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: EndRoleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'endRole', input, { ...baseOf(input, ctx), type: 'EndRole', person: input.person, unit: input.unit, title: input.title ?? null, reason: input.reason ?? null }),
  }),
}));
