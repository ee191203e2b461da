/** Small helpers so mutation tests read as the operations they perform. */
import { expect } from 'vitest';
import type { TestApp } from './app.ts';

export const PAYLOAD = `events { id eventId position stream version type occurredAt recordedAt confidence actor data } userErrors { code message field }`;

export interface Payload {
  events: Array<{ id: string; eventId: string; position: string; stream: string; version: number; type: string; occurredAt: string; recordedAt: string; confidence: string; actor: string; data: Record<string, unknown> }>;
  userErrors: Array<{ code: string; message: string; field: string[] | null }>;
}

/** Run a mutation by name with its input; returns the CommandPayload. */
export const command = async (api: TestApp, name: string, input: Record<string, unknown>): Promise<Payload> => {
  const result = await api.mutate(`mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { ${PAYLOAD} } }`, { input });
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data[name] as Payload;
};

/** Run a command that must succeed; returns its events. */
export const ok = async (api: TestApp, name: string, input: Record<string, unknown>) => {
  const payload = await command(api, name, input);
  expect(payload.userErrors).toEqual([]);
  return payload.events;
};

export const logSize = async (api: TestApp) => ((await api.db.sql`SELECT count(*)::int AS n FROM events`)[0] as { n: number }).n;
