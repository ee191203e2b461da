/**
 * How sure the sources are. Stored as a small integer "level" so that `minConfidence` filters
 * are a comparison: a fact passes a filter when its level is >= the filter's level.
 */
export const CONFIDENCES = ['RUMORED', 'REPORTED', 'CONFIRMED'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const confidenceLevel = (c: Confidence): number => CONFIDENCES.indexOf(c);
export const confidenceOfLevel = (level: number): Confidence => {
  const c = CONFIDENCES[level];
  if (c === undefined) throw new RangeError(`no confidence at level ${level}`);
  return c;
};
export const isConfidence = (value: unknown): value is Confidence =>
  typeof value === 'string' && (CONFIDENCES as readonly string[]).includes(value);

/** The weakest of several confidences: a fact built on a rumor is no surer than the rumor. */
export const weakest = (levels: readonly number[]): number => Math.min(...levels);
