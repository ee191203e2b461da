/** What every resolver receives. Built once per request by the server (src/core/graphql/server.ts). */
import type postgres from 'postgres';
import type { Projector } from '../projection/projector.ts';
import type { Loaders, ReadModel } from '../read-model/read-model.ts';

export interface Services {
  sql: postgres.Sql;
  readModel: ReadModel;
  projector: Projector;
  clock: () => Date;
  /** Bearer token → actor name; empty means writes are refused. */
  writeTokens: ReadonlyMap<string, string>;
}

export interface GraphQLContext extends Services {
  loaders: Loaders;
  /** One clock reading per request: every default "now" in a query is the same moment. */
  now: Date;
  /** The actor a valid Authorization header names, or null. */
  actor: string | null;
  /** The HTTP request (its signal ends a subscription when the client goes away). */
  request?: Request;
}
