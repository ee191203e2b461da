/** The public surface: the contract stays whole, and the committed schema.graphql is the built one. */
import { readFileSync } from 'node:fs';
import { buildSchema, findBreakingChanges, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/core/graphql/schema.ts';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('the GraphQL schema', () => {
  it('keeps every type, field and argument of the contract (extensions only, nothing renamed or removed)', () => {
    const contract = buildSchema(read('../contract/contract.graphql'));
    expect(findBreakingChanges(contract, schema)).toEqual([]);
  });

  it('is committed as schema.graphql (run `npm run schema:print` after changing it)', () => {
    expect(read('../../schema.graphql')).toBe(printSchema(schema) + '\n');
  });
});
