/** DateTime (ISO-8601 with offset in, UTC out) and JSON. Bad input is a GraphQL error, never a 500. */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/** Full date-time with an offset or Z, or a bare date (read as 00:00 UTC). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

export const parseDateTime = (value: unknown): Date => {
  if (typeof value !== 'string' || !ISO_8601.test(value))
    throw new GraphQLError(`DateTime must be an ISO-8601 string with an offset, e.g. 2026-03-05T09:00:00+08:00 (got ${JSON.stringify(value)})`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  // JavaScript rolls 2026-02-30 over to March; a calendar date that does not exist is an error.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (Number.isNaN(date.getTime()) || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day)
    throw new GraphQLError(`DateTime ${JSON.stringify(value)} is not a real moment`, { extensions: { code: 'BAD_USER_INPUT' } });
  return date;
};

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 date-time with offset (e.g. 2026-03-05T09:00:00+08:00). Returned in UTC.',
  serialize: (value) => {
    if (value instanceof Date) return value.toISOString();
    return parseDateTime(value).toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string', { nodes: ast, extensions: { code: 'BAD_USER_INPUT' } });
    return parseDateTime(ast.value);
  },
});

const literalValue = (ast: ValueNode): unknown => {
  switch (ast.kind) {
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.STRING:
    case Kind.ENUM:
      return ast.value;
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.LIST:
      return ast.values.map(literalValue);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literalValue(f.value)]));
    default:
      throw new GraphQLError('JSON literals cannot contain variables', { extensions: { code: 'BAD_USER_INPUT' } });
  }
};

export const JSONScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: literalValue,
});
