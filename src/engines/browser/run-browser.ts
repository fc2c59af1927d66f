// Running the hw part of litmus tests in a headless browser: serve the page for these tests
// on a loopback port, open it with puppeteer-core in Debian's browser (Chromium over CDP,
// Firefox over WebDriver BiDi) or in a browser already running elsewhere (--browser-url: a
// phone; remote.ts serves it the page over the DevTools connection), let it run and post its
// result, and follow its progress from the DOM (through page-control.ts: one call at a time,
// none while the page closes). Ctrl-C presses the page's Stop button: the page sends what it
// collected, partial. The signals are this process's to handle (cli/interrupt.ts):
// puppeteer's own handlers, which kill the browser and exit at once (SIGINT) or close it under
// the page (SIGHUP, SIGTERM), are off, so a stopped run keeps its table and record as a run on
// Node does. A signal while the browser starts (seconds, minutes on a busy machine) stops the
// start itself, and the run ends at once as a run on Node stopped before its CPUs began: 0 runs,
// partial (waiting for the browser only to press Stop took as long as the start).

import puppeteer, { type Browser, type LaunchOptions, type Page } from 'puppeteer-core';
import { UserError } from '../../errors.ts';
import type { Test } from '../../litmus/ir.ts';
import type { MemoryKindName } from '../../memory/kinds.ts';
import { checkModel, type Verdict } from '../../model/index.ts';
import { hostInfo } from '../../runtime/host.ts';
import type { HwHooks } from '../../runtime/litmus/cpus.ts';
import { KNOB_NAMES } from '../../runtime/litmus/knobs.ts';
import { defaultHwSize, type LitmusJob, type RunsResult } from '../../runtime/litmus/run.ts';
import { knobsOf, type ThreadsSettings } from '../../runtime/litmus/settings.ts';
import type { BrowserEngine, Located } from '../engine.ts';
import { type RunnerRequest, runsFromWire } from '../runner-protocol.ts';
import { asFault, PageControl } from './page-control.ts';
import { histogramFromPage, type PageResult, pageTest } from './page-data.ts';
import { pageHost } from './page-host.ts';
import { startServer } from './page-server.ts';
import { connectBrowser, servePageOverDevtools } from './remote.ts';

/** How often the driver reads the page's progress. */
const POLL_MS = 250;
/** How long the page's grading may take the model (the driver's own grading is separate). */
const PAGE_MODEL_TIMEOUT_MS = 10_000;
/** A browser that has not shown the page after this long is a failure. */
export const BROWSER_START_TIMEOUT_MS = 60_000;

/** One test run in an open browser session; tests are those the session was opened with. */
export type BrowserRun = (job: LitmusJob, hooks: HwHooks) => Promise<RunsResult>;

export async function runInBrowser(
  engine: BrowserEngine,
  at: Located,
  request: RunnerRequest,
  hooks: HwHooks,
): Promise<RunsResult> {
  const { test } = request;
  return withBrowser(
    engine,
    at,
    request.flags,
    [{ test, verdict: pageVerdict(test) }],
    (run) => run(request, hooks),
    hooks.signal,
  );
}

/** The page grades what it shows by lkmm; a model that gives up leaves the page ungraded. */
function pageVerdict(test: Test): Verdict | undefined {
  try {
    return checkModel(test, 'lkmm', { timeoutMs: PAGE_MODEL_TIMEOUT_MS });
  } catch {
    // The driver grades the result itself (soundness.ts); the page only shows counts then.
    return undefined;
  }
}

/**
 * One server and one headless browser for several runs (the suite runs every Never test in one
 * session): `body` gets a function that runs one test on a fresh page. `signal` stops the
 * browser's start (each run then ends at once with 0 runs); once it has started, each run's
 * hooks stop it.
 */
