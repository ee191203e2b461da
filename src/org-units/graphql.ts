/** OrgUnit: a unit as it stood at a time context, with its parent, children and role holders. */
import { builder } from '../core/graphql/builder.ts';
import { OrgUnitRef, RoleRef, timeArgs } from '../core/graphql/refs.ts';
import { timeContext } from '../core/read-model/time-context.ts';

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
      resolve: async (u, _args, ctx) => (await ctx.loaders.children.load({ ctx: u.ctx, handle: u.version.handle })).map((version) => ({ ctx: u.ctx, version })),
    }),
    roles: t.field({
      type: [RoleRef],
      description: 'Roles held in this unit at the time context.',
      resolve: async (u, _args, ctx) => (await ctx.loaders.unitRoles.load({ ctx: u.ctx, handle: u.version.handle })).map((version) => ({ ctx: u.ctx, version })),
    }),
  }),
});

builder.queryFields((t) => ({
  orgUnit: t.field({
    type: OrgUnitRef,
    nullable: true,
    description: 'null when no such unit exists at the time context (not yet created, or dissolved).',
    args: { handle: t.arg.string({ required: true }), ...timeArgs },
    resolve: async (_root, args, ctx) => {
      const time = timeContext(args, ctx.now);
      const version = await ctx.loaders.unit.load({ ctx: time, handle: args.handle });
      return version ? { ctx: time, version } : null;
    },
  }),
  orgChart: t.field({
    type: [OrgUnitRef],
    description: 'The units without a parent at the time context; the rest of the tree hangs off children.',
    args: { ...timeArgs },
    resolve: async (_root, args, ctx) => {
      const time = timeContext(args, ctx.now);
      return (await ctx.readModel.roots(time)).map((version) => ({ ctx: time, version }));
    },
  }),
}));
