/**
 * A throwaway database per test file on the run's PostgreSQL, migrated exactly as the service
 * migrates. Nothing is mocked: tests talk to a real server.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/core/database/connect.ts';

export interface TestDatabase extends Database {
  name: string;
  drop(): Promise<void>;
}

const withDatabaseName = (url: string, name: string) => {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
};

export const createTestDatabase = async (): Promise<TestDatabase> => {
  const adminUrl = inject('adminUrl');
  const name = `orgtime_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const database = await openDatabase({ url: withDatabaseName(adminUrl, name), log: () => {} });
  return {
    ...database,
    name,
    drop: async () => {
      await database.close();
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
};
