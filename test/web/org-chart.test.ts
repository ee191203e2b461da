/**
 * The org-chart page end to end: the seeded service over real HTTP on 127.0.0.1, the page built
 * by Vite and served by the same server, driven in headless Chromium (Debian's package) through
 * playwright-core. Screenshots go to test-results/org-chart/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFresh } from '../../src/web/build.ts';
import { withWebPage } from '../../src/web/serve-static.ts';
import { createTestApp, WRITE_TOKEN, type TestApp } from '../support/app.ts';
import { chartRequests, measureLoad, missingLabels, rolesIn, screenshot } from './page.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = process.env.ORGTIME_CHROMIUM ?? '/usr/bin/chromium';
// The flags that work on these machines (see the environment notes): no sandbox as root, and no
// background networking, whose connections the closed network refuses.
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let api: TestApp;
let server: Server;
let base: string;
let userDataDir: string;
let context: BrowserContext;
let page: Page;
const outsideRequests: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the org-chart page's end-to-end test drives Debian's chromium. Install it with\n  apt-get install -y --no-install-recommends chromium\n(or point ORGTIME_CHROMIUM at another Chromium).`);
  // `npm test` builds the page first; a direct vitest run of this file builds it here if stale.
  if (!isFresh()) execFileSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/web/build.ts'], { cwd: ROOT, stdio: 'inherit' });

  api = await createTestApp(); // the seeded article
  server = createServer(withWebPage(api.app.yoga));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  userDataDir = mkdtempSync(path.join(tmpdir(), 'orgtime-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 860 },
  });
  context.on('request', (request) => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) outsideRequests.push(request.url());
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  mkdirSync(path.join(ROOT, 'test-results', 'org-chart'), { recursive: true });
});

afterAll(async () => {
  await context?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

/** The chart has been drawn for this view (the URL's query without `person`). */
const view = (query: string) => page.waitForSelector(`#chart[aria-busy="false"][data-view="${query}"]`);

