// The hw backend on real threads: only what must hold on any machine — counts add up, forbidden
// states never appear, failures end the run with the thread's name, stops return what was run.
// The runs are serial: concurrent runs would spin against each other on 2 cores.

import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { UserError } from '../../../src/errors.ts';
import type { Test } from '../../../src/litmus/ir.ts';
import { loadLitmus } from '../../../src/litmus/load.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import { type Histogram, histogramRuns, satisfies } from '../../../src/litmus/state.ts';
import { faultText } from '../../../src/report/litmus-text.ts';
import { hwMemoryLimit, runLitmusOnHw } from '../../../src/runtime/litmus/run.ts';
import { CORPUS_DIR, KERNEL_TESTS_DIR } from '../../litmus/kernel-tests.ts';
import { eq, load, makeTest, regKey, sb, thread } from '../fixtures.ts';

/** A test by name from our corpus, else from the kernel's tests; undefined when neither has it. */
function findTest(name: string): Test | undefined {
  for (const dir of [CORPUS_DIR, KERNEL_TESTS_DIR]) {
    const file = join(dir, `${name}.litmus`);
    if (existsSync(file)) return loadLitmus(file);
  }
  return undefined;
}

const sum = (h: Histogram) => histogramRuns(h);

test.serial('the histogram sums to the runs, over batches that do not divide them', async (t) => {
  const r = await runLitmusOnHw({
    test: sb(false),
    settings: { runs: 25_001, size: 1_000, seed: 1 },
  });
  t.is(r.runs, 25_001);
  t.is(sum(r.histogram), 25_001);
  t.is(r.stoppedBy, 'done');
  t.false(r.partial);
  for (const s of r.histogram.keys()) t.regex(s, /^0:r0=[01]; 1:r0=[01];$/);
});

test.serial(
  'without a size, a run of 2 threads takes batches of 100,000 (10,000 on one CPU)',
  async (t) => {
    const r = await runLitmusOnHw({ test: sb(false), settings: { runs: 150_000, seed: 1 } });
    // litmus7's -s 100000 when both threads have a CPU to spin on; parked threads take smaller batches.
    t.is(r.size, os.availableParallelism() >= 2 ? 100_000 : 10_000);
    t.is(sum(r.histogram), 150_000);
  },
);

test.serial('packed layout runs SB too', async (t) => {
  const r = await runLitmusOnHw({
    test: sb(false),
    settings: { runs: 10_000, size: 500, seed: 1, pad: 2 },
  });
  t.is(sum(r.histogram), 10_000);
});

const NEVER = [
  'SB+fencembonceonces',
  'MP+pooncerelease+poacquireonce',
  'CoRR+poonceonce+Once',
  'CoRW+poonceonce+Once',
  'CoWR+poonceonce+Once',
  'CoWW+poonceonce',
];

for (const name of NEVER) {
  const lt = findTest(name);
  test.serial(`${name} never shows its forbidden state`, async (t) => {
    // These are corpus tests: a missing file is a failure, not a pass.
    if (!lt) return t.fail(`${name}.litmus is in neither ${CORPUS_DIR} nor ${KERNEL_TESTS_DIR}`);
    t.is(lt.condition.quantifier, 'exists');
    const r = await runLitmusOnHw({ test: lt, settings: { runs: 200_000, size: 10_000, seed: 1 } });
    t.is(sum(r.histogram), 200_000);
    const seen = [...r.histogram].filter(([, o]) => satisfies(lt, o.values)).map(([s]) => s);
    t.deepEqual(seen, [], `forbidden state observed: ${seen.join(' | ')}`);
  });
}

test.serial('SB+fencembonceonces built by hand never shows 0:r0=0; 1:r0=0;', async (t) => {
  const r = await runLitmusOnHw({
    test: sb(true),
    settings: { runs: 100_000, size: 5_000, seed: 1 },
  });
  t.is(r.histogram.get('0:r0=0; 1:r0=0;'), undefined);
});

test.serial(
  'the portable mapping (Atomics for marked accesses) keeps SB+mb forbidden too',
  async (t) => {
    const r = await runLitmusOnHw({
      test: sb(true),
      settings: { runs: 50_000, size: 5_000, seed: 1 },
      memory: 'portable',
    });
    t.is(r.memory, 'portable');
    t.is(sum(r.histogram), 50_000);
    t.is(r.histogram.get('0:r0=0; 1:r0=0;'), undefined);
  },
);

test.serial('a filter clause drops the states that fail it', async (t) => {
  const filtered = sb(false);
  filtered.filter = eq(regKey(0, 'r0'), 1);
  const r = await runLitmusOnHw({
    test: filtered,
    settings: { runs: 20_000, size: 1_000, seed: 1 },
  });
  t.is(sum(r.histogram), r.runs);
  t.true(r.runs <= 20_000);
  for (const s of r.histogram.keys()) t.true(s.startsWith('0:r0=1;'), s);
});

