/**
 * What the reader is looking at, kept in the URL so a view can be shared:
 *   /?asOf=2026-03-06&knownAt=2026-11-29T17:22:40Z&min=REPORTED&compare=2026-03-03&person=lin-junyang
 * asOf absent: now. knownAt absent: everything recorded. min absent: all (RUMORED and up).
 * compare: the earlier date of compare mode (asOf is the later one).
 */
import type { Confidence } from './queries.ts';
import { formatMoment, parseMoment } from './time.ts';

export interface ViewState {
  asOf: Date | null;
  knownAt: Date | null;
  min: Confidence;
  compare: Date | null;
  person: string | null;
}

const LEVELS: Confidence[] = ['RUMORED', 'REPORTED', 'CONFIRMED'];
const HANDLE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const readState = (search: string): ViewState => {
  const params = new URLSearchParams(search);
  const min = (params.get('min') ?? '').toUpperCase() as Confidence;
  const person = params.get('person');
  return {
    asOf: parseMoment(params.get('asOf')),
    knownAt: parseMoment(params.get('knownAt')),
    min: LEVELS.includes(min) ? min : 'RUMORED',
    compare: parseMoment(params.get('compare')),
    person: person && HANDLE.test(person) ? person : null,
  };
};

export const writeState = (state: ViewState): string => {
  const params = new URLSearchParams();
  if (state.asOf) params.set('asOf', formatMoment(state.asOf));
  if (state.knownAt) params.set('knownAt', formatMoment(state.knownAt));
  if (state.min !== 'RUMORED') params.set('min', state.min);
  if (state.compare) params.set('compare', formatMoment(state.compare));
  if (state.person) params.set('person', state.person);
  // URLSearchParams escapes ':', which is safe in a query and easier to read unescaped.
  const query = params.toString().replace(/%3A/gi, ':');
  return query ? `?${query}` : '';
};
