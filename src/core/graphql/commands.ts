/**
 * The write side's GraphQL plumbing, shared by every mutation: authentication, the common input
 * fields, running the command, mapping refusals to userErrors, and read-your-writes.
 *
 * Read-your-writes: a mutation returns only after the projector has applied its events, so any
 * read sent after the response sees them (documented in the README).
 */
import { GraphQLError } from 'graphql';
import type { Command, CommandBase } from '../domain/commands.ts';
import { DomainError, type ErrorCode } from '../domain/errors.ts';
import { unitStream, personStream, type Source } from '../domain/events.ts';
import { executeCommand, fingerprint } from '../commands/execute.ts';
import type { StoredEvent } from '../event-store/rows.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { ConfidenceEnum, EventRef } from './refs.ts';

export interface UserErrorShape {
  code: ErrorCode;
  message: string;
  field: string[] | null;
}

export const UserErrorRef = builder.objectRef<UserErrorShape>('UserError').implement({
  fields: (t) => ({
    code: t.string({ description: 'NOT_FOUND, VALIDATION, ILLEGAL_STATE, CONFLICT, DUPLICATE or CYCLE.', resolve: (e) => e.code }),
    message: t.string({ resolve: (e) => e.message }),
    field: t.stringList({ nullable: true, description: 'Path to the input field at fault, e.g. ["input", "effectiveAt"].', resolve: (e) => e.field }),
  }),
});

export interface CommandPayloadShape {
  events: StoredEvent[];
  userErrors: UserErrorShape[];
}

export const CommandPayloadRef = builder.objectRef<CommandPayloadShape>('CommandPayload').implement({
  fields: (t) => ({
    events: t.field({ type: [EventRef], description: 'The events this command appended (or, on a repeated idempotencyKey, appended before).', resolve: (p) => p.events }),
    userErrors: t.field({ type: [UserErrorRef], resolve: (p) => p.userErrors }),
  }),
});

export const SourceInput = builder.inputType('SourceInput', {
  fields: (t) => ({
    title: t.string({ required: false }),
    publisher: t.string({ required: false }),
    url: t.string({ required: false }),
    publishedAt: t.field({ type: 'DateTime', required: false }),
    quote: t.string({ required: false }),
  }),
});

type InputFieldBuilder = Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0];

/** effectiveAt, confidence, source, idempotencyKey — and expectedVersion for optimistic clients. */
export const commonFields = (t: InputFieldBuilder, { effective = true } = {}) => ({
  ...(effective
    ? {
        effectiveAt: t.field({ type: 'DateTime', required: false, description: 'When it took effect in the world (default: now); past and future allowed.' }),
        confidence: t.field({ type: ConfidenceEnum, required: false, description: 'Default CONFIRMED.' }),
      }
    : {}),
  source: t.field({ type: SourceInput, required: false }),
  idempotencyKey: t.string({ required: false, description: 'Repeating a command with the same key appends nothing new and returns the first call\'s events.' }),
  expectedVersion: t.int({
    required: false,
    description: "Optimistic concurrency: the version of the command's stream you last read (Event.version); CONFLICT if it moved on.",
  }),
});

export interface CommonInput {
  effectiveAt?: Date | null;
  confidence?: CommandBase['confidence'] | null;
  source?: { title?: string | null; publisher?: string | null; url?: string | null; publishedAt?: Date | null; quote?: string | null } | null;
  idempotencyKey?: string | null;
  expectedVersion?: number | null;
}

const sourceOf = (input: CommonInput['source']): Source | null => {
  if (!input) return null;
  const source: Source = {};
  for (const key of ['title', 'publisher', 'url', 'quote'] as const) if (input[key]) source[key] = input[key];
  if (input.publishedAt) source.publishedAt = input.publishedAt.toISOString();
  return Object.keys(source).length > 0 ? source : null;
};

export const baseOf = (input: CommonInput, ctx: GraphQLContext): CommandBase => ({
  effectiveAt: input.effectiveAt ?? ctx.now,
  confidence: input.confidence ?? 'CONFIRMED',
  source: sourceOf(input.source),
});

/** The stream an expectedVersion refers to: the one the command is about. */
const primaryStream = (command: Command): string | null => {
  switch (command.type) {
    case 'RegisterPerson':
      return personStream(command.handle);
    case 'CreateOrgUnit':
      return unitStream(command.handle);
    case 'MoveOrgUnit':
    case 'RenameOrgUnit':
    case 'DissolveOrgUnit':
      return unitStream(command.unit);
    case 'AssignRole':
    case 'AnnounceDeparture':
    case 'EndRole':
      return personStream(command.person);
    default:
      return null;
  }
};

const KEY_LIMIT = 200;

export const runCommand = async (ctx: GraphQLContext, mutation: string, input: CommonInput, command: Command): Promise<CommandPayloadShape> => {
  if (ctx.actor === null)
    throw new GraphQLError('mutations need "Authorization: Bearer <ORGTIME_WRITE_TOKEN>"', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  const refuse = (code: ErrorCode, message: string, field: string[]) => ({ events: [], userErrors: [{ code, message, field }] });
  const key = input.idempotencyKey ?? null;
  if (key !== null && (key.length === 0 || key.length > KEY_LIMIT))
    return refuse('VALIDATION', `idempotencyKey must be 1 to ${KEY_LIMIT} characters`, ['input', 'idempotencyKey']);
  const stream = primaryStream(command);
  if (input.expectedVersion != null && stream === null) return refuse('VALIDATION', 'expectedVersion does not apply to corrections', ['input', 'expectedVersion']);
  try {
    const { idempotencyKey: _key, ...request } = input;
    const result = await executeCommand(ctx.sql, command, {
      actor: ctx.actor,
      idempotencyKey: key,
      requestFingerprint: fingerprint({ mutation, request }),
      expectedVersions: input.expectedVersion != null && stream ? new Map([[stream, input.expectedVersion]]) : undefined,
      now: ctx.now,
    });
    const last = result.events.at(-1);
    if (last) await ctx.projector.waitFor({ transactionId: last.transactionId, position: last.position });
    return { events: result.events, userErrors: [] };
  } catch (error) {
    if (error instanceof DomainError) return refuse(error.code, error.message, ['input', ...(error.field ?? [])]);
    throw error;
  }
};
