// The HTML report of a fixture results folder (test/fixtures/results: real runs of this lab,
// and one copied as if from an ARM board that showed a state lkmm forbids), opened in headless
// Chromium at 1280 px and at 390 px (a phone) and read through the DOM: one row per test,
// the failing test first and marked FAIL, nothing wider than the screen; each litmus page has
// its runs table, its execution graph as SVG (no two labels overlapping, no empty band) and a
// histogram chart per run; a scenario page shows what the CLI shows. Screenshots of every page
// at both widths go to SMPLAB_SCREENSHOT (default: a temporary folder), to look at by eye.
// Chromium is Debian's /usr/bin/chromium (CHROMIUM overrides); without it the test is skipped,
// except in CI (CI set), where a missing browser is a failure.

import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import puppeteer, { type Page } from 'puppeteer-core';
import { writeSite } from '../../src/report/html/site.ts';
import { readRecords } from '../../src/report/records.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/results', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.SMPLAB_SCREENSHOT ?? join(os.tmpdir(), 'smplab-report-shots');
const WIDTHS = [1280, 390];

const browserTest = existsSync(CHROMIUM) || process.env.CI ? test : test.skip;

/** Pairs of text boxes in a page's graphs that overlap, and the largest empty band (user units). */
function graphLayout(page: Page) {
  return page.$$eval('div.graph svg', (svgs) =>
    svgs.map((svg) => {
      const boxes = [...svg.querySelectorAll('text')].map((t) => {
        const b = (t as SVGGraphicsElement).getBBox();
        const m = (t as SVGGraphicsElement).getCTM();
        const x0 = b.x + (m?.e ?? 0);
        const y0 = b.y + (m?.f ?? 0);
        return { text: t.textContent ?? '', x0, y0, x1: x0 + b.width, y1: y0 + b.height };
      });
      const overlapping: string[] = [];
      boxes.forEach((a, i) => {
        for (const c of boxes.slice(i + 1))
          if (a.x0 < c.x1 - 0.5 && c.x0 < a.x1 - 0.5 && a.y0 < c.y1 - 0.5 && c.y0 < a.y1 - 0.5)
            overlapping.push(`${a.text} / ${c.text}`);
      });
      // Every drawn thing's vertical extent; a gap between them is an empty band.
      const spans = [...svg.querySelectorAll('text, g.node > path, g.node > polygon')]
        .map((e) => (e as SVGGraphicsElement).getBoundingClientRect())
        .map((r) => [r.top, r.bottom] as const)
        .sort((a, b) => a[0] - b[0]);
      const scale =
        svg.getBoundingClientRect().height / (svg as SVGSVGElement).viewBox.baseVal.height;
      let gap = 0;
      let reach = spans[0]?.[0] ?? 0;
      for (const [top, bottom] of spans) {
        gap = Math.max(gap, top - reach);
        reach = Math.max(reach, bottom);
      }
      return { overlapping, gap: gap / scale };
    }),
  );
}