export async function withBrowser<T>(
  engine: BrowserEngine,
  at: Located,
  flags: string[],
  tests: { test: Test; verdict: Verdict | undefined }[],
  body: (run: BrowserRun) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  let deliver: ((r: PageResult) => void) | undefined;
  const server = await startServer({
    tests: tests.map((t) => pageTest(t.test, t.verdict)),
    host: '127.0.0.1',
    port: 0,
    onResult: (r) => {
      deliver?.(r);
      return `the ${engine.name} driver`;
    },
  });
  let browser: Browser | undefined;
  try {
    browser = at.remote ? await connectBrowser(at.path) : await launch(engine, at, flags, signal);
    if (!browser) return await body(async (job) => nothingRan(job, engine, at, flags));
    const b = browser;
    const version = await asFault(`${engine.name} did not say its version`, () => b.version());
    return await body(async (job, hooks) => {
      const posted = new Promise<PageResult>((resolve) => {
        deliver = resolve;
      });
      const page = await asFault(`${engine.name} did not open a page`, () => b.newPage());
      const control = new PageControl(page);
      try {
        await asFault(`${engine.name} did not load the page`, () =>
          openPage(page, job, at, flags, server.url),
        );
        const where = { version, remote: at.remote === true };
        return await followPage(control, posted, job, hooks, where);
      } finally {
        await control.close();
      }
    });
  } finally {
    // A browser we started is closed; one that was running (a phone) is left as it was.
    if (at.remote) await browser?.disconnect().catch(() => undefined);
    else await browser?.close().catch(() => undefined);
    await server.close();
  }
}

/** Loads the page of `job`'s test, its settings in the query (the time budget is ours). */
async function openPage(page: Page, job: LitmusJob, at: Located, flags: string[], url: string) {
  const { test, settings } = job;
  const origin = at.remote ? await servePageOverDevtools(page, url) : url;
  // The page's query parameters are its settings (web/app.ts), the knobs among them (size too).
  const query = new URLSearchParams({
    test: test.name,
    runs: String(settings.runs),
    ...knobsQuery(settings),
    memory: pageMemory(job.memory, at),
    seed: String(settings.seed),
    flags: flags.join(' '),
    auto: '1',
  });
  await page.goto(`${new URL('/', origin)}?${query}`, { timeout: BROWSER_START_TIMEOUT_MS });
}

/** Each knob the run has, as the page's query reads it (web/knobs-form.ts): `start=flag`. */
function knobsQuery(settings: ThreadsSettings): Record<string, string> {
  return Object.fromEntries(
    KNOB_NAMES.flatMap((k) => (settings[k] === undefined ? [] : [[k, String(settings[k])]])),
  );
}

/**
 * The page's memory object: the run's, except that the x86 mapping is only sound on this
 * machine's x86 CPU; a browser elsewhere (a phone's ARM CPU) gets the portable one.
 */
function pageMemory(memory: MemoryKindName, at: Located): MemoryKindName {
  return at.remote && memory === 'x86' ? 'portable' : memory;
}

/** Waits for the page's result, showing its progress; Ctrl-C presses Stop. */
export async function followPage(
  page: PageControl,
  posted: Promise<PageResult>,
  job: LitmusJob,
  hooks: HwHooks,
  browser: { version: string; remote: boolean },
): Promise<RunsResult> {
  const onAbort = () => void page.pressStop().catch(() => undefined);
  hooks.signal?.addEventListener('abort', onAbort);
  // A signal that came while the browser started: press Stop now (watchPage presses it again
  // until the page has started and takes it).
  if (hooks.signal?.aborted) onAbort();
  const watch = { done: false, timeUp: false };
  try {
    const result = await Promise.race([posted, watchPage(page, job, hooks, watch)]);
    const histogram = histogramFromPage(job.test, result.hw.histogram);
    if (typeof histogram === 'string') throw new UserError(`the page's result: ${histogram}`);
    const hw = { ...runsFromWire(result.hw), histogram };
    // Stopped by the time budget: what the user asked for, not an interruption.
    if (watch.timeUp && !hooks.signal?.aborted)
      Object.assign(hw, { partial: false, stoppedBy: 'time' });
    // A browser elsewhere ran on its device's CPU: the record says what the page says of it.
    const host = pageHost(result, !browser.remote);
    // The driver knows the browser's full version (`HeadlessChrome/156.0.8078.108`,
    // `firefox/153.8.0esr`); a user agent may carry a reduced one (`Chrome/156.0.0.0`).
    const full = browser.version.split('/')[1];
    if (full) {
      host.engine.version = full;
      if (host.engine.jsEngine === 'SpiderMonkey') host.engine.jsVersion = full;
      else host.engine.jsVersion = `as ${host.engine.name} ${full}`;
    }
    return { ...hw, host };
  } finally {
    watch.done = true;
    hooks.signal?.removeEventListener('abort', onAbort);
  }
}

