/** The page's pure parts: compare mode's marks, and the view kept in the URL. */
import { describe, expect, it } from 'vitest';
import { compareCharts, type DisplayUnit } from '../../src/web/app/diff.ts';
import type { Role, Unit } from '../../src/web/app/queries.ts';
import { formatMoment } from '../../src/web/app/time.ts';
import { readState, writeState } from '../../src/web/app/url-state.ts';

const role = (roleId: string, person: string, title = 'Member', status: Role['status'] = 'ACTIVE'): Role => ({
  roleId,
  title,
  status,
  confidence: 'CONFIRMED',
  startedAt: null,
  departureAnnouncedAt: null,
  person: { handle: person, name: person, nativeName: null, roles: [] },
});
const unit = (handle: string, roles: Role[] = [], children: Unit[] = [], name = handle): Unit => ({ handle, name, kind: 'team', roles, children });

const find = (tree: DisplayUnit[], handle: string): DisplayUnit | undefined => {
  for (const node of tree) {
    if (node.handle === handle) return node;
    const found = find(node.children, handle);
    if (found) return found;
  }
  return undefined;
};

describe('compare mode', () => {
  it('marks a person who left one unit for another as moved, on both sides', () => {
    const before = [unit('lab', [], [unit('a', [role('r1', 'kim')]), unit('b')])];
    const after = [unit('lab', [], [unit('a'), unit('b', [role('r2', 'kim')])])];
    const { tree, counts } = compareCharts(before, after);
    expect(find(tree, 'b')!.roles).toMatchObject([{ roleId: 'r2', mark: 'moved', detail: 'moved from a' }]);
    expect(find(tree, 'a')!.roles).toMatchObject([{ roleId: 'r1', mark: 'removed', detail: 'moved to b' }]);
    expect(counts).toEqual({ added: 0, removed: 1, moved: 1, changed: 0 });
  });

  it('keeps a dissolved unit and its subtree as ghosts under the parent it had', () => {
    const before = [unit('lab', [], [unit('old', [role('r1', 'lee')], [unit('inner')])])];
    const after = [unit('lab', [], [unit('new', [role('r2', 'ann')])])];
    const { tree, counts } = compareCharts(before, after);
    expect(find(tree, 'lab')!.children.map((c) => [c.handle, c.mark])).toEqual([['new', 'added'], ['old', 'removed']]);
    expect(find(tree, 'inner')!.mark).toBe('removed');
    expect(find(tree, 'old')!.roles[0]!.mark).toBe('removed');
    expect(counts).toEqual({ added: 2, removed: 3, moved: 0, changed: 0 });
  });

  it('marks a unit under a new parent as moved, a renamed one and a changed status as changed', () => {
    const before = [unit('lab', [], [unit('x', [role('r1', 'mo')], [], 'X team'), unit('y')])];
    const after = [unit('lab', [], [unit('x', [role('r1', 'mo', 'Member', 'LEAVING')], [], 'X squad'), unit('y', [], [unit('z')])])];
    before[0]!.children.push(unit('z'));
    const { tree } = compareCharts(before, after);
    expect(find(tree, 'z')).toMatchObject({ mark: 'moved', detail: 'moved from lab' });
    expect(find(tree, 'x')).toMatchObject({ mark: 'changed', detail: 'renamed from X team' });
    expect(find(tree, 'x')!.roles[0]).toMatchObject({ mark: 'changed', detail: 'was active, now leaving' });
    expect(find(tree, 'y')!.mark).toBeUndefined();
  });
});

describe('the URL', () => {
  it('round-trips a shared view', () => {
    const search = '?asOf=2026-03-06&knownAt=2026-11-29T17:22:40Z&min=REPORTED&compare=2026-03-03&person=lin-junyang';
    const state = readState(search);
    expect(state.asOf!.toISOString()).toBe('2026-03-06T00:00:00.000Z');
    expect(state.min).toBe('REPORTED');
    expect(writeState(state)).toBe(search);
  });

  it('ignores what it cannot read instead of failing', () => {
    expect(readState('?asOf=yesterday&min=SURE&person=<script>')).toEqual({ asOf: null, knownAt: null, min: 'RUMORED', compare: null, person: null });
    expect(writeState(readState(''))).toBe('');
  });

  it('writes moments in the shortest form the API reads', () => {
    expect(formatMoment(new Date('2026-03-06T00:00:00Z'))).toBe('2026-03-06');
    expect(formatMoment(new Date('2026-03-04T06:00:00Z'))).toBe('2026-03-04T06:00Z');
    expect(formatMoment(new Date('2026-03-04T06:00:07Z'))).toBe('2026-03-04T06:00:07Z');
    expect(formatMoment(new Date('2026-03-04T06:00:07.250Z'))).toBe('2026-03-04T06:00:07.250Z');
  });
});
