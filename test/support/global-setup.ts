/**
 * Starts the test run's PostgreSQL: the server DATABASE_URL names, or else an embedded one
 * (data under .orgtime/test-pgdata, reused between runs). Test files create their own databases.
 */
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/core/database/embedded.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('adminUrl', process.env.DATABASE_URL);
    return;
  }
  const dataDir = fileURLToPath(new URL('../../.orgtime/test-pgdata', import.meta.url));
  const embedded = await startEmbeddedPostgres({ dataDir, log: () => {} });
  project.provide('adminUrl', embedded.url);
  return () => embedded.stop();
}
