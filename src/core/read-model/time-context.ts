/**
 * The time context every read carries: asOf (effective time), knownAt (recorded time) and the
 * weakest confidence admitted. Root fields create it; nested fields inherit it from their parent.
 */
import { confidenceLevel, type Confidence } from '../domain/confidence.ts';

export interface TimeContext {
  asOf: Date;
  knownAt: Date;
  /** Version tier: 0 admits RUMORED and up, 1 REPORTED and up, 2 CONFIRMED only. */
  tier: number;
}

export const timeContext = (args: { asOf?: Date | null; knownAt?: Date | null; minConfidence?: Confidence | null }, now: Date): TimeContext => ({
  asOf: args.asOf ?? now,
  knownAt: args.knownAt ?? now,
  tier: confidenceLevel(args.minConfidence ?? 'RUMORED'),
});

/** A context's identity by value, memoised per object: nested fields share their parent's object. */
const keys = new WeakMap<TimeContext, string>();
export const contextKey = (ctx: TimeContext): string => {
  let key = keys.get(ctx);
  if (key === undefined) keys.set(ctx, (key = `${ctx.asOf.getTime()}|${ctx.knownAt.getTime()}|${ctx.tier}`));
  return key;
};

/** Prisma filter: versions believed at knownAt, in the tier. */
export const knownIn = (ctx: TimeContext) => ({
  tierMin: { lte: ctx.tier },
  tierMax: { gte: ctx.tier },
  knownFrom: { lte: ctx.knownAt },
  OR: [{ knownTo: null }, { knownTo: { gt: ctx.knownAt } }],
});

/** Prisma filter: versions believed at knownAt and in effect at asOf. */
export const inEffect = (ctx: TimeContext) => ({
  ...knownIn(ctx),
  validFrom: { lte: ctx.asOf },
  AND: [{ OR: [{ validTo: null }, { validTo: { gt: ctx.asOf } }] }],
});
