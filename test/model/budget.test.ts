// The model's budget and stop flag, without depending on the machine's speed: a budget of 0, a
// flag already up, and a flag that rises after a fixed number of looks (the budget looks every
// few steps, so the stop comes at a step count, not at a time).

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import {
  estimatedCandidates,
  ModelStopped,
  type Progress,
  progressText,
  type StopFlag,
} from '../../src/model/core/budget.ts';
import { checkModel, runModel } from '../../src/model/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// 16 candidate executions over 2 × 2 × ... trace combinations: enough steps to stop inside.
const IRIW = loadLitmus(`${ROOT}scenarios/litmus/IRIW+poonceonces+OnceOnce.litmus`);

/** A flag that is down for its first `looks` reads, then up. */
function raisedAfter(looks: number): StopFlag & { reads: number } {
  return {
    reads: 0,
    get aborted() {
      return ++this.reads > looks;
    },
  };
}

function stopOf(t: import('ava').ExecutionContext, f: () => unknown): ModelStopped {
  const e = t.throws(f);
  if (!(e instanceof ModelStopped)) throw new Error(`not a ModelStopped: ${String(e)}`);
  return e;
}

test('a budget of 0 stops at the first step, before any execution, and says so', (t) => {
  const e = stopOf(t, () => checkModel(IRIW, 'lkmm', { timeoutMs: 0 }));
  t.is(e.reason, 'budget');
  t.is(e.progress.candidates, 0);
  t.regex(
    e.message,
    /^IRIW\S* under lkmm: the model gave up after 0\.\d\d s \(--model-timeout 0\.00 s\): no candidate execution checked yet/,
  );
});

test('a stop flag already up interrupts at once, with nothing collected', (t) => {
  const e = stopOf(t, () => checkModel(IRIW, 'lkmm', { signal: { aborted: true } }));
  t.is(e.reason, 'interrupted');
  t.is(e.progress.candidates, 0);
  t.is(e.partial?.executions, 0);
});

test('a flag rising after a number of looks stops inside the enumeration and keeps what was collected', (t) => {
  // Unpruned: the looks counted here are those of the plain enumeration (pruning's checks of
  // prefixes look at the flag too, before the first candidate).
  const all = checkModel(IRIW, 'lkmm', { prune: false });
  for (const looks of [10, 40, 79]) {
    const e = stopOf(t, () =>
      checkModel(IRIW, 'lkmm', { signal: raisedAfter(looks), prune: false }),
    );
    t.is(e.reason, 'interrupted');
    const { candidates, combinations, combinationsDone } = e.progress;
    t.true(
      candidates > 0 && candidates < all.candidates,
      `${looks} looks: ${candidates} of ${all.candidates}`,
    );
    t.true(combinationsDone < combinations);
    // What was collected is a part of the answer, never more.
    const partial = e.partial!;
    t.is(partial.candidates, candidates);
    for (const [k, s] of partial.states) t.true(s.executions <= all.states.get(k)!.executions);
    t.regex(e.message, /interrupted after \d+\.\d\d s: \d+ executions checked of about \d+/);
  }
  // The same looks, the same stop: the step count decides, not the clock.
  const a = stopOf(t, () => checkModel(IRIW, 'lkmm', { signal: raisedAfter(40) }));
  const b = stopOf(t, () => checkModel(IRIW, 'lkmm', { signal: raisedAfter(40) }));
  t.deepEqual(a.progress, b.progress);
});

test('the estimate of all candidates scales what was checked by the combinations done', (t) => {
  const p: Progress = { candidates: 30, combinations: 100, combinationsDone: 25 };
  t.is(estimatedCandidates(p), 120);
  t.is(progressText(p), '30 executions checked of about 120, 25% of the trace combinations done');
  t.is(estimatedCandidates({ candidates: 7, combinations: 4, combinationsDone: 4 }), 7);
  t.is(estimatedCandidates({ candidates: 0, combinations: 4, combinationsDone: 0 }), undefined);
});

test('runModel with its signal already aborted stops its workers and rejects as interrupted', async (t) => {
  const controller = new AbortController();
  controller.abort();
  const e = await t.throwsAsync(
    runModel(IRIW, 'lkmm', { signal: controller.signal, workers: 2, quickTryMs: 0 }),
  );
  t.true(e instanceof ModelStopped);
  t.is((e as ModelStopped).reason, 'interrupted');
});

test('runModel with a budget of 0 gives up', async (t) => {
  const e = await t.throwsAsync(
    runModel(IRIW, 'lkmm', { timeoutMs: 0, workers: 1, quickTryMs: 0 }),
  );
  t.true(e instanceof ModelStopped);
  t.is((e as ModelStopped).reason, 'budget');
});

// A thread of 3,000 statements, reads and writes mixed: its value-domain step alone would run
// for minutes. Each value a read may take is one step, so a stop asked after a few looks is
// honoured there, before any candidate execution, at a step count and not at a time.
test('a long thread stops inside the value-domain step after a number of looks', (t) => {
  const lines = Array.from({ length: 3000 }, (_, i) =>
    i % 2 === 0 ? '  r0 = READ_ONCE(*x);' : `  WRITE_ONCE(*x, ${i});`,
  );
  const text = `C long\n{ x = 0; }\nP0(int *x) {\n  int r0;\n${lines.join('\n')}\n}\nexists (x=1)\n`;
  const long = parseLitmus(text, 'long.litmus');
  const e = stopOf(t, () => checkModel(long, 'lkmm', { signal: raisedAfter(200) }));
  t.is(e.reason, 'interrupted');
  t.is(e.progress.candidates, 0);
  t.is(e.progress.combinations, 0);
  // A budget of 0 stops there too.
  t.is(stopOf(t, () => checkModel(long, 'lkmm', { timeoutMs: 0 })).reason, 'budget');
});

test('reads copying their state only when taken leave verdicts and counts as they were', (t) => {
  // MP with a conditional rmw and a branch: loads, rmw choices and both branch sides.
  const text = `C mp-rmw\n{ x = 0; y = 0; }\nP0(int *x, int *y) {\n  WRITE_ONCE(*x, 1);\n  smp_store_release(y, 1);\n}\nP1(int *x, int *y) {\n  int r0;\n  int r1;\n  int r2;\n  r0 = smp_load_acquire(y);\n  r2 = cmpxchg(x, 1, 2);\n  if (r0)\n    r1 = READ_ONCE(*x);\n}\nexists (1:r0=1 /\\ 1:r1=0)\n`;
  const v = checkModel(parseLitmus(text, 'mp-rmw.litmus'), 'lkmm');
  // The figures main gave before this change (worked by hand: r0=0 skips the read, twice as
  // cmpxchg fails or succeeds; r0=1 sees x=1 and cmpxchg makes it 2).
  t.is(v.observation, 'Never');
  t.is(v.candidates, 5);
  t.is(v.executions, 3);
  t.deepEqual(
    [...v.states].map(([k, s]) => [k, s.executions]),
    [
      ['1:r0=0; 1:r1=0;', 2],
      ['1:r0=1; 1:r1=2;', 1],
    ],
  );
});
