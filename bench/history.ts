/**
 * History for the read benchmarks: the generated organisation bulk-loaded through the event
 * store's own append (no deciders: the history is only needed, not measured), then projected by
 * the same projector the service runs, then analyzed. Both rates are reported alongside.
 */
import type postgres from 'postgres';
import { appendToStreams } from '../src/core/event-store/group-append.ts';
import { Projector } from '../src/core/projection/projector.ts';
import type { OrgGenerator } from './lib/generate.ts';

const CHUNK = 5000;

export interface Growth {
  events: number;
  loadEventsPerS: number;
  projectEventsPerS: number;
}

/** Append the generator's next events until the log holds `target`, then project them. */
export const growTo = async (sql: postgres.Sql, generator: OrgGenerator, target: number, log: (m: string) => void): Promise<Growth> => {
  const from = generator.emitted;
  let started = performance.now();
  while (generator.emitted < target) await appendToStreams(sql, generator.take(Math.min(CHUNK, target - generator.emitted)), new Map());
  const loadSeconds = (performance.now() - started) / 1000;
  const added = generator.emitted - from;
  log(`loaded ${added} events (${Math.round(added / loadSeconds)}/s); projecting`);
  started = performance.now();
  await new Projector(sql, { batchSize: CHUNK }).catchUp();
  const projectSeconds = (performance.now() - started) / 1000;
  log(`projected ${added} events (${Math.round(added / projectSeconds)}/s)`);
  // Current statistics, as autovacuum keeps them on a live database (its own timing would decide,
  // run by run, whether a size is read with statistics or with none). Not part of either rate.
  await sql`ANALYZE`;
  return { events: generator.emitted, loadEventsPerS: Math.round(added / loadSeconds), projectEventsPerS: Math.round(added / projectSeconds) };
};
