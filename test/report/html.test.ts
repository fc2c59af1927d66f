// The HTML report of a fixture results folder (test/fixtures/results: real runs of this lab,
// and one copied as if from an ARM board that showed a state lkmm forbids), opened in headless
// Chromium and read through the DOM: every test is listed, the failing run first and marked
// FAIL, each litmus page has its execution graph as SVG and a histogram chart per run.
// Chromium is Debian's /usr/bin/chromium (CHROMIUM overrides); without it the test is skipped,
// except in CI (CI set), where a missing browser is a failure.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import test from 'ava';
import puppeteer from 'puppeteer-core';
import { writeSite } from '../../src/report/html/site.ts';
import { readRecords } from '../../src/report/records.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/results', import.meta.url));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** Where the screenshot of the index goes, to look at by eye (SMPLAB_SCREENSHOT moves it). */
const SCREENSHOT = process.env.SMPLAB_SCREENSHOT ?? join(os.tmpdir(), 'smplab-report-index.png');

const browserTest = existsSync(CHROMIUM) || process.env.CI ? test : test.skip;

browserTest(
  'the report of a results folder opens in Chromium with its tests, verdicts and graphs',
  async (t) => {
    t.timeout(180_000);
    const out = mkdtempSync(join(os.tmpdir(), 'smplab-html-'));
    t.teardown(() => rmSync(out, { recursive: true, force: true }));
    const read = readRecords(FIXTURE);
    t.deepEqual(read.skipped, []);
    const files = await writeSite(read, out, { log: true });

    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
    });
    t.teardown(() => browser.close());
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    const rows = await page.$$eval('#runs tr', (trs) =>
      trs.slice(1).map((tr) => {
        const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
        return { status: cells[0], name: cells[1], hw: cells[5], host: cells.at(-4) };
      }),
    );
    t.deepEqual([...new Set(rows.map((r) => r.name))].sort(), [
      'MP+fencewmbonceonce+fencermbonceonce',
      'SB+fencembonceonces',
      'SB+poonceonces',
      'refcount',
    ]);
    t.like(rows[0], {
      status: 'FAIL',
      name: 'SB+fencembonceonces',
      host: 'arm64 Fixture ARM board 4 CPUs',
    });
    t.true(
      rows.slice(1).every((r) => r.status === 'OK'),
      JSON.stringify(rows),
    );
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    t.log(`index screenshot: ${SCREENSHOT}`);

    // Each litmus page: one execution graph drawn by Graphviz, one chart per hw run.
    const expectations: Record<string, { graph: RegExp; charts: number }> = {
      'litmus-SB+fencembonceonces.html': {
        graph: /forbidden under lkmm by propagation/,
        charts: 2,
      },
      'litmus-SB+poonceonces.html': { graph: /a witness execution under lkmm/, charts: 1 },
      'litmus-MP+fencewmbonceonce+fencermbonceonce.html': {
        graph: /forbidden under lkmm by happens-before/,
        charts: 0,
      },
    };
    for (const [file, want] of Object.entries(expectations)) {
      t.true(files.includes(file), file);
      await page.goto(pathToFileURL(join(out, file)).href);
      const seen = await page.evaluate(() => ({
        graphs: [...document.querySelectorAll('.graph svg')].map((s) => s.textContent ?? ''),
        nodes: document.querySelectorAll('.graph svg g.node').length,
        charts: document.querySelectorAll('svg.chart').length,
        source: document.querySelector('pre.source')?.textContent ?? '',
      }));
      t.is(seen.graphs.length, 1, file);
      t.regex(seen.graphs[0]!, want.graph, file);
      t.true(seen.nodes >= 4, `${file}: ${seen.nodes} nodes`);
      t.is(seen.charts, want.charts, file);
      t.regex(seen.source, /^C /, file);
    }
    // The failing run's page says why, and draws the forbidden state's bar in its own colour.
    await page.goto(pathToFileURL(join(out, 'litmus-SB+fencembonceonces.html')).href);
    const fail = await page.$$eval('p.FAIL', (ps) => ps.map((p) => p.textContent));
    t.deepEqual(fail, ['hw showed 1 state(s) lkmm, tso forbids: 0:r0=0; 1:r0=0;']);
    t.is(await page.$$eval('rect.bar.forbidden', (r) => r.length), 1);
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

    await page.goto(pathToFileURL(join(out, 'program-refcount.html')).href);
    const variants = await page.$$eval('table.outcomes th', (ths) =>
      ths.map((th) => th.textContent),
    );
    t.deepEqual(variants, ['outcome', 'plain', 'once', 'atomic']);
  },
);
