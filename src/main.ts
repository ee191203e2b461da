/**
 * The `orgtime` command line:
 *   serve                start the GraphQL service (seeds an empty log)
 *   replay [--verify]    rebuild every projection from the log (and prove it equals the live one)
 *   import <file>        append an NDJSON event file, validated through the deciders
 *   export [file]        write the log as NDJSON (stdout without a file)
 *   print-schema         print the GraphQL schema (SDL)
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { openDatabase } from './core/database/connect.ts';
// Each command imports what it needs when it runs: `replay` or `export` need neither GraphQL
// nor the web page, and a smaller process leaves more room for the work (replay's peak RSS).

const log = (message: string) => console.error(`[orgtime] ${message}`);
/** A startup catch-up of this many events takes long enough (a second or more) to be worth a line. */
const CATCH_UP_WORTH_SAYING = 10_000;
/** …and then a line of progress this often while it lasts. */
const CATCH_UP_PROGRESS_MS = 10_000;

const serve = async () => {
  const { createApp, seedIfEmpty } = await import('./app.ts');
  const { parseWriteTokens } = await import('./core/config.ts');
  const { eventsBehind } = await import('./core/projection/projector.ts');
  const { withWebPage } = await import('./web/serve-static.ts');
  const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, log });
  let writeTokens = parseWriteTokens(process.env.ORGTIME_WRITE_TOKEN);
  if (writeTokens.size === 0) {
    const token = randomBytes(18).toString('base64url');
    writeTokens = new Map([[token, 'graphiql']]);
    log(`ORGTIME_WRITE_TOKEN is not set; this run's write token (actor "graphiql") is:\n\n    ${token}\n\n  send it as "Authorization: Bearer ${token}" to use mutations.`);
  }
  await seedIfEmpty(database, log);
  const app = createApp({ database, writeTokens });
  // The service listens once the read model has caught up with the log; say so when that takes
  // a while (a restored or imported log, a long stop), rather than sit silent.
  const behind = await eventsBehind(database.sql);
  if (behind >= CATCH_UP_WORTH_SAYING) {
    const catchingUp = performance.now();
    log(`projecting ${behind} events recorded since the read model was last brought up to date; serving once they are in (\`npm run replay\` rebuilds a large backlog faster)`);
    // Caught up here rather than by app.start(), to say how far it has got now and then.
    let projected = 0;
    let said = catchingUp;
    await app.projector.catchUp((events) => {
      projected += events.length;
      const now = performance.now();
      if (now - said < CATCH_UP_PROGRESS_MS) return;
      said = now;
      log(`… ${projected} of ${behind} projected (${Math.round(projected / ((now - catchingUp) / 1000))} events/s)`);
    });
    log(`projected them in ${((performance.now() - catchingUp) / 1000).toFixed(1)} s`);
  }
  await app.start();
  await app.warmUp();
  const port = Number(process.env.PORT ?? 4000);
  const http = createHttpServer(withWebPage(app.yoga));
  await new Promise<void>((resolve, reject) => http.once('error', reject).listen(port, resolve));
  log(`${database.embedded ? 'embedded PostgreSQL' : 'PostgreSQL'} ready; the org chart at http://localhost:${port}/, GraphiQL at http://localhost:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    http.close();
    http.closeAllConnections();
    await app.stop();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
};

const withDatabase = async (work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<number | void>) => {
  const database = await openDatabase({ url: process.env.DATABASE_URL || undefined, log });
  try {
    return (await work(database)) ?? 0;
  } finally {
    await database.close();
  }
};

const main = async (argv: string[]): Promise<number | void> => {
  const [command = 'serve', ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve();
    case 'replay': {
      const { replay } = await import('./core/projection/replay.ts');
      return withDatabase(async (db) => ((await replay(db.sql, { verify: rest.includes('--verify'), progress: Boolean(process.stderr.isTTY) })).ok ? 0 : 1));
    }
    case 'import':
      if (!rest[0]) throw new Error('usage: orgtime import <file.ndjson>');
      return withDatabase(async (db) => {
        const { importEventFile } = await import('./log/import.ts');
        const result = await importEventFile(db.sql, readFileSync(rest[0]!, 'utf8'));
        log(result.alreadyPresent ? 'every event of this file is already in the log; nothing appended' : `appended ${result.appended} events`);
      });
    case 'export':
      return withDatabase(async (db) => {
        const { exportLog } = await import('./log/export.ts');
        const lines: string[] = [];
        const count = await exportLog(db.sql, (line) => (rest[0] ? lines.push(line) : process.stdout.write(line + '\n')));
        if (rest[0]) writeFileSync(rest[0], lines.join('\n') + '\n');
        log(`exported ${count} events`);
      });
    case 'print-schema': {
      const [{ printSchema }, { schema }] = await Promise.all([import('graphql'), import('./core/graphql/schema.ts')]);
      process.stdout.write(printSchema(schema) + '\n');
      return 0;
    }
    default:
      throw new Error(`unknown command "${command}" (serve | replay [--verify] | import <file> | export [file] | print-schema)`);
  }
};

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exit(code);
  },
  (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
