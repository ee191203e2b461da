/**
 * Moments on the page. Everything is shown and written in UTC, as the API reads a bare date
 * (`?asOf=2026-03-06` is 2026-03-06T00:00Z), so what the URL says and what the page shows agree.
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** A bare date (00:00 UTC) or an ISO date-time with offset; null for anything else. */
export const parseMoment = (text: string | null | undefined): Date | null => {
  if (!text) return null;
  if (!DATE.test(text) && !DATE_TIME.test(text)) return null;
  const date = new Date(DATE.test(text) ? `${text}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** The shortest form the API accepts: `2026-03-06`, `2026-03-04T06:00Z`, or full ISO. */
export const formatMoment = (date: Date): string => {
  const iso = date.toISOString();
  if (date.getTime() % DAY === 0) return iso.slice(0, 10);
  if (date.getTime() % 60_000 === 0) return `${iso.slice(0, 16)}Z`;
  return date.getUTCMilliseconds() === 0 ? `${iso.slice(0, 19)}Z` : iso;
};

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const secondsFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** "6 Mar 2026" at midnight UTC, else "4 Mar 2026, 06:00 UTC". */
export const label = (date: Date): string =>
  date.getTime() % DAY === 0 ? dayFormat.format(date) : `${dayFormat.format(date)}, ${timeFormat.format(date)} UTC`;

/** Always with the time, to the second: for recorded times, which cluster within minutes. */
export const labelPrecise = (date: Date): string => `${dayFormat.format(date)}, ${secondsFormat.format(date)} UTC`;

export const startOfDay = (ms: number): number => Math.floor(ms / DAY) * DAY;
export const endOfDay = (ms: number): number => Math.ceil(ms / DAY) * DAY;

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
