// The browser page as a person uses it, in headless Chromium and Firefox (Debian's packages,
// driven by puppeteer-core): it loads cross-origin isolated, runs a Never test on Web Workers,
// draws the histogram with the model's grading, and posts a result the server accepts. The
// result is read from the DOM and from what the server received. SMPLAB_SCREENSHOT=<dir> saves
// a screenshot per browser.

import { join } from 'node:path';
import test from 'ava';
import puppeteer, { type LaunchOptions } from 'puppeteer-core';
import { type PageResult, pageTest } from '../../src/engines/browser/page-data.ts';
import { startServer } from '../../src/engines/browser/page-server.ts';
import { ENGINES } from '../../src/engines/registry.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';
import { absentEngine } from '../engines/presence.ts';
import { CORPUS_DIR } from '../litmus/kernel-tests.ts';

const RUNS = 200_000;
const NAMES = ['SB+fencembonceonces', 'SB+poonceonces'];

for (const engine of ENGINES.filter((e) => e.kind === 'browser')) {
  test.serial(
    `the page in headless ${engine.name}: a Never test runs, 0 witnesses, graded, posted back`,
    async (t) => {
      const at = engine.locate();
      if (!at) return absentEngine(t, engine);
      if (engine.kind !== 'browser') return;
      const tests = NAMES.map((n) => {
        const lt = loadLitmus(join(CORPUS_DIR, `${n}.litmus`));
        return pageTest(lt, checkModel(lt, 'lkmm'));
      });
      const posted: PageResult[] = [];
      const server = await startServer({
        tests,
        host: '127.0.0.1',
        port: 0,
        onResult: (r) => {
          posted.push(r);
          return 'results/test.json';
        },
      });
      const browser = await puppeteer.launch(engine.launchOptions(at, []) as LaunchOptions);
      try {
        const page = await browser.newPage();
        await page.setViewport({ width: 1100, height: 700 });
        await page.goto(
          `${server.url}?test=${encodeURIComponent(NAMES[0]!)}&runs=${RUNS}&size=50000&auto=1`,
        );
        t.true(
          await page.evaluate(() => crossOriginIsolated),
          'COOP/COEP make the page cross-origin isolated',
        );
        await page.waitForFunction(
          () => ['done', 'error'].includes(document.getElementById('status')!.dataset.state ?? ''),
          { timeout: 100_000, polling: 250 },
        );
        const dom = await page.evaluate(() => ({
          status: document.getElementById('status')!.textContent,
          summary: { ...document.getElementById('summary')!.dataset },
          rows: [...document.querySelectorAll<HTMLElement>('#histogram tbody tr')].map((tr) => ({
            state: tr.dataset.state ?? '',
            count: tr.dataset.count ?? '',
            grade: tr.querySelectorAll('td')[3]!.textContent,
          })),
          saved: document.getElementById('saved')!.textContent,
        }));
        if (process.env.SMPLAB_SCREENSHOT)
          await page.screenshot({
            path: join(process.env.SMPLAB_SCREENSHOT, `page-${engine.name}.png`),
          });
        t.is(dom.status, 'Done.');
        t.is(dom.summary.positive, '0', 'SB with smp_mb: no witness');
        t.is(dom.summary.outside, '0', 'no state outside lkmm');
        const seen = dom.rows.filter((r) => r.count !== '0');
        t.is(
          seen.reduce((n, r) => n + Number(r.count), 0),
          RUNS,
          'the bars sum to the runs',
        );
        for (const r of seen) t.is(r.grade, 'allowed');
        // Unseen rows are the model's allowed states the run did not reach; the witness is not one.
        const allowed = tests[0]!.model!.states.map(([st]) => st);
        for (const r of dom.rows) t.true(allowed.includes(r.state), `${r.state} is allowed`);
        t.false(dom.rows.some((r) => r.state === '0:r0=0; 1:r0=0;'));
        t.is(dom.saved, 'Saved by the server to results/test.json');
        t.is(posted.length, 1);
        t.is(posted[0]!.test, NAMES[0]!);
        t.is(posted[0]!.hw.runs, RUNS);
        t.is(posted[0]!.backend, 'hw', 'the page names the backend it ran (portable memory: hw)');
        t.is(posted[0]!.hw.memory, 'portable');
        t.false(posted[0]!.hw.partial);
      } finally {
        await browser.close();
        await server.close();
      }
    },
  );
}
