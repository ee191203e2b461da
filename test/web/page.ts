/** What the org-chart test reads off the page: roles per unit, requests sent, load figures, screenshots. */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Handles of the people the chart shows in one unit's box. */
export const rolesIn = (page: Page, unit: string): Promise<string[]> =>
  page.$$eval(`#chart article[data-unit="${unit}"] li[data-person]`, (items) => items.map((item) => (item as HTMLElement).dataset.person!));

/** From now on, the asOf of every chart query the page sends. */
export const chartRequests = (page: Page): (() => string[]) => {
  const seen: string[] = [];
  page.on('request', (request) => {
    const body = request.postData();
    if (new URL(request.url()).pathname === '/graphql' && body?.includes('query Chart')) seen.push((JSON.parse(body) as { variables: { asOf: string } }).variables.asOf);
  });
  return () => [...seen];
};

export interface LoadFigures {
  files: number;
  rawBytes: number;
  gzipBytes: number;
  firstChartMs: number;
  domContentLoadedMs: number;
  chartQueryMs: number;
}

/** The page's own files (not API calls) as the browser received them, and when the chart came. */
export const measureLoad = (page: Page): Promise<LoadFigures> =>
  page.evaluate(() => {
    const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const api = resources.filter((r) => new URL(r.name).pathname === '/graphql').sort((a, b) => a.startTime - b.startTime);
    const files = [navigation, ...resources.filter((r) => new URL(r.name).pathname !== '/graphql')];
    const chartQuery = api[0]; // the chart is asked for first, the log right after
    return {
      files: files.length,
      rawBytes: files.reduce((sum, f) => sum + f.decodedBodySize, 0),
      gzipBytes: files.reduce((sum, f) => sum + f.encodedBodySize, 0),
      firstChartMs: Math.round(performance.getEntriesByName('orgtime:first-chart')[0]?.startTime ?? -1),
      domContentLoadedMs: Math.round(navigation.domContentLoadedEventEnd),
      chartQueryMs: Math.round(chartQuery ? chartQuery.responseEnd - chartQuery.startTime : -1),
    };
  });

/** Controls (visible or not) that a screen reader could not name. */
export const missingLabels = (page: Page): Promise<string[]> =>
  page.$$eval('input, select, button, a[href]', (elements) =>
    elements
      .filter((element) => {
        const labelled = ((element as HTMLInputElement).labels?.length ?? 0) > 0 || element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby');
        const named = (element.tagName === 'BUTTON' || element.tagName === 'A') && (element.textContent ?? '').trim() !== '';
        return !labelled && !named;
      })
      .map((element) => element.outerHTML.slice(0, 100)),
  );

/**
 * Saves test-results/org-chart/<name>.png. With `docs`, also docs/screenshot-chart.png (the
 * README's) when it is missing or UPDATE_SCREENSHOTS=1, so a test run leaves the tree clean.
 */
export const screenshot = async (page: Page, name: string, options: { docs?: boolean; fullPage?: boolean } = {}) => {
  await page.screenshot({ path: path.join(ROOT, 'test-results', 'org-chart', `${name}.png`), fullPage: options.fullPage ?? true });
  const docs = path.join(ROOT, 'docs', 'screenshot-chart.png');
  if (options.docs && (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(docs))) {
    mkdirSync(path.dirname(docs), { recursive: true });
    // The whole chart and no more: from the top of the page to the bottom of the chart.
    const bottom = await page.evaluate(() => Math.ceil(document.getElementById('chart')!.getBoundingClientRect().bottom + scrollY));
    await page.screenshot({ path: docs, fullPage: true, clip: { x: 0, y: 0, width: page.viewportSize()!.width, height: bottom } });
  }
};
