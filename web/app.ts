// The browser runner's page: pick a litmus test, run it on this device's CPUs (Web Workers on
// a SharedArrayBuffer, the same batch loop as on Node), watch the histogram grow, each state
// graded by the model's verdict the server computed, and send the result back to the server,
// which saves it beside the Node runs. Query parameters (used by the headless driver):
// test, runs, size, memory (x86|portable), seed, flags (as given to the browser), auto=1, and
// the knobs (start, delay, pad, stride, order, stress: the Knobs box, knobs-form.ts).

import type { PageResult, PageTest } from '../src/engines/browser/page-data.ts';
import { observationOf, observedKeys, type Test, testFromWire } from '../src/litmus/ir.ts';
import {
  addToHistogram,
  type Histogram,
  satisfies,
  sortedKeys,
  witnessCounts,
} from '../src/litmus/state.ts';
import { MEMORY_KIND_NAMES, type MemoryKindName } from '../src/memory/kinds.ts';
import { DEFAULT_KNOBS, type Knobs } from '../src/runtime/litmus/knobs.ts';
import { defaultHwSize, type RunsResult, runLitmusOnHw } from '../src/runtime/litmus/run.ts';
import { webHost } from '../src/runtime/pool/web-host.ts';
import { knobsForm } from './knobs-form.ts';

/** Instances per round: the histogram is redrawn between rounds (each starts fresh workers). */
const ROUND_BATCHES = 5;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);
/**
 * The runs the page offers: a backend that runs threads and the memory object its CPUs get. A
 * page cannot know its CPU (a Mac on ARM says "Intel" in its user agent), so hw is `portable`,
 * sound on any CPU, and `x86` only when the driver on this machine asks for it; the emulated
 * weak CPU whatever the device. The result names its backend: the server grades it as that
 * backend's run.
 */
const requested = MEMORY_KIND_NAMES.find((m) => m === params.get('memory'));
const offered: { backend: string; memory: MemoryKindName }[] = [
  { backend: 'hw', memory: 'portable' },
  ...(requested === 'x86' ? [{ backend: 'hw', memory: 'x86' as const }] : []),
  { backend: 'weak', memory: 'weak' },
];
const memory = (): MemoryKindName => $<HTMLSelectElement>('memory').value as MemoryKindName;
const backend = (): string => offered.find((o) => o.memory === memory())?.backend ?? 'hw';
const seed = Number(params.get('seed') ?? 1);
/** Every CPU of the page: the batch loop bundled as /cpu.js (workers/litmus-cpu-web.ts), stress workers as /stress.js. */
const host = webHost({ litmus: '/cpu.js', scenario: '/cpu.js', stress: '/stress.js' });
/** A served test with its IR back as a Test (registerInit a Map again). */
type LoadedTest = Omit<PageTest, 'test'> & { test: Test };
let tests: LoadedTest[] = [];
let abort: AbortController | undefined;
/** The knobs box's values (filled from the query in init). */
let knobs: () => Knobs = () => ({ ...DEFAULT_KNOBS });

async function init(): Promise<void> {
  $('device').textContent =
    `${navigator.userAgent} — ${navigator.hardwareConcurrency} logical CPUs — ` +
    (crossOriginIsolated
      ? 'cross-origin isolated'
      : 'NOT cross-origin isolated: no SharedArrayBuffer');
  const served = (await (await fetch('/api/tests')).json()) as PageTest[];
  tests = served.map((t) => ({ ...t, test: testFromWire(t.test) }));
  const select = $<HTMLSelectElement>('test');
  for (const t of tests)
    select.add(new Option(`${t.name}${t.expected ? ` (${t.expected})` : ''}`, t.name));
  if (params.get('test')) select.value = params.get('test')!;
  const memories = $<HTMLSelectElement>('memory');
  for (const { memory: m } of offered) memories.add(new Option(m, m));
  memories.value = requested ?? 'portable';
  memories.onchange = () => showTest(current());
  if (params.get('runs')) $<HTMLInputElement>('runs').value = params.get('runs')!;
  knobs = knobsForm($('knobs'), params);
  select.onchange = () => showTest(current());
  $('run').onclick = () => void run();
  $('stop').onclick = () => abort?.abort();
  showTest(current());
  if (params.get('auto') === '1') void run();
}

