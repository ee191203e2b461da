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

const time = (t: Date | null) => (t === null ? null : t.getTime());

/** What a version says; with `tiers: false`, regardless of which confidence tiers it answers. */
export const contentKey = (v: VersionContent, { tiers = true } = {}): string => {
  const common = [v.kind, tiers ? `${v.tierMin}-${v.tierMax}` : '', v.confidence, time(v.validFrom), time(v.validTo), v.eventIds, stable(v.sources)];
  switch (v.kind) {
    case 'person':
      return JSON.stringify([...common, v.handle, v.name, v.nativeName]);
    case 'unit':
      return JSON.stringify([...common, v.handle, v.name, v.unitKind, v.parentHandle]);
    case 'role':
      return JSON.stringify([...common, v.roleId, v.personHandle, v.unitHandle, v.title, v.reportsTo, v.status, time(v.startedAt), time(v.leavingFrom), time(v.endedAt)]);
  }
};

export interface VersionDiff {
  /** Versions no longer believed from `at` on. */
  close: Version[];
  open: Version[];
}

export const diffVersions = (current: readonly Version[], next: readonly VersionContent[], at: Date): VersionDiff => {
  // A new entity (most of a rebuild): nothing to compare, so skip the content keys.
  if (current.length === 0) return { close: [], open: next.map((version) => ({ ...version, knownFrom: at, knownTo: null })) };
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
    else open.push({ ...version, knownFrom: at, knownTo: null });
  }
  // The originals, not copies: the projector closes them in place (rows opened earlier in the
  // same batch have no id yet).
  const close = [...remaining.values()].flat();
  return { close, open };
};
