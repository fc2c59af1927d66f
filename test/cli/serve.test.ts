// `smplab serve` as a browser meets it: cross-origin isolation headers on every response, the
// tests with their model verdicts, and a posted result written to results/ as a litmus record
// tagged with the browser, its engine and the device; a malformed result is refused.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { resultFiles, serve } from './smplab.ts';

const FIREFOX_UA = 'Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0';

test('serve: COOP/COEP, the tests with verdicts, a posted result saved and tagged', async (t) => {
  const { url: served, results } = await serve(t, '--host', '127.0.0.1');
  const url = served.href;
  {
    const page = await fetch(url);
    t.is(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    t.is(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    t.regex(await page.text(), /<select id="test">/);
    const cpu = await fetch(new URL('/cpu.js', url));
    t.is(cpu.headers.get('content-type'), 'text/javascript; charset=utf-8');
    t.notRegex(await cpu.text(), /from ['"]node:/, 'the CPU bundle has no Node import');

    const tests = (await (await fetch(new URL('/api/tests', url))).json()) as {
      name: string;
      model: { observation: string; states: [string, boolean][] };
    }[];
    t.deepEqual(
      tests.map((x) => x.name),
      ['SB+poonceonces'],
    );
    t.is(tests[0]!.model.observation, 'Sometimes');
    t.is(tests[0]!.model.states.length, 4);

    const bad = await fetch(new URL('/api/result', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"test":"SB+poonceonces"}',
    });
    t.is(bad.status, 400);
    t.is(await bad.text(), 'hw.histogram is required');

    const hw = {
      histogram: {
        '0:r0=0; 1:r0=0;': { values: [0, 0], count: 3 },
        '0:r0=1; 1:r0=0;': { values: [1, 0], count: 7 },
      },
      runs: 10,
      elapsedMs: 1,
      partial: false,
      memory: 'portable',
    };
    const wrongWidth = { ...hw, histogram: { x: { values: [0], count: 1 } } };
    const refused = await fetch(new URL('/api/result', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        test: 'SB+poonceonces',
        hw: wrongWidth,
        device: { userAgent: FIREFOX_UA, hardwareConcurrency: 8 },
      }),
    });
    t.is(refused.status, 400);
    t.is(await refused.text(), 'hw.histogram: a state of 1 values, the test has 2');
    const device = { userAgent: FIREFOX_UA, hardwareConcurrency: 8 };
    const ok = await fetch(new URL('/api/result', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ test: 'SB+poonceonces', hw, device }),
    });
    t.is(ok.status, 200, await ok.clone().text());
    const [file] = resultFiles(results);
    const record = JSON.parse(readFileSync(join(results, file!), 'utf8'));
    t.is(record.kind, 'litmus');
    t.like(record.engine, { name: 'firefox', version: '128.0', jsEngine: 'SpiderMonkey' });
    t.deepEqual(record.host.device, device);
    t.is(record.host.cores, 8);
    t.is(record.host.arch, 'unknown (browser)', 'the server does not claim its own CPU for a page');
    t.deepEqual(record.backends.hw.runs.histogram, hw.histogram);
    t.is(record.backends.hw.runs.memory, 'portable');
    t.is(record.backends.model.verdict.observation, 'Sometimes');

    // The backend is the page's word, not guessed from the memory object.
    const post = (body: object) =>
      fetch(new URL('/api/result', url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ test: 'SB+poonceonces', device, ...body }),
      });
    const weak = await post({ backend: 'weak', hw: { ...hw, memory: 'weak', seed: 3 } });
    t.is(weak.status, 200, await weak.clone().text());
    const saved = resultFiles(results).map((f) =>
      JSON.parse(readFileSync(join(results, f), 'utf8')),
    );
    const weakRecord = saved.find((r) => r.backends.weak);
    t.deepEqual(Object.keys(weakRecord.backends), ['model', 'weak']);
    t.is(weakRecord.backends.weak.runs.memory, 'weak');
    const unknown = await post({ backend: 'model', hw });
    t.is(unknown.status, 400);
    t.is(await unknown.text(), 'no backend here named model runs threads (there are hw, weak)');
  }
});