describe('the org-chart page', () => {
  it('draws 03-03 with Lin Junyang in Qwen, fast and from its own server only', async () => {
    await page.goto(`${base}/?asOf=2026-03-03`);
    await view('?asOf=2026-03-03');
    expect(await rolesIn(page, 'qwen')).toContain('lin-junyang');
    expect(await page.textContent('#as-of-label')).toBe('3 Mar 2026');

    const cold = await measureLoad(page);
    await page.reload(); // again, with the server's caches warm and the page's files cached
    await view('?asOf=2026-03-03');
    const warm = await measureLoad(page);
    const timing = (load: typeof cold) => `first chart ${load.firstChartMs} ms after navigation (DOMContentLoaded ${load.domContentLoadedMs} ms, chart query ${load.chartQueryMs} ms)`;
    console.log(
      `[org-chart page] ${cold.files} files: ${cold.rawBytes} bytes, ${cold.gzipBytes} bytes gzipped on the wire\n` +
        `[org-chart page] first load: ${timing(cold)}\n[org-chart page] second load: ${timing(warm)}`,
    );
    expect(cold.gzipBytes).toBeGreaterThan(0);
    expect(cold.gzipBytes).toBeLessThan(60_000);
    expect(warm.firstChartMs).toBeGreaterThan(0);
    await screenshot(page, '01-as-of-03-03');
  });

  it('asks for the chart when the slider is released, not while it is dragged', async () => {
    const requests = chartRequests(page);
    const slider = (await page.$('#as-of'))!;
    const box = (await slider.boundingBox())!;
    const thumbX = await slider.evaluate((input: HTMLInputElement) => {
      const at = (Number(input.value) - Number(input.min)) / (Number(input.max) - Number(input.min));
      return 8 + at * (input.getBoundingClientRect().width - 16);
    });
    await page.mouse.move(box.x + thumbX, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + thumbX - box.width / 3, box.y + box.height / 2, { steps: 25 });
    await page.mouse.up();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('asOf') !== '2026-03-03');
    await page.waitForSelector('#chart[aria-busy="false"]');
    expect(requests()).toHaveLength(1);
  });

  it('slides to 03-06 from the keyboard: Lin Junyang is gone, the Foundation Model Support Group is there with its three members', async () => {
    await page.goto(`${base}/?asOf=2026-03-03`);
    await view('?asOf=2026-03-03');
    const requests = chartRequests(page);
    await page.focus('#as-of');
    for (let day = 0; day < 3; day++) await page.keyboard.press('ArrowRight');
    await view('?asOf=2026-03-06');
    expect(new URL(page.url()).search).toBe('?asOf=2026-03-06');
    expect(requests()).toEqual(['2026-03-06T00:00:00.000Z']); // three key presses, one query

    expect(await rolesIn(page, 'qwen')).not.toContain('lin-junyang');
    expect(await page.$('#chart li[data-person="lin-junyang"]')).toBeNull();
    const group = await page.$('#chart article[data-unit="foundation-model-support-group"]');
    expect(await group!.$eval('h3', (h) => h.textContent)).toBe('Foundation Model Support Group');
    expect((await rolesIn(page, 'foundation-model-support-group')).sort()).toEqual(['fan-yu', 'wu-yongming', 'zhou-jingren']);
    expect(await group!.textContent()).toMatch(/Spans units: members also in .*Ele\.me/);
    await screenshot(page, '02-as-of-03-06');
  });

  it('marks rumored and reported roles, and the confidence filter hides Zhou Hao', async () => {
    const zhouHao = await page.$('#chart article[data-unit="qwen"] li[data-person="zhou-hao"]');
    expect(await zhouHao!.getAttribute('class')).toContain('conf-rumored');
    expect(await zhouHao!.$eval('.badge.conf-rumored', (b) => b.textContent)).toBe('rumored');
    expect(await page.$eval('#chart li[data-person="yu-bowen"] .badge.conf-reported', (b) => b.textContent)).toBe('reported');

    await page.getByLabel('Reported and up').check();
    await view('?asOf=2026-03-06&min=REPORTED');
    expect(await rolesIn(page, 'qwen')).not.toContain('zhou-hao');
    expect(await rolesIn(page, 'qwen')).toContain('yu-bowen');
    await screenshot(page, '03-reported-and-up');

    await page.getByLabel('Confirmed only').check();
    await view('?asOf=2026-03-06&min=CONFIRMED');
    expect(await rolesIn(page, 'qwen')).toEqual([]);
    await page.getByLabel('All', { exact: true }).check();
    await view('?asOf=2026-03-06');
  });

  it('compares two dates: added, removed and moved on the chart, and the list from changes(from, to)', async () => {
    await page.fill('#compare-from', '2026-03-03');
    await view('?asOf=2026-03-06&compare=2026-03-03');
    expect(await page.isChecked('#compare-on')).toBe(true);
    const list = await page.$$eval('#changes ol.changes li .summary', (items) => items.map((i) => i.textContent ?? ''));
    expect(list.join('\n')).toContain('Lin Junyang left Qwen (technical lead)');
    expect(list.join('\n')).toContain('Foundation Model Support Group (group) was created under Alibaba Group');
    expect(list.join('\n')).toContain('Fan Yu joined Foundation Model Support Group as coordinator');
    expect(await page.getAttribute('#chart article[data-unit="foundation-model-support-group"]', 'class')).toContain('mark-added');
    expect(await page.getAttribute('#chart article[data-unit="qwen"] li[data-person="lin-junyang"]', 'class')).toContain('mark-removed');
    expect(await page.textContent('#changes .counts')).toMatch(/5 added · 1 removed/);
    await page.locator('#compare-from').blur();
    await screenshot(page, '04-compare-03-03-to-03-06', { docs: true });
  });

  it('shows a person\'s history with each change\'s source, and closes with Escape', async () => {
    await page.click('#chart article[data-unit="qwen"] li[data-person="lin-junyang"] button.person');
    await page.waitForSelector('#person[aria-busy="false"] h2');
    expect(new URL(page.url()).searchParams.get('person')).toBe('lin-junyang');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('person-title');
    const panel = (await page.textContent('#person'))!;
    expect(panel).toContain('Lin Junyang');
    expect(panel).toContain('Left Technical lead, Qwen — Resignation approved in Wu Yongming\'s internal mail');
    expect(panel).toContain('公司已决定批准林俊旸的辞职');
    expect(panel).toContain('南方都市报 (Southern Metropolis Daily), via Eastmoney Guba, published 5 Mar 2026, 05:01 UTC');
    await screenshot(page, '05-person-history');

    await page.keyboard.press('Escape');
    await page.waitForSelector('#person', { state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.dataset.person)).toBe('lin-junyang');
    expect(new URL(page.url()).searchParams.get('person')).toBeNull();
  });

  it('shows a mutation made meanwhile without a reload, and "known at" can look past it', async () => {
    await page.uncheck('#compare-on');
    await view('?asOf=2026-03-06');
    await page.waitForSelector('#live[data-status="live"]');
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    const ticks = await page.$$eval('.marks .tick', (t) => t.length);

    const source = { publisher: 'orgtime e2e', url: 'https://example.org/qwen-agents', publishedAt: '2026-03-05T18:00:00+08:00', quote: 'Qwen Agents is led by Tan Tester.' };
    const at = '2026-03-05T18:00:00+08:00';
    await mutate('registerPerson', { handle: 'tan-tester', name: 'Tan Tester', effectiveAt: at, source });
    await mutate('createOrgUnit', { handle: 'qwen-agents', name: 'Qwen Agents', kind: 'team', parent: 'qwen', effectiveAt: at, confidence: 'REPORTED', source });
    await mutate('assignRole', { person: 'tan-tester', unit: 'qwen-agents', title: 'Team lead', effectiveAt: at, source });

    await page.waitForSelector('#chart article[data-unit="qwen-agents"] li[data-person="tan-tester"]');
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    expect(await page.$$eval('.marks .tick', (t) => t.length)).toBe(ticks + 1); // one new moment on the timeline
    expect(await page.textContent('#live-text')).toContain('New in the log');
    await screenshot(page, '06-live-update');

    await page.click('#chart li[data-person="tan-tester"] button.person');
    await page.waitForSelector('#person[aria-busy="false"] a[href="https://example.org/qwen-agents"]');
    await page.click('#person button.close');

    // Known at the seed's recording: the three new events had not been recorded yet.
    const choices = await page.$$eval('#known-at option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(choices).toHaveLength(3); // latest, the mutations, the seed
    await page.selectOption('#known-at', choices[2]!);
    await page.waitForFunction(() => new URLSearchParams(location.search).has('knownAt'));
    await page.waitForSelector('#chart[aria-busy="false"]');
    expect(await page.$('#chart article[data-unit="qwen-agents"]')).toBeNull();
    await page.selectOption('#known-at', '');
    await page.waitForSelector('#chart article[data-unit="qwen-agents"]');
  });

  it('is usable from the keyboard, labels every control, and fits a phone', async () => {
    const phone = await context.newPage();
    phone.setDefaultTimeout(10_000);
    phone.on('pageerror', (error) => pageErrors.push(error.message));
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/?asOf=2026-03-06&min=REPORTED&compare=2026-03-03`);
    await phone.waitForSelector('#chart[aria-busy="false"][data-view="?asOf=2026-03-06&min=REPORTED&compare=2026-03-03"]');
    // The URL's state is the controls' state.
    expect(await phone.isChecked('input[name="min"][value="REPORTED"]')).toBe(true);
    expect(await phone.isChecked('#compare-on')).toBe(true);
    expect(await phone.inputValue('#compare-from')).toBe('2026-03-03');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await missingLabels(phone)).toEqual([]);

    // Skip link → chart → first person → Enter opens the history → Escape returns.
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the chart');
    await phone.keyboard.press('Enter');
    await phone.keyboard.press('Tab');
    const focused = await phone.evaluate(() => (document.activeElement as HTMLElement).dataset.person);
    expect(focused).toBe('wu-yongming');
    await phone.keyboard.press('Enter');
    await phone.waitForSelector('#person[aria-busy="false"] h2');
    expect(await phone.textContent('#person h2')).toContain('Wu Yongming');
    await screenshot(phone, '07-phone', { fullPage: true });
    await phone.keyboard.press('Escape');
    expect(await phone.evaluate(() => (document.activeElement as HTMLElement).dataset.person)).toBe('wu-yongming');
    await phone.close();
  });

  it('loaded nothing from another host and logged no error (a CSP violation would be one)', () => {
    expect(outsideRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
    const docs = path.join(ROOT, 'docs', 'screenshot-chart.png');
    if (existsSync(docs)) expect(statSync(docs).size).toBeLessThan(300_000);
  });
});

const mutate = async (name: string, input: Record<string, unknown>) => {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WRITE_TOKEN}` },
    body: JSON.stringify({ query: `mutation($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { userErrors { code message } } }`, variables: { input } }),
  });
  const body = (await response.json()) as { data?: Record<string, { userErrors: unknown[] }>; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  expect(body.data![name]!.userErrors).toEqual([]);
};
