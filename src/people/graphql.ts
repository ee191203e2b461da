/** Person: who someone is at a time context, their roles then, and their whole history. */
import { builder } from '../core/graphql/builder.ts';
import { decodeCursor, encodeCursor, pageSize } from '../core/graphql/cursors.ts';
import { PersonRef, RoleRef, timeArgs, within } from '../core/graphql/refs.ts';
import { timeContext } from '../core/read-model/time-context.ts';
import { baseOf, CommandPayloadRef, commonFields, runCommand } from '../core/graphql/commands.ts';

builder.node(PersonRef, {
  id: { resolve: (p) => p.version.handle },
  loadOne: async (handle, ctx) => {
    const time = timeContext({}, ctx.now);
    const version = await ctx.loaders.person.load({ ctx: time, handle });
    return version ? { ctx: time, version } : null;
  },
  fields: (t) => ({
    handle: t.string({ description: 'Stable, URL-safe key, e.g. lin-junyang.', resolve: (p) => p.version.handle }),
    name: t.string({ resolve: (p) => p.version.name }),
    nativeName: t.string({ nullable: true, resolve: (p) => p.version.nativeName }),
    roles: t.field({
      type: [RoleRef],
      description: 'Roles held at the time context.',
      resolve: async (p, _args, ctx) => (await ctx.loaders.personRoles.load({ ctx: p.ctx, handle: p.version.handle })).map(within(p.ctx)),
    }),
    history: t.field({
      type: [RoleRef],
      description: 'Every role ever held, as known at knownAt, oldest first (each as it stood at asOf).',
      resolve: async (p, _args, ctx) => (await ctx.loaders.history.load({ ctx: p.ctx, handle: p.version.handle })).map(within(p.ctx)),
    }),
  }),
});

builder.queryFields((t) => ({
  person: t.field({
    type: PersonRef,
    nullable: true,
    description: 'null when no such person exists at the time context (not yet registered, or unknown).',
    args: { handle: t.arg.string({ required: true }), ...timeArgs },
    resolve: async (_root, args, ctx) => {
      const time = timeContext(args, ctx.now);
      const version = await ctx.loaders.person.load({ ctx: time, handle: args.handle });
      return version ? { ctx: time, version } : null;
    },
  }),
  people: t.connection({
    type: PersonRef,
    description: 'Everyone registered at the time context, by handle.',
    args: { ...timeArgs },
    resolve: async (_root, args, ctx) => {
      const time = timeContext(args, ctx.now);
      const take = pageSize(args.first);
      const after = args.after ? decodeCursor('person', args.after) : null;
      const rows = await ctx.readModel.people(time, after, take + 1);
      const page = rows.slice(0, take);
      return {
        edges: page.map((version) => ({ cursor: encodeCursor('person', version.handle), node: { ctx: time, version } })),
        pageInfo: {
          hasNextPage: rows.length > take,
          hasPreviousPage: after !== null,
          startCursor: page[0] ? encodeCursor('person', page[0].handle) : null,
          endCursor: page.at(-1) ? encodeCursor('person', page.at(-1)!.handle) : null,
        },
      };
    },
  }, { name: 'PersonConnection' }, { name: 'PersonEdge' }),
}));

const RegisterPersonInput = builder.inputType('RegisterPersonInput', {
  fields: (t) => ({
    handle: t.string({ required: true }),
    name: t.string({ required: true }),
    nativeName: t.string({ required: false }),
    ...commonFields(t),
  }),
});

builder.mutationFields((t) => ({
  registerPerson: t.field({
    type: CommandPayloadRef,
    args: { input: t.arg({ type: RegisterPersonInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      runCommand(ctx, 'registerPerson', input, { ...baseOf(input, ctx), type: 'RegisterPerson', handle: input.handle, name: input.name, nativeName: input.nativeName ?? null }),
  }),
}));
