import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Node resolves `graphql` to its CommonJS build (what Pothos and yoga load); Vite would pick the
  // .mjs build for test files. Two copies of graphql cannot share a schema, so pin the one Node uses.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // One PostgreSQL for the run (embedded unless DATABASE_URL is set); each file gets its own database.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // 2 cores: files run in parallel workers, each on its own database.
    pool: 'forks',
  },
});
