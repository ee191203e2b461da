/**
 * The small error family every layer speaks. Codes are the contract's stable userError codes;
 * GraphQL maps them once (src/core/graphql/user-errors.ts). Never throw strings.
 */
export type ErrorCode = 'NOT_FOUND' | 'VALIDATION' | 'ILLEGAL_STATE' | 'CONFLICT' | 'DUPLICATE' | 'CYCLE';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The input field at fault, without the leading "input" (added by the GraphQL layer). */
    readonly field?: readonly string[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (message: string, field?: string[]) => new DomainError('NOT_FOUND', message, field);
export const invalid = (message: string, field?: string[]) => new DomainError('VALIDATION', message, field);
export const illegalState = (message: string, field?: string[]) => new DomainError('ILLEGAL_STATE', message, field);
export const duplicate = (message: string, field?: string[]) => new DomainError('DUPLICATE', message, field);
export const cycle = (message: string, field?: string[]) => new DomainError('CYCLE', message, field);

/** Optimistic concurrency: the stream moved on since the writer read it. */
export class ConcurrencyError extends DomainError {
  constructor(
    readonly stream: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super('CONFLICT', `stream ${stream} is at version ${actual}, expected ${expected}: read it again and retry`, ['expectedVersion']);
    this.name = 'ConcurrencyError';
  }
}