const current = (): LoadedTest =>
  tests.find((t) => t.name === $<HTMLSelectElement>('test').value) ?? tests[0]!;

function showTest(t: LoadedTest): void {
  const model = t.model
    ? `model ${t.model.name}: ${t.model.observation}, ${t.model.states.length} final states allowed`
    : 'no model verdict';
  $('about').textContent =
    `${t.file} — Result line: ${t.expected ?? '-'} — ${model} — memory ${memory()}`;
  draw(t, new Map());
}

async function run(): Promise<void> {
  const t = current();
  const total = Number($<HTMLInputElement>('runs').value);
  if (!Number.isSafeInteger(total) || total < 1)
    return status('error', 'Runs must be a whole number above 0.');
  if (!crossOriginIsolated)
    return status(
      'error',
      'This page is not cross-origin isolated, so it has no SharedArrayBuffer: open it over HTTPS (smplab serve --tls-cert/--tls-key) or as localhost (adb reverse); see the README.',
    );
  // The batch size the runner would pick on this device, unless the driver gave one.
  const size = Math.min(Number(params.get('size') ?? defaultHwSize(t.test)), total);
  let chosen: Knobs;
  try {
    chosen = knobs();
  } catch (e) {
    return status('error', `Knobs: ${e instanceof Error ? e.message : String(e)}`);
  }
  abort = new AbortController();
  setRunning(true);
  const histogram: Histogram = new Map();
  let last: RunsResult | undefined;
  let done = 0;
  let elapsedMs = 0;
  try {
    while (done < total && !abort.signal.aborted) {
      const runs = Math.min(total - done, size * ROUND_BATCHES);
      last = await runLitmusOnHw(
        { test: t.test, settings: { ...chosen, runs, size, seed }, memory: memory() },
        { signal: abort.signal, onProgress: (d) => progress(done + d, total) },
        host,
      );
      for (const o of last.histogram.values()) addToHistogram(t.test, histogram, o.values, o.count);
      done += last.runs;
      elapsedMs += last.elapsedMs;
      draw(t, histogram);
      progress(done, total);
    }
  } catch (e) {
    setRunning(false);
    return status('error', `Failed: ${e instanceof Error ? e.message : String(e)}`);
  }
  setRunning(false);
  const partial = done < total;
  const hw = {
    ...last!,
    histogram: Object.fromEntries(histogram),
    runs: done,
    elapsedMs,
    partial,
    stoppedBy: partial ? ('signal' as const) : ('done' as const),
  };
  summarize(t, histogram, done, elapsedMs, partial);
  await send({
    test: t.name,
    backend: backend(),
    hw,
    device: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      browserVersion: await fullChromiumVersion(),
    },
    flags: params.get('flags')?.split(' ').filter(Boolean) ?? [],
  });
}

