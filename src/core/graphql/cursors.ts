/** Opaque cursors ("kind:value", base64url) and page sizes. A bad cursor is a typed user error. */
import { GraphQLError } from 'graphql';

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;

export const encodeCursor = (kind: string, value: string): string => Buffer.from(`${kind}:${value}`).toString('base64url');

export const decodeCursor = (kind: string, cursor: string): string => {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(`${kind}:`) || decoded.length === kind.length + 1)
    throw new GraphQLError(`"${cursor}" is not a ${kind} cursor: pass an endCursor or edge cursor from an earlier page`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  return decoded.slice(kind.length + 1);
};

export const pageSize = (first: number | null | undefined): number => {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE)
    throw new GraphQLError(`first must be between 0 and ${MAX_PAGE} (got ${first})`, { extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
  return first;
};