browserTest(
  'the report opens in Chromium at 1280 px and on a phone, one row per test',
  async (t) => {
    t.timeout(240_000);
    const out = mkdtempSync(join(os.tmpdir(), 'smplab-html-'));
    t.teardown(() => rmSync(out, { recursive: true, force: true }));
    mkdirSync(SHOTS, { recursive: true });
    const read = readRecords(FIXTURE);
    t.deepEqual(read.skipped, []);
    const site = await writeSite(read, out, { log: true });
    t.deepEqual(site.failed, []);
    const pageOf = (prefix: string) => site.written.find((f) => f.startsWith(prefix))!;

    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
    });
    t.teardown(() => browser.close());
    const page = await browser.newPage();
    for (const width of WIDTHS) {
      await page.setViewport({ width, height: 900 });
      for (const file of site.written) {
        await page.goto(pathToFileURL(join(out, file)).href);
        await page.screenshot({
          path: join(SHOTS, `${width}-${file.replace(/\.html$/, '')}.png`),
          fullPage: true,
        });
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        t.true(wide <= width, `${file} at ${width} px is ${wide} px wide`);
      }
    }
    t.log(`screenshots: ${SHOTS}`);

    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    const rows = await page.$$eval('#tests tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
        return { status: cells[0], test: cells[1], runs: cells.at(-2) };
      }),
    );
    t.is(rows.length, 6, 'one row per test, its runs behind it');
    t.like(rows[0], { status: 'FAIL' });
    t.regex(rows[0]!.test!, /^SB\+fencembonceonces/);
    t.regex(rows[0]!.runs!, /^2 runs2 hosts · 1 engine$/);
    t.true(
      rows.slice(1).every((r) => r.status === 'OK'),
      JSON.stringify(rows),
    );

    // Each litmus page: its runs, one execution graph (labels apart, no empty band), the charts.
    const expectations: Record<string, { graph: RegExp; charts: number; runs: number }> = {
      'litmus-SB+fencembonceonces-': {
        graph: /forbidden under lkmm by propagation/,
        charts: 2,
        runs: 2,
      },
      'litmus-SB+poonceonces-': { graph: /a witness execution under lkmm/, charts: 1, runs: 1 },
      'litmus-MP+fencewmbonceonce+fencermbonceonce-': {
        graph: /forbidden under lkmm by happens-before/,
        charts: 0,
        runs: 0,
      },
    };
    for (const [prefix, want] of Object.entries(expectations)) {
      const file = pageOf(prefix);
      t.truthy(file, prefix);
      await page.goto(pathToFileURL(join(out, file)).href);
      const seen = await page.evaluate(() => ({
        graphs: [...document.querySelectorAll('div.graph svg')].map((s) => s.textContent ?? ''),
        nodes: document.querySelectorAll('div.graph svg g.node').length,
        charts: document.querySelectorAll('svg.chart').length,
        source: document.querySelector('pre.source')?.textContent ?? '',
        runs: document.querySelectorAll('table.runs tbody tr').length,
        identity: document.querySelector('p.identity')?.textContent ?? '',
      }));
      t.is(seen.graphs.length, 1, file);
      t.regex(seen.graphs[0]!, want.graph, file);
      t.true(seen.nodes >= 4, `${file}: ${seen.nodes} nodes`);
      t.is(seen.charts, want.charts, file);
      t.is(seen.runs, want.runs, file);
      t.regex(seen.source, /^C /, file);
      t.regex(seen.identity, /^File scenarios\/litmus\/.*\.litmus, hash [0-9a-f]{16,}/, file);
      for (const g of await graphLayout(page)) {
        t.deepEqual(g.overlapping, [], `${file}: labels overlap`);
        t.true(g.gap < 40, `${file}: an empty band of ${g.gap.toFixed(0)} units`);
      }
    }
    // The failing run's section says why, and draws the forbidden state's bar in its own colour.
    await page.goto(pathToFileURL(join(out, pageOf('litmus-SB+fencembonceonces-'))).href);
    const fail = await page.$$eval('p.FAIL', (ps) => ps.map((p) => p.textContent));
    t.deepEqual(fail, ['hw showed 1 state(s) lkmm forbids: 0:r0=0; 1:r0=0;']);
    t.is(await page.$$eval('rect.bar.forbidden', (r) => r.length), 1);
    t.deepEqual(await page.$$eval('ol.cycle li', (li) => li.map((l) => l.textContent)), [
      'b → c: fre',
      'c → d: strong fence: smp_mb() at 28:2',
      'd → a: fre',
      'a → b: strong fence: smp_mb() at 19:2',
    ]);
    const ablation = await page.$$eval('table.ablation tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent)),
    );
    t.deepEqual(ablation[0], ['element', 'change', 'verdict', 'necessary?', 'hw witnesses']);
    t.is(ablation.length, 1 + 6, 'two ONCE writes, two smp_mb(), two ONCE reads');
    t.deepEqual(ablation[2]!.slice(0, 4), [
      'P0: smp_mb() at 19:2',
      'removed',
      'Sometimes',
      'yes: allows 0:r0=0; 1:r0=0;',
    ]);

    // A scenario page shows what the CLI shows; a forbidden outcome never seen is not an alarm.
    await page.goto(pathToFileURL(join(out, pageOf('program-refcount-'))).href);
    t.deepEqual(await page.$$eval('table.outcomes th', (ths) => ths.map((th) => th.textContent)), [
      'outcome',
      'plain',
      'once',
      'atomic',
    ]);
    const zero = await page.$$eval('table.outcomes td', (tds) =>
      tds.filter((td) => td.textContent === '0 forbidden').map((td) => td.className),
    );
    t.deepEqual(zero, ['num quiet', 'num quiet', 'num quiet']);
    t.deepEqual(await page.$$eval('td.failure, td.FAIL', (x) => x.length), 0);
    t.regex(await page.$eval('table.metrics', (x) => x.textContent ?? ''), /lost updates/);

    await page.goto(pathToFileURL(join(out, pageOf('program-atomic-bool-'))).href);
    const metrics = await page.$eval('table.metrics', (x) => x.textContent ?? '');
    t.regex(metrics, /flag visible p99/);
    t.regex(metrics, /\d (µs|ms|ns)/, 'latencies in readable units');
    t.regex(
      await page.$eval('ul.variants', (x) => x.textContent ?? ''),
      /release-acquire: smp_store_release/,
    );
    t.regex(await page.$eval('p.notes', (x) => x.textContent ?? ''), /x86-64 is TSO/);

    await page.goto(pathToFileURL(join(out, pageOf('program-mmu-lock-yield-'))).href);
    t.regex(
      await page.$eval('pre.stalls', (x) => x.textContent ?? ''),
      /yield-no-guard: no progress, expected: thread zapper silent/,
    );
  },
);