/** A run stopped by a signal before its browser had started: nothing ran, on this machine. */
function nothingRan(job: LitmusJob, engine: BrowserEngine, at: Located, flags: string[]) {
  const { test, settings, memory } = job;
  const version = /\d[\w.]*/.exec(at.version)?.[0] ?? at.version;
  const size = Math.min(settings.size ?? defaultHwSize(test), settings.runs);
  const runs: RunsResult = {
    histogram: new Map(),
    runs: 0,
    elapsedMs: 0,
    wallMs: 0,
    stoppedBy: 'signal',
    partial: true,
    stuck: 0,
    threads: test.threads.length,
    workers: 0,
    barrier: 'spin',
    lostMeetings: 0,
    size,
    memory,
    seed: settings.seed,
    knobs: { ...knobsOf(settings), size },
    host: {
      ...hostInfo(),
      engine: {
        name: engine.name,
        version,
        jsEngine: engine.jsEngine,
        // As followPage says it: SpiderMonkey's version is Firefox's; V8's, Chromium's.
        jsVersion: engine.jsEngine === 'V8' ? `as ${engine.name} ${version}` : version,
        flags,
      },
    },
  };
  return runs;
}

/** The browser, started; undefined when `signal` stopped its start. */
async function launch(
  engine: BrowserEngine,
  at: Located,
  flags: string[],
  signal: AbortSignal | undefined,
): Promise<Browser | undefined> {
  if (signal?.aborted) return undefined;
  // puppeteer kills the browser when its launch signal aborts, at any time: this one follows
  // ours only until the browser is up (later a signal presses the page's Stop instead).
  const starting = new AbortController();
  const stopStart = () => starting.abort();
  signal?.addEventListener('abort', stopStart);
  try {
    const browser = await puppeteer.launch({
      ...(engine.launchOptions(at, flags) as LaunchOptions),
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      signal: starting.signal,
    });
    // A signal as the start finished: puppeteer may have killed the browser it returns.
    if (!signal?.aborted) return browser;
    await browser.close().catch(() => undefined);
    return undefined;
  } catch (e) {
    if (signal?.aborted) return undefined;
    throw new UserError(
      `${engine.name} (${at.path}) did not start headless: ${(e as Error).message.split('\n')[0]}`,
    );
  } finally {
    signal?.removeEventListener('abort', stopStart);
  }
}

/**
 * Follows the page's status line until it errs (a rejection) — a result arrives through the
 * server instead. The page's progress text is `N of M runs`. With --time the driver presses
 * Stop when the budget is spent.
 */
async function watchPage(
  page: PageControl,
  job: LitmusJob,
  hooks: HwHooks,
  watch: { done: boolean; timeUp: boolean },
): Promise<never> {
  const start = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const status = watch.done ? undefined : await page.status();
    // The result is in (or the page is closing): nothing more to follow.
    if (!status || watch.done) return new Promise<never>(() => undefined);
    const { state, text } = status;
    if (state === 'error') throw new UserError(`in the browser: ${text}`);
    // Stop is disabled until the page's run has begun: a signal before that is pressed again.
    if (hooks.signal?.aborted) await page.pressStop();
    const m = /^([\d,]+) of ([\d,]+) runs/.exec(text);
    if (m) hooks.onProgress?.(Number(m[1]!.replace(/,/g, '')), Number(m[2]!.replace(/,/g, '')));
    const { time } = job.settings;
    if (time && !watch.timeUp && performance.now() - start > time * 1000) {
      watch.timeUp = true;
      await page.pressStop();
    }
  }
}
