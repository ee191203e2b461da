/** OrgUnit: a unit as it stood at a time context, with its parent, children and role holders. */
import { builder } from '../core/graphql/builder.ts';
import { OrgUnitRef, RoleRef, timeArgs, within } from '../core/graphql/refs.ts';
import { timeContext } from '../core/read-model/time-context.ts';
import { treeShape } from '../core/graphql/lookahead.ts';
import { baseOf, CommandPayloadRef, commonFields, runCommand } from '../core/graphql/commands.ts';

builder.node(OrgUnitRef, {
  id: { resolve: (u) => u.version.handle },
  loadOne: async (handle, ctx) => {
    const time = timeContext({}, ctx.now);
    const version = await ctx.loaders.unit.load({ ctx: time, handle });
    return version ? { ctx: time, version } : null;
  },
  fields: (t) => ({
    handle: t.string({ resolve: (u) => u.version.handle }),
    name: t.string({ resolve: (u) => u.version.name }),
    kind: t.string({ description: 'company, division, lab, team, group, …', resolve: (u) => u.version.kind }),
    parent: t.field({
      type: OrgUnitRef,
      nullable: true,
      resolve: async (u, _args, ctx) => {
        if (u.version.parentHandle === null) return null;
        const version = await ctx.loaders.unit.load({ ctx: u.ctx, handle: u.version.parentHandle });
        return version ? { ctx: u.ctx, version } : null;
      },
    }),
    children: t.field({
      type: [OrgUnitRef],
      resolve: async (u, _args, ctx) => (await ctx.loaders.children.load({ ctx: u.ctx, handle: u.version.handle })).map(within(u.ctx)),
    }),
    roles: t.field({
      type: [RoleRef],
      description: 'Roles held in this unit at the time context.',
      resolve: async (u, _args, ctx) => (await ctx.loaders.unitRoles.load({ ctx: u.ctx, handle: u.version.handle })).map(within(u.ctx)),
    }),
  }),
});

builder.queryFields((t) => ({
  orgUnit: t.field({
    type: OrgUnitRef,
    nullable: true,
    description: 'null when no such unit exists at the time context (not yet created, or dissolved).',
    args: { handle: t.arg.string({ required: true }), ...timeArgs },
    resolve: async (_root, args, ctx, info) => {
      const time = timeContext(args, ctx.now);
      // The whole subtree the query asks for in one statement; its levels then resolve from the loaders.
      const [version] = await ctx.readModel.readTree(ctx.loaders, time, { top: [args.handle], ...treeShape(info) });
      return version ? { ctx: time, version } : null;
    },
  }),
  orgChart: t.field({
    type: [OrgUnitRef],
    description: 'The units without a parent at the time context; the rest of the tree hangs off children.',
    args: { ...timeArgs },
    resolve: async (_root, args, ctx, info) => {
      const time = timeContext(args, ctx.now);
      return (await ctx.readModel.readTree(ctx.loaders, time, { top: 'roots', ...treeShape(info) })).map(within(time));
    },
  }),
}));

const CreateOrgUnitInput = builder.inputType('CreateOrgUnitInput', {
  fields: (t) => ({
    handle: t.string({ required: true }),
    name: t.string({ required: true }),
    kind: t.string({ required: true }),
    parent: t.string({ required: false }),
    ...commonFields(t),
  }),
});
const MoveOrgUnitInput = builder.inputType('MoveOrgUnitInput', {
  fields: (t) => ({ unit: t.string({ required: true }), newParent: t.string({ required: false, description: 'null: becomes a top-level unit.' }), ...commonFields(t) }),
});
const RenameOrgUnitInput = builder.inputType('RenameOrgUnitInput', {
  fields: (t) => ({ unit: t.string({ required: true }), name: t.string({ required: true }), ...commonFields(t) }),
});
const DissolveOrgUnitInput = builder.inputType('DissolveOrgUnitInput', {
  fields: (t) => ({ unit: t.string({ required: true }), ...commonFields(t) }),
});

builder.mutationFields((t) => ({
  createOrgUnit: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: CreateOrgUnitInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'createOrgUnit', input, { ...baseOf(input, ctx), type: 'CreateOrgUnit', handle: input.handle, name: input.name, kind: input.kind, parent: input.parent ?? null }),
  }),
  moveOrgUnit: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: MoveOrgUnitInput, required: true }) },
    resolve: (_root, { input }, ctx) => runCommand(ctx, 'moveOrgUnit', input, { ...baseOf(input, ctx), type: 'MoveOrgUnit', unit: input.unit, newParent: input.newParent ?? null }),
  }),
  renameOrgUnit: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: RenameOrgUnitInput, required: true }) },
    resolve: (_root, { input }, ctx) => runCommand(ctx, 'renameOrgUnit', input, { ...baseOf(input, ctx), type: 'RenameOrgUnit', unit: input.unit, name: input.name }),
  }),
  dissolveOrgUnit: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: DissolveOrgUnitInput, required: true }) },
    resolve: (_root, { input }, ctx) => runCommand(ctx, 'dissolveOrgUnit', input, { ...baseOf(input, ctx), type: 'DissolveOrgUnit', unit: input.unit }),
  }),
}));
