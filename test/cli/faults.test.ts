// Runs that go wrong at run time end with a report, not a stack: a test that deadlocks on hw
// prints the model's verdict and the histogram collected so far marked PARTIAL with the fault's
// file:line:col, saves the JSON (partial, stoppedBy) and exits 1.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { smplab } from './smplab.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/faults/', import.meta.url));

/** The one JSON record a run wrote under `results`. */
function record(results: string, name: string) {
  const dir = join(results, name);
  const files = readdirSync(dir);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'));
}

test('an ABBA deadlock on hw: model verdict, PARTIAL histogram with the fault, JSON kept, exit 1', async (t) => {
  const r = await smplab('run', join(FIXTURES, 'ABBA-deadlock.litmus'), '--runs', '2000000');
  t.is(r.code, 1);
  t.false(/triggerUncaughtException|\n\s+at /.test(r.stderr + r.stdout), r.stderr);
  t.regex(r.stdout, /^model lkmm: Sometimes/m);
  t.regex(
    r.stdout,
    /PARTIAL \(stopped by a fault: P[01]: \S*ABBA-deadlock\.litmus:(7|15):3: spin_lock\(\) waited \d+ ms: the lock is never released \(a deadlock in the test\)\)/,
  );
  t.regex(r.stdout, /^Histogram \(\d+ states?\)$/m);
  const rec = record(r.results, 'ABBA-deadlock');
  t.true(rec.partial);
  t.is(rec.stoppedBy, 'error');
  t.is(rec.backends.hw.tag, 'interrupted');
  t.regex(rec.backends.hw.runs.failure, /spin_lock\(\) waited/);
});
