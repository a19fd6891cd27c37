// The HTML report in a real browser: headless Chromium opens index.html from
// disk (file://), with every non-file request refused, and the page must load
// without errors and show the numbers results.json holds.
//
// Needs Chromium at /usr/bin/chromium (Debian package `chromium`, listed in
// .ci/apt-packages) or at $PQC_CHROMIUM; skipped with a message when absent.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { STATUSES, type Results } from '../model/results.ts';
import { writeReports } from '../reports/write.ts';
import { kase, mixedRun, results } from './report-fixtures.ts';
import { env, inCI } from '../model/config.ts';

// tsconfig has no DOM lib (the harness is Node code): the few browser-side
// functions below type what they touch.
interface DomEl {
  getAttributeNames(): string[];
  getAttribute(n: string): string | null;
  textContent: string | null;
  open?: boolean;
}
interface BrowserGlobals {
  document: { querySelectorAll(sel: string): { length: number } };
  DOMParser: new () => { parseFromString(s: string, type: string): { getElementsByTagName(n: string): { length: number } } };
}

const CHROMIUM = env('PQC_CHROMIUM') ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** mixedRun plus passing cases over more parameter sets and suites. */
function richRun(): Results {
  const base = mixedRun();
  const extra = [
    ...['ML-KEM-512', 'ML-KEM-1024'].flatMap((p) => [1, 2, 3].map((i) => kase({ id: `${p}/kg/${i}`, parameterSet: p as 'ML-KEM-512' }))),
    ...[1, 2, 3, 4].map((i) => kase({ id: `ed/${i}`, backend: 'rust', family: 'ML-KEM-encapDecap', op: 'kem.decaps' })),
    kase({ id: 'w/1', backend: 'noble', suite: 'wycheproof', family: 'mlkem_768_encaps', op: 'kem.encaps' }),
  ];
  return results([...base.cases, ...extra]);
}

// In CI a missing browser is a failure, not a quiet skip.
it.runIf(!existsSync(CHROMIUM) && inCI())('Chromium is installed (CI)', () => {
  expect.fail(`no Chromium at ${CHROMIUM}: install the Debian package listed in .ci/apt-packages, or set PQC_CHROMIUM`);
});

describe.skipIf(!existsSync(CHROMIUM))('HTML report in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let res: Results;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  let files: { json: string; junit: string; html: string };

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pqc-html-'));
    files = await writeReports(richRun(), dir);
    res = JSON.parse(await readFile(files.json, 'utf8')) as Results;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      requests.push(url);
      return url.startsWith('file://') ? route.continue() : route.abort();
    });
    await page.goto(pathToFileURL(files.html).href, { waitUntil: 'load' });
    await page.waitForSelector('html[data-ready="1"]');
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads from file:// with no network, no console errors and no page errors', () => {
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(requests).toEqual([pathToFileURL(files.html).href]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('shows the summary totals of results.json', async () => {
    const counts = await page.$$eval('[data-status-count]', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-status'), Number(e.getAttribute('data-status-count'))])));
    for (const st of [...STATUSES, 'findings'] as const) expect(counts[st], st).toBe(res.summary[st]);
    expect(counts.total).toBe(res.cases.length);
    // the visible numbers are the same as the attributes
    const visible = await page.$$eval('.stat', (els) => els.map((e) => [e.getAttribute('data-status'), Number(e.querySelector('.n')!.textContent)]));
    for (const [st, n] of visible) expect(n).toBe(counts[st as string]);
    const embedded = JSON.parse((await page.textContent('#results-summary'))!);
    expect(embedded.summary).toEqual(res.summary);
    expect(await page.textContent('#verdict')).toBe('FAIL');
    expect(await page.title()).toBe('pqc-harness report: FAIL');
  });

  it('matrix cells equal counts computed from results.json', async () => {
    const cells = await page.$$eval('td.cell[data-backend]', (els: DomEl[]) =>
      els.map((e): Record<string, string | null> => ({ ...Object.fromEntries(e.getAttributeNames().filter((n) => n.startsWith('data-')).map((n) => [n.slice(5), e.getAttribute(n)])), text: e.textContent })),
    );
    const keys = new Set(res.cases.map((c) => `${c.backend}|${c.parameterSet}|${c.suite}`));
    expect(cells.length).toBe(keys.size);
    for (const cell of cells) {
      const mine = res.cases.filter((c) => c.backend === cell.backend && c.parameterSet === cell.param && c.suite === cell.suite);
      for (const st of STATUSES) expect(Number(cell[st]), `${cell.backend} ${cell.param} ${cell.suite} ${st}`).toBe(mine.filter((c) => c.status === st).length);
      expect(Number(cell.findings)).toBe(mine.reduce((n, c) => n + c.findings.length, 0));
    }
    const nobleKem = cells.find((c) => c.backend === 'noble' && c.param === 'ML-KEM-768' && c.suite === 'acvp')!;
    expect(nobleKem.verdict).toBe('fail');
    expect(nobleKem.text).toContain('FAIL');
    const nobleKem512 = cells.find((c) => c.backend === 'noble' && c.param === 'ML-KEM-512' && c.suite === 'acvp')!;
    expect(nobleKem512).toMatchObject({ verdict: 'pass', pass: '3', fail: '0' });
    expect(await page.isVisible('td.cell.v-fail')).toBe(true);
  });

  it("a failing case's details show expected vs got", async () => {
    const details = page.locator('details.case[data-case-id="kg/3"]');
    await details.locator('summary').click();
    expect(await details.evaluate((d: DomEl) => d.open)).toBe(true);
    const row = details.locator('table.cmp tr.differs');
    await expect.poll(() => row.isVisible()).toBe(true);
    expect(await row.locator('th').textContent()).toBe('ek');
    expect(await row.locator('td.expected code').textContent()).toBe(`${'aa'.repeat(8)}…${'aa'.repeat(8)} (1184 bytes)`);
    expect(await row.locator('td.got code').textContent()).toBe(`${'ab'.repeat(8)}…${'ab'.repeat(8)} (1184 bytes)`);
    expect(await row.locator('td.got code').getAttribute('title')).toBe('ab'.repeat(1184));
    expect(await details.locator('.reason').textContent()).toBe('ek mismatch <&>"\'');
    await row.locator('td.got button.copy').click();
    await expect.poll(() => row.locator('td.got button.copy').textContent()).toBe('copied');
    expect(pageErrors).toEqual([]);
  });

  it('crash details show the signal, stderr as text, and frames', async () => {
    const crash = page.locator('details.case[data-case-id="sig/1"]');
    await crash.locator('summary').click();
    expect(await crash.locator('.crash').textContent()).toContain('signal SIGABRT');
    expect(await crash.locator('pre.stderr').textContent()).toContain('<script>alert(1)</script>');
    expect(await crash.locator('ol.frames li').count()).toBe(4);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.querySelectorAll('body script:not([type])').length)).toBe(1); // no injected script
  });

  it('expand all opens every section; junit.xml parses in the browser', async () => {
    await page.click('#expand-all');
    expect(await page.$$eval('main details', (ds) => ds.every((d: DomEl) => d.open))).toBe(true);
    const xml = await readFile(files.junit, 'utf8');
    const parsed = await page.evaluate((x) => {
      const d = new (globalThis as unknown as BrowserGlobals).DOMParser().parseFromString(x, 'application/xml');
      return { error: d.getElementsByTagName('parsererror').length, testcases: d.getElementsByTagName('testcase').length };
    }, xml);
    expect(parsed).toEqual({ error: 0, testcases: res.cases.length });
  });
});
