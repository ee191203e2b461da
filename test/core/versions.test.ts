/** The projection's pure core: an entity's facts → its versions, each over the confidence tiers it answers. */
import { describe, expect, it } from 'vitest';
import type { Fact } from '../../src/core/projection/facts.ts';
import { versionsOf } from '../../src/core/projection/versions.ts';

let position = 0n;
const fact = (type: string, at: string, confidence: number, data: Record<string, unknown> = {}): Fact => ({
  position: ++position,
  eventId: `00000000-0000-4000-8000-${String(position).padStart(12, '0')}`,
  entity: 'role:r1',
  type,
  occurredAt: new Date(at),
  recordedAt: new Date('2026-06-01T00:00:00Z'),
  confidence,
  confirmedAt: null,
  retractedAt: null,
  personHandle: 'p',
  unitHandle: 'u',
  data: { roleId: 'r1', person: 'p', unit: 'u', title: 'Lead', reportsTo: null, ...data },
  metadata: { confidence: 'CONFIRMED' },
});
const CONFIRMED = 2;
const RUMORED = 0;
const summary = (facts: Fact[]) =>
  versionsOf('role:r1', facts).map((v) => v.kind === 'role' && `${v.status} ${v.validFrom.toISOString().slice(0, 10)}..${v.validTo?.toISOString().slice(0, 10) ?? '∞'} tiers ${v.tierMin}-${v.tierMax}`);

describe('role versions', () => {
  it('are stored once for all tiers when every fact is confirmed', () => {
    expect(summary([fact('RoleAssigned', '2026-01-01', CONFIRMED), fact('DepartureAnnounced', '2026-03-04', CONFIRMED), fact('RoleEnded', '2026-03-05', CONFIRMED)])).toEqual([
      'ACTIVE 2026-01-01..2026-03-04 tiers 0-2',
      'LEAVING 2026-03-04..2026-03-05 tiers 0-2',
      'ENDED 2026-03-05..∞ tiers 0-2',
    ]);
  });

  it('split where a rumor changes the story: a rumored end exists only for readers admitting rumors', () => {
    expect(summary([fact('RoleAssigned', '2026-01-01', CONFIRMED), fact('RoleEnded', '2026-03-05', RUMORED)])).toEqual([
      'ACTIVE 2026-01-01..2026-03-05 tiers 0-0',
      'ENDED 2026-03-05..∞ tiers 0-0',
      'ACTIVE 2026-01-01..∞ tiers 1-2',
    ]);
  });

  it('vanish with a retracted assignment, and count a confirmed report as confirmed', () => {
    const assigned = fact('RoleAssigned', '2026-01-01', 1);
    expect(summary([{ ...assigned, retractedAt: new Date('2026-06-02T00:00:00Z') }])).toEqual([]);
    expect(summary([assigned])).toEqual(['ACTIVE 2026-01-01..∞ tiers 0-1']);
    expect(summary([{ ...assigned, confirmedAt: new Date('2026-06-02T00:00:00Z') }])).toEqual(['ACTIVE 2026-01-01..∞ tiers 0-2']);
  });
});
