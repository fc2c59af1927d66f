// Runs that go wrong at run time end with a report, not a stack: a test that deadlocks in some
// executions counts those instances stuck and finishes; one stuck in every instance, or that
// faults, prints the model's verdict and the histogram collected so far marked PARTIAL with the
// fault's file:line:col, saves the JSON (partial, stoppedBy) and exits 1. A results folder that cannot
// be written costs nothing but the file: the report, then one line saying why, exit 1.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { smplab, smplabIn } from './smplab.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/faults/', import.meta.url));

/** The one JSON record a run wrote under `results`. */
function record(results: string, name: string) {
  const dir = join(results, name);
  const files = readdirSync(dir);
  return JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'));
}

test('an ABBA deadlock in some executions on hw: those instances are counted stuck, the others finish; exit 0', async (t) => {
  const r = await smplab(
    'run',
    join(FIXTURES, 'ABBA-deadlock.litmus'),
    '--runs',
    '200000',
    '--on',
    'model,hw',
  );
  t.is(r.code, 0, r.stdout + r.stderr);
  t.false(/triggerUncaughtException|\n\s+at /.test(r.stderr + r.stdout), r.stderr);
  t.regex(r.stdout, /^model lkmm: Sometimes/m);
  t.regex(r.stdout, /^Histogram \(\d+ states?\)$/m);
  t.notRegex(r.stdout, /PARTIAL/);
  const rec = record(r.results, 'ABBA-deadlock');
  t.false(rec.partial);
  t.is(rec.backends.hw.tag, 'ran');
  const { runs, stuck } = rec.backends.hw.runs;
  t.is(runs + stuck, 200_000, 'every instance is a state or stuck');
  if (stuck > 0) t.regex(r.stdout, /^Stuck [\d,]+: instances a thread gave up/m);
});

test('a test stuck in every instance (a lock taken twice) ends with the place and exit 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-stuck-'));
  const file = join(dir, 'Twice.litmus');
  writeFileSync(
    file,
    'C Twice\n{}\nP0(spinlock_t *s) {\n  spin_lock(s);\n  spin_lock(s);\n}\nP1(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n',
  );
  const r = await smplab('run', file, '--runs', '2000', '--on', 'hw');
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(
    r.stdout,
    /PARTIAL \(stopped by a fault: P0: \S*Twice\.litmus:5:3: every instance got stuck here, waiting for what no thread in it would ever do \(a deadlock in the test\)\)/,
  );
});

/** A results folder it cannot write: the report, then one line saying why; exit 1. */
async function unwritable(t: ExecutionContext, results: string, why: RegExp) {
  const r = await smplabIn(results, 'run', 'SB+poonceonces', '--on', 'model');
  t.is(r.code, 1);
  t.regex(r.stdout, /^Observation SB\+poonceonces Sometimes 1 3$/m);
  t.false(r.stdout.includes('Result written'));
  t.deepEqual(r.stderr.trim().split('\n'), [r.stderr.trim()]);
  t.regex(r.stderr.trim(), why);
}

const scratch = mkdtempSync(join(tmpdir(), 'smplab-unwritable-'));

test('results folder: a file in its place', async (t) => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, '');
  await unwritable(
    t,
    join(file, 'results'),
    /^Result not written: \S+a-file: a file is in the way of the results folder$/,
  );
});

test('results folder under /proc: refused at once, no endless loop', async (t) => {
  await unwritable(
    t,
    '/proc/self/smplab-results',
    /^Result not written: \/proc\/self\/smplab-results: /,
  );
});

test('results folder: a name too long for the file system', async (t) => {
  await unwritable(
    t,
    join(scratch, 'x'.repeat(300)),
    /: the name is too long for the file system$/,
  );
});

const root = process.getuid?.() === 0;
(root ? test.skip : test)(
  `results folder without write permission${root ? ' — skipped: root may write anywhere' : ''}`,
  async (t) => {
    const dir = join(scratch, 'read-only');
    mkdirSync(dir, { mode: 0o555 });
    await unwritable(t, join(dir, 'results'), /: permission denied$/);
  },
);

// The model finds the fault too (in an execution it allows): that is its answer, printed as its
// line with where, and hw and weak still run and show theirs, PARTIAL with file:line:col.
test('a dereference of a register that holds no address, default backends: the model line, hw and weak PARTIAL, JSON kept, exit 1', async (t) => {
  const r = await smplab('run', join(FIXTURES, 'deref-no-address.litmus'), '--runs', '20000');
  t.is(r.code, 1);
  t.false(/triggerUncaughtException|\n\s+at /.test(r.stderr + r.stdout), r.stderr);
  t.regex(
    r.stdout,
    /^model: fault at \S*deref-no-address\.litmus:8:8: P0 dereferences r1, which holds 0 and not the address of a shared location/m,
  );
  // P0 faults whichever value it read (0 before P1's store, 1 after): neither is an address
  for (const backend of ['hw', 'weak'])
    t.regex(
      r.stdout,
      new RegExp(
        `^${backend} .*PARTIAL \\(stopped by a fault: P0: \\S*deref-no-address\\.litmus:8:8: register r1 holds [01], which is not the address of a shared location\\)`,
        'm',
      ),
    );
  const rec = record(r.results, 'deref-no-address');
  t.true(rec.partial);
  t.is(rec.stoppedBy, 'error');
  t.is(rec.backends.model.tag, 'faulted');
  t.deepEqual(rec.backends.model.pos, { line: 8, col: 8 });
  t.is(rec.backends.hw.tag, 'interrupted');
  t.is(rec.backends.weak.tag, 'interrupted');
});

test('the same fault with the model alone: its message at file:line:col, exit 2 as a user error', async (t) => {
  const r = await smplab('run', join(FIXTURES, 'deref-no-address.litmus'), '--on', 'model');
  t.is(r.code, 2);
  t.regex(r.stderr, /deref-no-address\.litmus:8:8: P0 dereferences r1, which holds 0/);
  t.false(/\n\s+at /.test(r.stderr));
});
