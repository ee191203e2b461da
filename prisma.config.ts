// Prisma CLI configuration. The service itself never runs the Prisma CLI: migrations are applied
// by src/core/database/migrate.ts (same protocol), so users with the native engine can still run
// `prisma migrate status|deploy` against the same folder.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/orgtime' },
});
