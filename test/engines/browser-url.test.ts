// --browser-url: a browser already running elsewhere (here a local headless chromium started
// with --remote-debugging-port, standing in for a phone's Chrome behind adb forward) runs the
// test's threads. The page is served over the DevTools connection from a localhost origin no
// server listens on, so the run passes only if every request of the page (document, scripts,
// CPU workers, the posted result) went through the connection, as it must for a phone. The
// result names the device as the page saw it, the knobs reach the page, and the browser is
// left running; the same from the command line (its record).

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import puppeteer from 'puppeteer-core';
import { runBounds, statesOutside } from '../../src/backends/soundness.ts';
import { chromium } from '../../src/engines/chromium.ts';
import { chooseEngines, runOnEngine } from '../../src/engines/run.ts';
import { machineKey, type Preset, savePreset } from '../../src/lab/presets.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';
import { DEFAULT_KNOBS } from '../../src/runtime/litmus/knobs.ts';
import { freshConfig, smplab, smplabWith } from '../cli/smplab.ts';
import { CORPUS_DIR } from '../litmus/kernel-tests.ts';
import { absentEngine } from './presence.ts';

const RUNS = 40_000;

/** chromium headless with a DevTools port of its own choosing; its http://127.0.0.1:PORT. */
async function runningChromium(path: string, profile: string) {
  const child = spawn(
    path,
    [
      '--headless',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    // Its own process group: stopped() ends chromium's helpers (crashpad, renderers) with it,
    // which otherwise go on writing into the profile while the test removes it.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  const ws = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /DevTools listening on (ws:\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${text}`)));
  });
  return { child, ws, url: `http://127.0.0.1:${new URL(ws).port}` };
}

/** Stop `child` and its process group, and wait for it to be gone: then its profile can go. */
async function stopped(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    child.kill();
  }
  await gone;
}

test.serial(
  '--browser-url: a running chromium runs SB+mb with the knobs asked, is named as the page saw it, is left running, and takes its own preset',
  async (t) => {
    const at = chromium.locate();
    if (!at) return absentEngine(t, chromium);
    const profile = mkdtempSync(join(tmpdir(), 'smplab-browser-url-'));
    let child: ChildProcess | undefined;
    try {
      const browser = await runningChromium(at.path, profile);
      child = browser.child;
      // Every page opened in that browser, seen from a connection of our own: the run's is one.
      const watcher = await puppeteer.connect({ browserWSEndpoint: browser.ws });
      const opened: string[] = [];
      watcher.on('targetchanged', (target) => opened.push(target.url()));
      const lt = loadLitmus(join(CORPUS_DIR, 'SB+fencembonceonces.litmus'));
      const [choice] = chooseEngines('chromium', [], browser.url).choices;
      const knobs = {
        start: 'flag',
        delay: 'sweep',
        stride: 1,
        order: 'reversed',
        stress: 1,
      } as const;
      const run = await runOnEngine(
        choice,
        { test: lt, settings: { runs: RUNS, size: 10_000, seed: 1, ...knobs }, memory: 'x86' },
        {},
      );
      t.is(run.runs, RUNS);
      t.true(
        opened.some((u) => /^http:\/\/localhost:\d+\/\?test=SB%2Bfencembonceonces&/.test(u)),
        `the run's page was opened in the running browser: ${opened.join(' ')}`,
      );
      t.like(run.knobs, knobs, 'the page ran with the knobs asked');
      t.is(run.memory, 'portable', "x86's mapping is for this machine's CPU alone");
      t.deepEqual(runBounds('hw', run.memory), ['lkmm'], 'no tso bound on another device');
      const lkmm = checkModel(lt, 'lkmm').states;
      t.deepEqual(
        statesOutside(run.histogram.keys(), ['lkmm'], () => lkmm),
        [],
      );
      t.is(run.host.arch, 'unknown (browser)');
      t.regex(run.host.device?.userAgent ?? '', /HeadlessChrome/);
      t.is(run.host.engine.name, 'chromium');
      t.is(run.host.device?.userAgent, await watcher.userAgent(), "the device's own user agent");
      // Still running after the run disconnected from it.
      t.regex(await watcher.version(), /Chrome/);
      await watcher.disconnect();

      // The same from the command line, through the ws endpoint: the record names the device.
      const cli = await smplab(
        'run',
        'SB+fencembonceonces',
        '--on',
        'hw',
        '--engine',
        'chromium',
        '--browser-url',
        browser.ws,
        '--runs',
        '20000',
        '--start',
        'timebase',
        '--json',
      );
      t.is(cli.code, 0, cli.stderr);
      const record = JSON.parse(cli.stdout);
      t.is(record.options.browserUrl, browser.ws);
      t.regex(record.host.device.userAgent, /HeadlessChrome/);
      t.is(record.backends.hw.runs.knobs.start, 'timebase');
      t.is(record.backends.hw.runs.memory, 'portable');
      const again = await puppeteer.connect({ browserWSEndpoint: browser.ws });
      t.regex(await again.version(), /Chrome/, 'left running by the command too');
      await again.disconnect();

      // A preset tuned for that device (keyed by its user agent and cores) is found and used.
      const config = freshConfig();
      const preset: Preset = {
        machine: machineKey(record.host),
        family: 'SB',
        knobs: { ...DEFAULT_KNOBS, start: 'flag', delay: 32, stride: 16 },
        tests: ['SB+poonceonces'],
        tunedAt: '2026-12-06T17:00:00.000Z',
        score: { runs: 1_000_000, witnesses: 1_000, seconds: 1 },
      };
      t.is(preset.machine.engine, 'chromium');
      t.regex(
        preset.machine.cpu,
        /HeadlessChrome/,
        'a device elsewhere is keyed by its user agent',
      );
      savePreset(preset, join(config, 'presets.json'));
      const tuned = await smplabWith(
        { SMPLAB_CONFIG_DIR: config },
        ...['run', 'SB+poonceonces', '--engine', 'chromium', '--browser-url', browser.url],
        ...['--runs', '20000', '--json'],
      );
      t.is(tuned.code, 0, tuned.stderr);
      const used = JSON.parse(tuned.stdout);
      t.is(used.options.knobsFrom.preset.family, 'SB');
      t.like(used.backends.hw.runs.knobs, { start: 'flag', delay: 32, stride: 16 });
    } finally {
      await stopped(child);
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    }
  },
);

test('--browser-url: a browser that is not there, or not a DevTools one, is a message', async (t) => {
  t.throws(() => chooseEngines('firefox', [], 'http://127.0.0.1:9222'), {
    message:
      '--browser-url connects over the Chrome DevTools Protocol: use it with --engine chromium',
  });
  t.throws(() => chooseEngines('chromium', ['--jitless'], 'http://127.0.0.1:9222'), {
    message: /--engine-flags cannot reach a browser that is already running/,
  });
  const lt = loadLitmus(join(CORPUS_DIR, 'SB+poonceonces.litmus'));
  const [choice] = chooseEngines('chromium', [], 'http://127.0.0.1:9').choices;
  const job = { test: lt, settings: { runs: 10, seed: 1 }, memory: 'x86' as const };
  await t.throwsAsync(runOnEngine(choice, job, {}), {
    message:
      /^no browser answered at http:\/\/127.0.0.1:9 .*adb forward tcp:9222 localabstract:chrome_devtools_remote$/,
  });
});