function draw(t: LoadedTest, h: Histogram): void {
  const allowed = new Map(t.model?.states ?? []);
  const rows = sortedKeys(h.keys()).map((s) => [s, h.get(s)!] as const);
  const max = Math.max(1, ...rows.map(([, o]) => o.count));
  const body = $('histogram').querySelector('tbody')!;
  body.replaceChildren();
  const row = (state: string, n: number | undefined) => {
    const tr = document.createElement('tr');
    const seen = h.get(state);
    const witness = seen ? satisfies(t.test, seen.values) : allowed.get(state) === true;
    const grade = !t.model ? '-' : allowed.has(state) ? 'allowed' : 'FORBIDDEN — outside the model';
    tr.className = [
      witness ? 'witness' : '',
      t.model && !allowed.has(state) ? 'forbidden' : '',
      n === undefined ? 'unseen' : '',
    ]
      .join(' ')
      .trim();
    tr.dataset.state = state;
    tr.dataset.count = String(n ?? 0);
    tr.innerHTML = `<td class="count"></td><td>${witness ? '*&gt;' : ':&gt;'}</td><td></td><td></td><td><div class="bar"></div></td>`;
    const cells = tr.querySelectorAll('td');
    cells[0]!.textContent = n === undefined ? 'not seen' : n.toLocaleString('en-US');
    cells[2]!.textContent = state;
    cells[3]!.textContent = grade;
    if (grade.startsWith('FORBIDDEN')) cells[3]!.className = 'forbidden-grade';
    (cells[4]!.firstChild as HTMLElement).style.width =
      n === undefined ? '0' : `${(100 * n) / max}%`;
    body.append(tr);
  };
  for (const [s, o] of rows) row(s, o.count);
  for (const [s] of allowed) if (!h.has(s)) row(s, undefined);
}

function summarize(t: LoadedTest, h: Histogram, runs: number, ms: number, partial: boolean): void {
  const { positive, negative } = witnessCounts(t.test, h);
  const outside = t.model
    ? [...h.keys()].filter((s) => !t.model!.states.some(([m]) => m === s)).length
    : 0;
  const el = $('summary');
  el.dataset.positive = String(positive);
  el.dataset.negative = String(negative);
  el.dataset.outside = String(outside);
  el.dataset.keys = String(observedKeys(t.test).length);
  el.textContent =
    `Witnesses Positive: ${positive}, Negative: ${negative} — Observation ${t.name} ${observationOf(positive, negative)} ${positive} ${negative}` +
    ` — ${((runs * 1000) / Math.max(1, ms) / 1e6).toFixed(2)} M runs/s` +
    (outside ? ` — ${outside} states OUTSIDE THE MODEL` : '') +
    (partial ? ' — PARTIAL (stopped)' : '');
}

/** Chromium's user agent says `Chrome/156.0.0.0`; its client hints give the full version. */
async function fullChromiumVersion(): Promise<string | undefined> {
  const data = (
    navigator as {
      userAgentData?: {
        getHighEntropyValues(
          h: string[],
        ): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
      };
    }
  ).userAgentData;
  if (!data) return undefined;
  try {
    const { fullVersionList = [] } = await data.getHighEntropyValues(['fullVersionList']);
    return fullVersionList.find((b) => /Chrom/.test(b.brand))?.version;
  } catch {
    // Client hints refused (a privacy setting): the user agent's version stands.
    return undefined;
  }
}

async function send(result: PageResult): Promise<void> {
  try {
    const res = await fetch('/api/result', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(result),
    });
    const text = await res.text();
    if (!res.ok) return status('error', `The server refused the result: ${text}`);
    $('saved').textContent =
      `Saved by the server to ${(JSON.parse(text) as { saved: string }).saved}`;
    status('done', 'Done.');
  } catch (e) {
    status('error', `Could not send the result: ${String(e)}`);
  }
}

function progress(done: number, total: number): void {
  $<HTMLProgressElement>('progress').value = done / total;
  status('running', `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs`);
}

function status(state: 'idle' | 'running' | 'done' | 'error', text: string): void {
  const el = $('status');
  el.dataset.state = state;
  el.textContent = text;
}

function setRunning(on: boolean): void {
  $<HTMLButtonElement>('run').disabled = on;
  $<HTMLButtonElement>('stop').disabled = !on;
  $<HTMLSelectElement>('test').disabled = on;
  $<HTMLSelectElement>('memory').disabled = on;
  for (const f of $('knobs').querySelectorAll<HTMLInputElement>('input, select')) f.disabled = on;
}

void init().catch((e: unknown) => status('error', `Could not load the tests: ${String(e)}`));
