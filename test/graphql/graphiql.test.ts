/** GraphiQL is served fully offline (assets inlined, no CDN) and opens on the article's questions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp({ seed: false });
});
afterAll(async () => api.close());

describe('GraphiQL', () => {
  it('is one self-contained page: no script, style or font loaded from another host', async () => {
    const response = await api.app.yoga.fetch('http://orgtime.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/graphiql/i);
    const external = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)=["'](https?:)?\/\/[^"']+/gi)].map((m) => m[0]);
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net|cdnjs/);
  });

  it('opens with example queries about the article', async () => {
    const html = await (await api.app.yoga.fetch('http://orgtime.test/graphql', { headers: { accept: 'text/html' } })).text();
    for (const example of ['OrgChartBeforeAndAfter', 'LinJunyang', 'RumorFiltered', 'minConfidence: REPORTED']) expect(html).toContain(example);
  });
});
