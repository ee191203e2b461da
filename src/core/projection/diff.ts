/**
 * Pure: given the open versions of an entity (known until further notice) and its newly
 * computed versions, decide which to close and which to open at recorded time `at`. Unchanged
 * versions are left alone, so history only grows where belief actually changed.
 */
import type { Version, VersionContent } from './types.ts';

/** Two versions say the same thing over the same effective range. */
export const sameVersion = (a: VersionContent, b: VersionContent): boolean => contentKey(a) === contentKey(b);

/** jsonb reorders object keys, so sources are compared with sorted keys. */
const stable = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(stable)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, stable(v)]))
      : value;

/** Sources are shared by many versions (every version of a fact's entity): key each once. */
const sourceKeys = new WeakMap<object, string>();
const sourcesKey = (sources: readonly unknown[]): string =>
  sources
    .map((source) => {
      if (source === null || typeof source !== 'object') return JSON.stringify(source);
      let key = sourceKeys.get(source);
      if (key === undefined) sourceKeys.set(source, (key = JSON.stringify(stable(source))));
      return key;
    })
    .join(',');

const time = (t: Date | null) => (t === null ? null : t.getTime());

/** Free text, length-prefixed: unambiguous whatever it contains, with nothing to escape. */
const text = (s: string | null): string => (s === null ? '-' : `${s.length}:${s}`);

/** What a version says; with `tiers: false`, regardless of which confidence tiers it answers. */
export const contentKey = (v: VersionContent, { tiers = true } = {}): string => {
  // A template string, not JSON.stringify of an array: this runs for every version the
  // projector compares, and was a fifth of a rebuild's time.
  const common = `${v.kind}|${tiers ? `${v.tierMin}-${v.tierMax}` : ''}|${v.confidence}|${time(v.validFrom)}|${time(v.validTo)}|${v.eventIds.join(',')}|${sourcesKey(v.sources)}`;
  switch (v.kind) {
    case 'person':
      return `${common}|${text(v.handle)}|${text(v.name)}|${text(v.nativeName)}`;
    case 'unit':
      return `${common}|${text(v.handle)}|${text(v.name)}|${text(v.unitKind)}|${text(v.parentHandle)}`;
    case 'role':
      return `${common}|${v.roleId}|${text(v.personHandle)}|${text(v.unitHandle)}|${text(v.title)}|${text(v.reportsTo)}|${v.status}|${time(v.startedAt)}|${time(v.leavingFrom)}|${time(v.endedAt)}`;
  }
};

export interface VersionDiff {
  /** Versions no longer believed from `at` on. */
  close: Version[];
  open: Version[];
}

/** Object.assign, not spread: several times faster on these objects in V8 (see versions.ts). */
const believedFrom = (version: VersionContent, at: Date): Version => Object.assign({}, version, { knownFrom: at, knownTo: null });

export const diffVersions = (current: readonly Version[], next: readonly VersionContent[], at: Date): VersionDiff => {
  // A new entity (most of a rebuild): nothing to compare, so skip the content keys.
  if (current.length === 0) return { close: [], open: next.map((version) => believedFrom(version, at)) };
  const remaining = new Map<string, Version[]>();
  for (const version of current) {
    const key = contentKey(version);
    remaining.set(key, [...(remaining.get(key) ?? []), version]);
  }
  const open: Version[] = [];
  for (const version of next) {
    const key = contentKey(version);
    const kept = remaining.get(key);
    if (kept && kept.length > 0) kept.shift();
    else open.push(believedFrom(version, at));
  }
  // The originals, not copies: the projector closes them in place (rows opened earlier in the
  // same batch have no id yet).
  const close = [...remaining.values()].flat();
  return { close, open };
};
