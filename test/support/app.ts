/** The whole service on a throwaway database, queried in-process through yoga.fetch. */
import { createApp, seedIfEmpty, type App } from '../../src/app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface GraphQLResponse<T = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: string[] }>;
}

export const WRITE_TOKEN = 'test-token';

export const createTestApp = async (options: { seed?: boolean } = {}) => {
  const db: TestDatabase = await createTestDatabase();
  if (options.seed !== false) await seedIfEmpty(db);
  const app: App = createApp({ database: db, writeTokens: new Map([[WRITE_TOKEN, 'tester']]), projectorPollMs: 200 });
  await app.start();
  await app.projector.catchUp();

  const query = async <T = any>(source: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const response = await app.yoga.fetch('http://orgtime.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query: source, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };

  return {
    db,
    app,
    query,
    /** As `query`, with the write token. */
    mutate: <T = any>(source: string, variables: Record<string, unknown> = {}) => query<T>(source, variables, { authorization: `Bearer ${WRITE_TOKEN}` }), // eslint-disable-line @typescript-eslint/no-explicit-any
    close: async () => {
      await app.stop();
      await db.drop();
    },
  };
};

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
