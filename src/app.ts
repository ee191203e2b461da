/**
 * The composition root: wires the database, projector, read model and GraphQL server.
 * Dependencies are plain parameters so tests build the same app on a throwaway database.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './core/database/connect.ts';
import { createServer } from './core/graphql/server.ts';
import { Projector } from './core/projection/projector.ts';
import { createReadModel } from './core/read-model/read-model.ts';
import { importEventFile } from './log/import.ts';

export const SEED_DIR = fileURLToPath(new URL('../events/seeds/', import.meta.url));

export interface AppOptions {
  database: Pick<Database, 'sql' | 'prisma'>;
  clock?: () => Date;
  writeTokens?: ReadonlyMap<string, string>;
  projectorPollMs?: number;
}

export const createApp = ({ database, clock = () => new Date(), writeTokens = new Map(), projectorPollMs }: AppOptions) => {
  const projector = new Projector(database.sql, { pollMs: projectorPollMs ?? 1000 });
  const readModel = createReadModel(database.prisma, database.sql);
  const yoga = createServer({ sql: database.sql, readModel, projector, clock, writeTokens });
  return {
    yoga,
    projector,
    readModel,
    start: () => projector.start(),
    /**
     * Run one query that touches every read path, so the first real client does not pay for
     * Prisma's and the driver's cold start (seconds on a small machine).
     */
    warmUp: async () => {
      await yoga.fetch('http://warm-up/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: WARM_UP_QUERY }),
      });
    },
    stop: () => projector.stop(),
  };
};

const WARM_UP_QUERY = `{
  orgChart { handle children { handle parent { handle } roles { title person { handle roles { title } history { title unit { handle } } } } children { handle } } }
  people(first: 1) { edges { node { handle } } }
  events(first: 1) { edges { node { position } } }
  changes(from: "1970-01-01T00:00:00Z", to: "1970-01-02T00:00:00Z") { summary }
}`;

export type App = ReturnType<typeof createApp>;

/** On an empty log, import the seed files (events/seeds/*.ndjson, in name order). */
export const seedIfEmpty = async (database: Pick<Database, 'sql'>, log: (m: string) => void = () => {}): Promise<number> => {
  const [{ any }] = (await database.sql`SELECT EXISTS (SELECT 1 FROM events) AS any`) as unknown as [{ any: boolean }];
  if (any) return 0;
  let appended = 0;
  for (const file of readdirSync(SEED_DIR).filter((f) => f.endsWith('.ndjson')).sort()) {
    const result = await importEventFile(database.sql, readFileSync(SEED_DIR + file, 'utf8'));
    log(`seeded ${result.appended} events from events/seeds/${file}`);
    appended += result.appended;
  }
  return appended;
};
