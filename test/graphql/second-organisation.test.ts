/**
 * A second organisation, built only through the public mutations: OpenAI's leadership crisis of
 * November 2023 (public record: OpenAI's own announcements of 17 and 29 November, and press
 * reports in between). Nothing about it exists in the engine; the answers come from the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ok } from '../support/mutations.ts';

const TRANSITION = { title: 'OpenAI announces leadership transition', publisher: 'OpenAI', url: 'https://openai.com/blog/openai-announces-leadership-transition', publishedAt: '2023-11-17T12:28:00-08:00', quote: 'Mr. Altman’s departure follows a deliberative review process by the board' };
const RETURN = { title: 'Sam Altman returns as CEO, OpenAI has a new initial board', publisher: 'OpenAI', url: 'https://openai.com/blog/sam-altman-returns-as-ceo-openai-has-a-new-initial-board', publishedAt: '2023-11-29T00:00:00-08:00' };
const PRESS = { title: 'Press reports of the interim CEO', publisher: 'press' };

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
  const before = '2023-01-01T00:00:00Z';
  await ok(api, 'createOrgUnit', { handle: 'openai', name: 'OpenAI', kind: 'company', effectiveAt: before });
  await ok(api, 'createOrgUnit', { handle: 'openai-board', name: 'Board of directors', kind: 'board', parent: 'openai', effectiveAt: before });
  for (const [handle, name] of [['sam-altman', 'Sam Altman'], ['greg-brockman', 'Greg Brockman'], ['mira-murati', 'Mira Murati'], ['ilya-sutskever', 'Ilya Sutskever'], ['adam-dangelo', "Adam D'Angelo"], ['helen-toner', 'Helen Toner'], ['tasha-mccauley', 'Tasha McCauley'], ['emmett-shear', 'Emmett Shear'], ['bret-taylor', 'Bret Taylor'], ['larry-summers', 'Larry Summers']])
    await ok(api, 'registerPerson', { handle, name, effectiveAt: before });
  const role = (person: string, unit: string, title: string, effectiveAt = before, extra = {}) => ok(api, 'assignRole', { person, unit, title, effectiveAt, ...extra });
  await role('sam-altman', 'openai', 'CEO');
  await role('greg-brockman', 'openai', 'President');
  await role('mira-murati', 'openai', 'CTO');
  await role('greg-brockman', 'openai-board', 'Chairman');
  for (const member of ['sam-altman', 'ilya-sutskever', 'adam-dangelo', 'helen-toner', 'tasha-mccauley']) await role(member, 'openai-board', 'Director');

  // 17 November, noon in San Francisco: the board removes Altman; Murati steps in; Brockman is removed as chairman, then quits.
  const ousted = '2023-11-17T20:00:00Z';
  await ok(api, 'endRole', { person: 'sam-altman', unit: 'openai', title: 'CEO', reason: 'removed by the board', effectiveAt: ousted, source: TRANSITION });
  await ok(api, 'endRole', { person: 'sam-altman', unit: 'openai-board', effectiveAt: ousted, source: TRANSITION });
  await ok(api, 'endRole', { person: 'greg-brockman', unit: 'openai-board', effectiveAt: ousted, source: TRANSITION });
  await role('mira-murati', 'openai', 'Interim CEO', ousted, { source: TRANSITION });
  await ok(api, 'endRole', { person: 'greg-brockman', unit: 'openai', title: 'President', reason: 'resigned', effectiveAt: '2023-11-18T03:00:00Z' });

  // 20 November: Emmett Shear named interim CEO (reported by the press), Murati's interim role ends.
  await ok(api, 'endRole', { person: 'mira-murati', unit: 'openai', title: 'Interim CEO', effectiveAt: '2023-11-20T05:00:00Z', confidence: 'REPORTED', source: PRESS });
  await role('emmett-shear', 'openai', 'Interim CEO', '2023-11-20T05:00:00Z', { confidence: 'REPORTED', source: PRESS });

  // 29 November: Altman returns as CEO, Brockman as President; the new initial board.
  const back = '2023-11-29T08:00:00Z';
  await ok(api, 'endRole', { person: 'emmett-shear', unit: 'openai', effectiveAt: back, source: RETURN });
  await role('sam-altman', 'openai', 'CEO', back, { source: RETURN });
  await role('greg-brockman', 'openai', 'President', back, { source: RETURN });
  for (const leaving of ['ilya-sutskever', 'helen-toner', 'tasha-mccauley']) await ok(api, 'endRole', { person: leaving, unit: 'openai-board', effectiveAt: back, source: RETURN });
  await role('bret-taylor', 'openai-board', 'Chair', back, { source: RETURN });
  await role('larry-summers', 'openai-board', 'Director', back, { source: RETURN });
});
afterAll(async () => api.close());

const holders = async (unit: string, asOf: string, minConfidence = 'RUMORED') => {
  const result = await api.query(`query($u: String!, $asOf: DateTime, $min: Confidence) { orgUnit(handle: $u, asOf: $asOf, minConfidence: $min) { roles { title person { handle } } } }`, { u: unit, asOf, min: minConfidence });
  expect(result.errors).toBeUndefined();
  return (result.data.orgUnit.roles as Array<{ title: string; person: { handle: string } }>).map((r) => `${r.title}: ${r.person.handle}`).sort();
};

describe('OpenAI, November 2023, as of each day', () => {
  it('16 Nov: Altman is CEO, Brockman chairs the board', async () => {
    expect(await holders('openai', '2023-11-16T12:00:00Z')).toEqual(['CEO: sam-altman', 'CTO: mira-murati', 'President: greg-brockman']);
    expect(await holders('openai-board', '2023-11-16T12:00:00Z')).toEqual([
      'Chairman: greg-brockman', 'Director: adam-dangelo', 'Director: helen-toner', 'Director: ilya-sutskever', 'Director: sam-altman', 'Director: tasha-mccauley',
    ]);
  });

  it('18 Nov: no CEO, Murati is interim CEO, Brockman is gone', async () => {
    expect(await holders('openai', '2023-11-18T12:00:00Z')).toEqual(['CTO: mira-murati', 'Interim CEO: mira-murati']);
    expect(await holders('openai-board', '2023-11-18T12:00:00Z')).toEqual(['Director: adam-dangelo', 'Director: helen-toner', 'Director: ilya-sutskever', 'Director: tasha-mccauley']);
  });

  it('21 Nov: Shear is interim CEO — as reported; a reader of confirmed facts only still sees Murati', async () => {
    expect(await holders('openai', '2023-11-21T12:00:00Z')).toEqual(['CTO: mira-murati', 'Interim CEO: emmett-shear']);
    expect(await holders('openai', '2023-11-21T12:00:00Z', 'CONFIRMED')).toEqual(['CTO: mira-murati', 'Interim CEO: mira-murati']);
  });

  it('30 Nov: Altman is back, with Brockman and a new initial board', async () => {
    expect(await holders('openai', '2023-11-30T12:00:00Z')).toEqual(['CEO: sam-altman', 'CTO: mira-murati', 'President: greg-brockman']);
    expect(await holders('openai-board', '2023-11-30T12:00:00Z')).toEqual(['Chair: bret-taylor', 'Director: adam-dangelo', 'Director: larry-summers']);
  });

  it('tells the story as changes, with Altman\'s two CEO terms in his history', async () => {
    const result = await api.query(`{
      changes(from: "2023-11-17T00:00:00Z", to: "2023-11-18T00:00:00Z") { summary person { handle } }
      person(handle: "sam-altman") { history { title unit { handle } status startedAt endedAt sources { url } } }
    }`);
    expect(result.data.changes.map((c: { summary: string }) => c.summary)).toEqual([
      'Sam Altman left OpenAI (CEO)',
      'Sam Altman left Board of directors (director)',
      'Greg Brockman left Board of directors (chairman)',
      'Mira Murati joined OpenAI as interim CEO',
    ]);
    const ceo = result.data.person.history.filter((r: { title: string }) => r.title === 'CEO');
    expect(ceo).toMatchObject([
      { status: 'ENDED', endedAt: '2023-11-17T20:00:00.000Z', sources: [{ url: TRANSITION.url }] },
      { status: 'ACTIVE', startedAt: '2023-11-29T08:00:00.000Z', endedAt: null, sources: [{ url: RETURN.url }] },
    ]);
  });
});
