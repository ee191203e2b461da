/** Event files: the seed imports through the deciders, a bad file is refused whole, export → import round-trips. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_DIR } from '../../src/app.ts';
import { Projector } from '../../src/core/projection/projector.ts';
import { exportLog } from '../../src/log/export.ts';
import { importEventFile } from '../../src/log/import.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

const seed = readFileSync(`${SEED_DIR}000_qwen-march-2026.ndjson`, 'utf8');
const lines = seed.trim().split('\n');
let source: TestDatabase;
let target: TestDatabase;
beforeAll(async () => {
  [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => Promise.all([source.drop(), target.drop()]));

const size = async (db: TestDatabase) => ((await db.sql`SELECT count(*)::int AS n FROM events`)[0] as { n: number }).n;

describe('importing an event file', () => {
  it('refuses a file that breaks an invariant, whole, naming the line', async () => {
    // Lin Junyang's resignation approved before he ever held the role.
    const end = lines.findIndex((l) => l.includes('"RoleEnded"'));
    const broken = lines.map((l, i) => (i === end ? l.replace('"occurredAt":"2026-03-05T09:00:00+08:00"', '"occurredAt":"2025-06-01T00:00:00+08:00"') : l));
    await expect(importEventFile(source.sql, broken.join('\n'))).rejects.toThrow(new RegExp(`line ${end + 1}: RoleEnded refused \\(ILLEGAL_STATE\\)`));
    expect(await size(source)).toBe(0);
  });

  it('refuses a line that breaks its JSON Schema', async () => {
    const bad = lines.map((l, i) => (i === 0 ? l.replace('"handle":"alibaba-group"', '"handle":"Alibaba Group"') : l));
    await expect(importEventFile(source.sql, bad.join('\n'))).rejects.toThrow(/line 1: OrgUnitCreated\.v1 data\/handle must match pattern/);
    await expect(importEventFile(source.sql, 'not json')).rejects.toThrow(/line 1: not JSON/);
    expect(await size(source)).toBe(0);
  });

  it('refuses an event whose data does not follow from its command', async () => {
    const forged = lines.map((l) => (l.includes('"DepartureAnnounced"') ? l.replace('"title":"Technical lead"', '"title":"Chief Scientist"') : l));
    await expect(importEventFile(source.sql, forged.join('\n'))).rejects.toThrow(/refused|does not match/);
    expect(await size(source)).toBe(0);
  });

  it('imports the seed once; importing it again appends nothing', async () => {
    expect(await importEventFile(source.sql, seed)).toEqual({ appended: lines.length, alreadyPresent: false });
    expect(await importEventFile(source.sql, seed)).toEqual({ appended: 0, alreadyPresent: true });
    expect(await size(source)).toBe(lines.length);
  });

  it('round-trips: an exported log imports into an empty database and projects to the same tables', async () => {
    const exported: string[] = [];
    expect(await exportLog(source.sql, (line) => exported.push(line))).toBe(lines.length);
    expect(JSON.parse(exported[0]!)).toMatchObject({ position: '1', version: 1, type: 'OrgUnitCreated' });
    await importEventFile(target.sql, exported.join('\n'));
    await new Projector(source.sql).catchUp();
    await new Projector(target.sql).catchUp();
    // Recorded times differ (each log stamps its own); what is believed now does not.
    const current = (db: TestDatabase) =>
      db.sql`SELECT role_id::text, tier_min, tier_max, person_handle, unit_handle, title, status, valid_from, valid_to, confidence FROM role_versions
             WHERE known_to IS NULL ORDER BY role_id, tier_min, valid_from`;
    const [a, b] = await Promise.all([current(source), current(target)]);
    expect(a.length).toBeGreaterThanOrEqual(11); // every role of the seed, at least once
    expect(b).toEqual(a);
    const ids = async (db: TestDatabase) => (await db.sql`SELECT event_id::text FROM events ORDER BY events.position`).map((r) => r.event_id);
    expect(await ids(target)).toEqual(await ids(source));
  });
});