test.serial('a thread that fails ends the run with its name, and nothing hangs', async (t) => {
  // P0 loads through r1 = 7, which is no address; P1 meanwhile waits for P0 at every instance.
  const p0 = thread(
    0,
    ['x'],
    ['r0', 'r1'],
    [
      { kind: 'assign', dst: 'r1', value: { kind: 'const', value: 7 }, pos: { line: 4, col: 3 } },
      {
        kind: 'load',
        annot: 'once',
        addr: { kind: 'reg', reg: 'r1' },
        dst: 'r0',
        pos: { line: 5, col: 8 },
      },
    ],
  );
  const p1 = thread(1, ['x'], ['r0'], [load('r0', { kind: 'loc', loc: 'x' })]);
  const bad = makeTest('Bad', ['x'], [p0, p1], eq(regKey(0, 'r0'), 0));
  // Not thrown: the run ends with what was collected, partial, and the fault with its place.
  const r = await runLitmusOnHw({ test: bad, settings: { runs: 100_000, size: 1_000, seed: 1 } });
  t.is(r.stoppedBy, 'error');
  t.true(r.partial);
  t.is(
    faultText(r.fault!),
    'P0: Bad.litmus:5:8: register r1 holds 7, which is not the address of a shared location',
  );
  t.is(sum(r.histogram), r.runs);
  t.true(r.runs < 100_000);
});

test.serial(
  'a test that deadlocks on a spinlock in every instance ends with the lock named',
  async (t) => {
    const l = { kind: 'loc', loc: 'l' } as const;
    const p0 = thread(
      0,
      ['l'],
      [],
      [
        { kind: 'lock', addr: l, pos: { line: 3, col: 2 } },
        { kind: 'lock', addr: l, pos: { line: 4, col: 2 } },
      ],
    );
    const p1 = thread(
      1,
      ['l'],
      ['r0'],
      [{ kind: 'islocked', addr: l, dst: 'r0', pos: { line: 7, col: 2 } }],
    );
    const dead = makeTest('Dead', ['l'], [p0, p1], eq(regKey(1, 'r0'), 0));
    dead.locations[0]!.type = 'spinlock';
    const r = await runLitmusOnHw({ test: dead, settings: { runs: 1_000, size: 100, seed: 1 } });
    t.is(r.stoppedBy, 'error');
    t.true(r.partial);
    t.is(
      faultText(r.fault!),
      'P0: Dead.litmus:4:2: every instance got stuck here, waiting for what no thread in it would ever do (a deadlock in the test)',
    );
    t.is(sum(r.histogram), 0);
    t.is(r.stuck, 1_000);
  },
);

test.serial('IRIW (4 threads) completes, whatever the number of CPUs', async (t) => {
  const iriw = findTest('IRIW+poonceonces+OnceOnce');
  if (!iriw) return t.fail(`IRIW+poonceonces+OnceOnce.litmus is not in ${CORPUS_DIR}`);
  const r = await runLitmusOnHw({ test: iriw, settings: { runs: 20_000, size: 1_000, seed: 1 } });
  t.is(sum(r.histogram), 20_000);
  t.is(r.threads, 4);
  // Four threads park when there are fewer than four CPUs to spin on.
  t.is(r.barrier, os.availableParallelism() >= 4 ? 'spin' : 'park');
});

test.serial('an abort stops between batches and returns the partial histogram', async (t) => {
  const ac = new AbortController();
  const r = await runLitmusOnHw(
    { test: sb(false), settings: { runs: 1_000_000_000, size: 1_000, seed: 1 } },
    {
      signal: ac.signal,
      onProgress: (done) => {
        if (done > 0) ac.abort();
      },
    },
  );
  t.is(r.stoppedBy, 'signal');
  t.true(r.partial);
  t.true(r.runs > 0 && r.runs < 1_000_000_000);
  t.is(r.runs % 1_000, 0, 'whole batches only');
  t.is(sum(r.histogram), r.runs);
});

test.serial('a time budget stops the run, not partial', async (t) => {
  const r = await runLitmusOnHw({
    test: sb(false),
    settings: { runs: 1_000_000_000, size: 1_000, time: 0.2, seed: 1 },
  });
  t.is(r.stoppedBy, 'time');
  t.false(r.partial);
  t.is(sum(r.histogram), r.runs);
});

test('bad options are user errors', async (t) => {
  await t.throwsAsync(
    runLitmusOnHw({ test: sb(false), settings: { runs: 0, size: 10, seed: 1 } }),
    {
      message: '--runs must be a positive integer, not 0',
    },
  );
});

test('a run that needs more memory than hwMemoryLimit() is refused before anything is allocated', async (t) => {
  // SB with 100,000,000 instances a batch: 13 GB of shared memory before the fix.
  const err = await t.throwsAsync(
    runLitmusOnHw({
      test: sb(false),
      settings: { runs: 100_000_000, size: 100_000_000, seed: 1 },
    }),
    {
      instanceOf: UserError,
    },
  );
  t.regex(
    err!.message,
    /^--size 100000000 needs 1[0-9]\.\d GB \(1[0-9]\.\d GB of shared memory for 100,000,000 instances, and 2 CPU workers\), more than this run may use \(\d+\.\d GB, a quarter of this machine's memory at most 4 GB\): use --size [\d,]+ or less$/,
  );
  t.true(hwMemoryLimit() <= 4 * 1024 ** 3);
});

test('a test with 128 threads is refused with the figure and the limit', async (t) => {
  const threads = Array.from(
    { length: 128 },
    (_, i) => `P${i}(int *x) { int r0; r0 = READ_ONCE(*x); }`,
  );
  const wide = parseLitmus(`C Wide\n{}\n${threads.join('\n')}\nexists (0:r0=1)\n`, 'Wide.litmus');
  const err = await t.throwsAsync(
    runLitmusOnHw({ test: wide, settings: { runs: 1_000, seed: 1 } }),
    { instanceOf: UserError },
  );
  t.regex(
    err!.message,
    /^Wide has 128 threads: 128 CPU workers need about 4\.0 GB, more than this run may use \(\d+\.\d GB, a quarter of this machine's memory at most 4 GB\)$/,
  );
});
