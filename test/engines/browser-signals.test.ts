// A signal during a run in a headless browser ends it as on Node: the partial histogram and
// Observation printed, the record saved with partial: true, exit 128 + the signal's number —
// whether it comes while the browser starts or while the page runs, and soon (puppeteer's own
// handlers used to exit at once with nothing printed on SIGINT, and a SIGHUP while Firefox
// started let the run go on for minutes).

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { chromium } from '../../src/engines/chromium.ts';
import type { Engine } from '../../src/engines/engine.ts';
import { firefox } from '../../src/engines/firefox.ts';
import { absentEngine } from './presence.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** How long a stopped run may take to print and save, however loaded the machine. */
const STOP_BOUND_MS = 90_000;

/** The browser has been started: a process of its name whose parent is the driver. */
function browserStarted(driver: number, name: string): boolean {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').trim();
      const [, comm, rest] = /^\d+ \((.*)\) (.*)$/.exec(stat) ?? [];
      if (comm?.includes(name) && Number(rest?.split(' ')[1]) === driver) return true;
    } catch {
      // gone meanwhile
    }
  }
  return false;
}

/** When to send the signal: while the browser starts, or this long after it started. */
type When = 'starting' | number;

const cases: [Engine, NodeJS.Signals, When, number][] = [
  [chromium, 'SIGINT', 5_000, 130],
  [firefox, 'SIGHUP', 'starting', 129],
  [firefox, 'SIGINT', 6_000, 130],
];

for (const [engine, sig, when, status] of cases)
  test.serial(
    `${sig} ${when === 'starting' ? 'while' : `${when} ms after`} ${engine.name} starts: partial table and record, exit ${status}`,
    async (t) => {
      t.timeout(240_000);
      if (!engine.locate()) return absentEngine(t, engine);
      const results = mkdtempSync(join(tmpdir(), 'smplab-browser-signal-'));
      t.teardown(() => rmSync(results, { recursive: true, force: true }));
      const args = [
        'run',
        'SB+poonceonces',
        '--engine',
        engine.name,
        '--on',
        'hw',
        '--runs',
        '2000000000',
      ];
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args],
        {
          cwd: ROOT,
          env: { ...process.env, SMPLAB_RESULTS_DIR: results },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
      const name = engine.name === 'firefox' ? 'firefox' : 'chrom';
      const start = Date.now();
      while (Date.now() - start < 120_000 && !browserStarted(child.pid!, name))
        await new Promise((r) => setTimeout(r, 20));
      if (when !== 'starting') await new Promise((r) => setTimeout(r, when));
      const sent = Date.now();
      child.kill(sig);
      const code = await Promise.race([
        ended,
        new Promise<'late'>((r) => setTimeout(() => r('late'), STOP_BOUND_MS)),
      ]);
      if (code === 'late') child.kill('SIGKILL');
      t.log(`stopped ${((Date.now() - sent) / 1000).toFixed(1)} s after ${sig}`);
      t.is(code, status, stderr);
      t.regex(stdout, /PARTIAL \(interrupted\)/);
      t.regex(stdout, /^Observation SB\+poonceonces \w+ \d+ \d+$/m);
      const dir = join(results, 'SB+poonceonces');
      const record = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]!), 'utf8'));
      t.true(record.partial);
      t.is(record.engine.name, engine.name);
    },
  );
