/**
 * The "known at" choices: the moments the log was written, as bursts of recording (a seed import,
 * one command's events), newest first. Picking one shows the chart as it was known right then.
 */
import { h } from './dom.ts';
import type { LogEvent } from './queries.ts';
import { labelPrecise } from './time.ts';

interface Recording {
  at: number;
  count: number;
  lastPosition: string;
}

/** Events recorded within this long of the previous one belong to the same burst. */
const BURST_MS = 2000;
const MAX_CHOICES = 50;

export const recordings = (log: LogEvent[]): Recording[] => {
  const bursts: Recording[] = [];
  const ordered = [...log].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? -1 : 1));
  for (const event of ordered) {
    const at = Date.parse(event.recordedAt);
    const current = bursts.at(-1);
    if (current && at - current.at <= BURST_MS) Object.assign(current, { at: Math.max(at, current.at), count: current.count + 1, lastPosition: event.position });
    else bursts.push({ at, count: 1, lastPosition: event.position });
  }
  return bursts;
};

export const fillKnownAt = (select: HTMLSelectElement, log: LogEvent[], knownAt: Date | null): void => {
  const choices: Array<[string, string]> = [['', 'Latest: everything recorded']];
  for (const burst of recordings(log).reverse().slice(0, MAX_CHOICES)) {
    const events = burst.count === 1 ? '1 event' : `${burst.count} events`;
    choices.push([new Date(burst.at).toISOString(), `${labelPrecise(new Date(burst.at))} (${events}, log up to #${burst.lastPosition})`]);
  }
  const wanted = knownAt?.toISOString() ?? '';
  if (wanted && !choices.some(([value]) => value === wanted)) choices.push([wanted, `${labelPrecise(knownAt!)} (from the link)`]);
  // Rebuilding a select the reader has open would close it: only when the choices changed.
  const key = choices.map(([value]) => value).join('|');
  if (select.dataset.key !== key) {
    select.replaceChildren(...choices.map(([value, text]) => h('option', { value }, text)));
    select.dataset.key = key;
  }
  select.value = wanted;
};
