/** The seeded article's answers, asked the way a client asks: GraphQL through yoga.fetch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp();
});
afterAll(async () => api.close());

const rolesOf = async (handle: string, asOf: string, extra = '') => {
  const result = await api.query(`query($h: String!, $asOf: DateTime) { person(handle: $h, asOf: $asOf ${extra}) { name roles { title status confidence unit { handle } } } }`, { h: handle, asOf });
  expect(result.errors).toBeUndefined();
  return result.data.person as { name: string; roles: Array<{ title: string; status: string; confidence: string; unit: { handle: string } }> } | null;
};

describe('Lin Junyang, technical lead of Qwen', () => {
  it('is ACTIVE on 03-03', async () => {
    expect((await rolesOf('lin-junyang', '2026-03-03T12:00:00+08:00'))!.roles).toEqual([
      { title: 'Technical lead', status: 'ACTIVE', confidence: 'REPORTED', unit: { handle: 'qwen' } },
    ]);
  });

  it('is LEAVING on 03-04 at noon (UTC+8): farewell posted, resignation not yet approved', async () => {
    expect((await rolesOf('lin-junyang', '2026-03-04T12:00:00+08:00'))!.roles).toMatchObject([{ title: 'Technical lead', status: 'LEAVING' }]);
  });

  it('is gone on 03-06, and his history shows the ended role with its source', async () => {
    expect((await rolesOf('lin-junyang', '2026-03-06T00:00:00+08:00'))!.roles).toEqual([]);
    const result = await api.query(`{ person(handle: "lin-junyang") { history { title status startedAt departureAnnouncedAt endedAt sources { publisher publishedAt quote } } } }`);
    const [role] = result.data.person.history;
    expect(role).toMatchObject({ title: 'Technical lead', status: 'ENDED', departureAnnouncedAt: '2026-03-03T16:00:00.000Z', endedAt: '2026-03-05T01:00:00.000Z' });
    expect(role.sources.map((s: { quote: string }) => s.quote).join(' ')).toContain('公司已决定批准林俊旸的辞职');
    expect(role.sources[0].publishedAt).toBe('2026-03-05T05:01:00.000Z');
  });

  it('is no longer among the roles of Qwen on 03-06', async () => {
    const result = await api.query(`{ orgUnit(handle: "qwen", asOf: "2026-03-06T00:00:00+08:00") { roles { person { handle } } } }`);
    expect(result.data.orgUnit.roles.map((r: { person: { handle: string } }) => r.person.handle)).not.toContain('lin-junyang');
  });
});

describe('Zhou Jingren', () => {
  it.each(['2026-03-01T00:00:00+08:00', '2026-03-04T12:00:00+08:00', '2026-03-05T10:00:00+08:00', '2026-03-06T00:00:00+08:00'])('heads Tongyi Lab on %s', async (asOf) => {
    const result = await api.query(`query($asOf: DateTime) { orgUnit(handle: "tongyi-lab", asOf: $asOf) { name roles { title status person { handle } } } }`, { asOf });
    expect(result.data.orgUnit.roles).toContainEqual({ title: 'Head of Tongyi Lab', status: 'ACTIVE', person: { handle: 'zhou-jingren' } });
  });
});

describe('the Foundation Model Support Group', () => {
  const chart = async (asOf: string) => {
    const result = await api.query(`query($asOf: DateTime) { orgChart(asOf: $asOf) { handle children { handle name roles { title person { handle } } } } }`, { asOf });
    expect(result.errors).toBeUndefined();
    return result.data.orgChart as Array<{ handle: string; children: Array<{ handle: string; roles: Array<{ person: { handle: string } }> }> }>;
  };

  it('does not exist on 03-04', async () => {
    const [group] = await chart('2026-03-04T12:00:00+08:00');
    expect(group!.handle).toBe('alibaba-group');
    expect(group!.children.map((c) => c.handle)).not.toContain('foundation-model-support-group');
    const direct = await api.query(`{ orgUnit(handle: "foundation-model-support-group", asOf: "2026-03-04T12:00:00+08:00") { name } }`);
    expect(direct.data.orgUnit).toBeNull();
  });

  it('holds Wu Yongming, Zhou Jingren and Fan Yu on 03-06', async () => {
    const [group] = await chart('2026-03-06T00:00:00+08:00');
    const fmsg = group!.children.find((c) => c.handle === 'foundation-model-support-group')!;
    expect(fmsg.roles.map((r) => r.person.handle).sort()).toEqual(['fan-yu', 'wu-yongming', 'zhou-jingren']);
  });
});

describe('Zhou Hao, said to take over Qwen post-training', () => {
  it('holds the role as RUMORED', async () => {
    const person = await rolesOf('zhou-hao', '2026-03-06T00:00:00+08:00');
    expect(person!.roles).toEqual([{ title: 'Head of post-training', status: 'ACTIVE', confidence: 'RUMORED', unit: { handle: 'qwen' } }]);
  });

  it('has no such role for a reader who admits only REPORTED facts and up', async () => {
    const person = await rolesOf('zhou-hao', '2026-03-06T00:00:00+08:00', ', minConfidence: REPORTED');
    expect(person!.roles).toEqual([]);
    const unit = await api.query(`{ orgUnit(handle: "qwen", asOf: "2026-03-06T00:00:00+08:00", minConfidence: REPORTED) { roles { person { handle } } } }`);
    expect(unit.data.orgUnit.roles.map((r: { person: { handle: string } }) => r.person.handle)).not.toContain('zhou-hao');
  });
});

describe('time travel in both directions', () => {
  it('knows nothing before the seed was recorded (knownAt)', async () => {
    const result = await api.query(`{ orgChart(asOf: "2026-03-06T00:00:00+08:00", knownAt: "2026-03-01T00:00:00Z") { handle } person(handle: "lin-junyang", knownAt: "2026-03-01T00:00:00Z") { name } }`);
    expect(result.data).toEqual({ orgChart: [], person: null });
  });

  it('lets one query compare two moments: nested fields inherit their root field\'s context', async () => {
    const result = await api.query(`{
      before: orgUnit(handle: "qwen", asOf: "2026-03-03T00:00:00+08:00") { roles { person { handle roles { status } } } }
      after: orgUnit(handle: "qwen", asOf: "2026-03-06T00:00:00+08:00") { roles { person { handle roles { status } } } }
    }`);
    const lin = (root: { roles: Array<{ person: { handle: string; roles: Array<{ status: string }> } }> }) => root.roles.find((r) => r.person.handle === 'lin-junyang');
    expect(lin(result.data.before)!.person.roles).toEqual([{ status: 'ACTIVE' }]);
    expect(lin(result.data.after)).toBeUndefined();
  });

  it('summarises what changed between 03-03 and 03-06, oldest first', async () => {
    const result = await api.query(`{ changes(from: "2026-03-03T00:00:00+08:00", to: "2026-03-06T00:00:00+08:00") { summary event { type occurredAt } person { handle } unit { handle } } }`);
    const summaries = result.data.changes.map((c: { summary: string }) => c.summary);
    expect(summaries).toContain('Lin Junyang left Qwen (technical lead)');
    expect(summaries).toContain('Lin Junyang announced leaving Qwen (technical lead)');
    const times = result.data.changes.map((c: { event: { occurredAt: string } }) => c.event.occurredAt);
    expect(times).toEqual([...times].sort());
    const atReported = await api.query(`{ changes(from: "2026-03-03T00:00:00+08:00", to: "2026-03-06T00:00:00+08:00", minConfidence: REPORTED) { summary } }`);
    expect(atReported.data.changes.map((c: { summary: string }) => c.summary).join('\n')).not.toContain('Zhou Hao joined');
  });
});

describe('people and the log', () => {
  it('pages through people with cursors', async () => {
    const first = await api.query(`{ people(first: 3, asOf: "2026-03-06T00:00:00+08:00") { edges { cursor node { handle } } pageInfo { hasNextPage endCursor } } }`);
    expect(first.data.people.edges.map((e: { node: { handle: string } }) => e.node.handle)).toEqual(['binyuan-hui', 'fan-yu', 'lin-junyang']);
    const rest = await api.query(`query($after: String) { people(first: 10, after: $after, asOf: "2026-03-06T00:00:00+08:00") { edges { node { handle } } pageInfo { hasNextPage } } }`, { after: first.data.people.pageInfo.endCursor });
    expect(rest.data.people.edges.map((e: { node: { handle: string } }) => e.node.handle)).toEqual(['wu-yongming', 'yu-bowen', 'zhou-hao', 'zhou-jingren']);
    expect(rest.data.people.pageInfo.hasNextPage).toBe(false);
  });

  it('serves the log in global order, filtered by stream and type, each event citing the article', async () => {
    const result = await api.query(`{ events(first: 100, stream: "person-lin-junyang") { edges { node { id position version type confidence source { title publisher } } } } }`);
    const nodes = result.data.events.edges.map((e: { node: unknown }) => e.node);
    expect(nodes.map((n: { type: string }) => n.type)).toEqual(['PersonRegistered', 'RoleAssigned', 'DepartureAnnounced', 'RoleEnded']);
    expect(nodes.map((n: { version: number }) => n.version)).toEqual([1, 2, 3, 4]);
    expect(nodes.every((n: { source: { publisher: string } }) => n.source.publisher.includes('南方都市报'))).toBe(true);
    const byType = await api.query(`{ events(first: 100, types: ["RoleEnded"]) { edges { node { stream } } } }`);
    expect(byType.data.events.edges).toEqual([{ node: { stream: 'person-lin-junyang' } }]);
  });

  it('resolves any object again through node(id)', async () => {
    const result = await api.query(`{ person(handle: "fan-yu") { id } orgUnit(handle: "qwen") { id } events(first: 1) { edges { node { id type } } } }`);
    const ids = [result.data.person.id, result.data.orgUnit.id, result.data.events.edges[0].node.id];
    const nodes = await api.query(`query($a: ID!, $b: ID!, $c: ID!) {
      a: node(id: $a) { ... on Person { handle } }
      b: node(id: $b) { ... on OrgUnit { handle } }
      c: node(id: $c) { ... on Event { type } }
    }`, { a: ids[0], b: ids[1], c: ids[2] });
    expect(nodes.data).toEqual({ a: { handle: 'fan-yu' }, b: { handle: 'qwen' }, c: { type: result.data.events.edges[0].node.type } });
  });
});
