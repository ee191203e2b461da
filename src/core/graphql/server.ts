/**
 * The HTTP face: graphql-yoga serving the schema, GraphiQL rendered fully offline (assets inlined,
 * no CDN), errors masked except the typed ones we mean to show.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createYoga } from 'graphql-yoga';
import type { Services, GraphQLContext } from './context.ts';
import { schema } from './schema.ts';
import { GRAPHIQL_TABS } from './graphiql-examples.ts';
import { useCompressionExceptStreams } from './compression.ts';

/** "Bearer <token>" → the actor that token names. */
export const actorOf = (request: Request, tokens: ReadonlyMap<string, string>): string | null => {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? (tokens.get(match[1]!) ?? null) : null;
};

export const createServer = (services: Services) =>
  createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    plugins: [
      useCompressionExceptStreams(),
      // graphql-jit compiles each query once (an org chart is hundreds of fields per request;
      // measured ≈ 25% more requests/s). Subscriptions keep graphql-js's executor.
      useGraphQlJit({}, { enableIf: ({ document }) => !document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'subscription') }),
    ],
    renderGraphiQL,
    graphiql: { title: 'orgtime — GraphiQL', defaultTabs: GRAPHIQL_TABS, defaultQuery: GRAPHIQL_TABS[0]!.query! },
    context: ({ request }) => ({
      ...services,
      loaders: services.readModel.loaders(),
      now: services.clock(),
      actor: actorOf(request, services.writeTokens),
      request,
    }),
  });

export type OrgtimeServer = ReturnType<typeof createServer>;
