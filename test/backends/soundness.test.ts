// Grading a run (backends/soundness.ts): the bounds a threads backend needs are found once — a
// model backend's complete answer, else the model's search under the run's budget and Ctrl-C —
// and kept for the next run of the same test; a bound that could not be checked is a value
// saying which model and why; the states outside the bounds are found once, in the grading.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { BackendResult } from '../../src/backends/backend.ts';
import { type BoundAnswers, gradeRun, uncheckedText } from '../../src/backends/soundness.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { addToHistogram, type Histogram } from '../../src/litmus/state.ts';
import { checkModel } from '../../src/model/index.ts';
import { hostInfo } from '../../src/runtime/host.ts';
import { DEFAULT_KNOBS } from '../../src/runtime/litmus/knobs.ts';
import type { RunsResult } from '../../src/runtime/litmus/run.ts';

const LITMUS = fileURLToPath(new URL('../../scenarios/litmus/', import.meta.url));
const sb = loadLitmus(join(LITMUS, 'SB+fencembonceonces.litmus'));
const SETTINGS = { model: 'lkmm' as const, modelTimeoutS: 60, runs: 10, seed: 1 };

/** A weak run of SB that showed `both` times the both-zero state lkmm forbids. */
function weakRun(both: number): BackendResult {
  const histogram: Histogram = new Map();
  addToHistogram(sb, histogram, [1, 1], 10 - both);
  if (both) addToHistogram(sb, histogram, [0, 0], both);
  const runs: RunsResult = {
    histogram,
    runs: 10,
    elapsedMs: 1,
    stuck: 0,
    wallMs: 1,
    stoppedBy: 'done',
    partial: false,
    threads: 2,
    workers: 2,
    barrier: 'spin',
    size: 10,
    memory: 'weak',
    seed: 1,
    knobs: { ...DEFAULT_KNOBS, size: 10 },
    lostMeetings: 0,
    host: hostInfo(),
  };
  return { tag: 'ran', backend: 'weak', runs };
}

test("a bound no backend answered is the model's search, found once and kept", async (t) => {
  const answers: BoundAnswers = new Map();
  const grading = await gradeRun(sb, [weakRun(2)], SETTINGS, undefined, answers);
  t.deepEqual([...grading.bounds.keys()], ['lkmm']);
  t.deepEqual(grading.unchecked, []);
  t.deepEqual(grading.breaches, [{ backend: 'weak', model: 'lkmm', states: ['0:r0=0; 1:r0=0;'] }]);
  t.is(answers.get('lkmm'), grading.bounds.get('lkmm'), 'kept for the next run');
  // The next run of the test (another engine's) is graded by the same answer, not a new search.
  const again = await gradeRun(sb, [weakRun(0)], SETTINGS, AbortSignal.abort(), answers);
  t.is(again.bounds.get('lkmm'), grading.bounds.get('lkmm'));
  t.deepEqual(again.breaches, []);
});

test("a model backend's complete answer is the bound; an interrupted one's is not", async (t) => {
  const verdict = checkModel(sb, 'lkmm');
  const model: BackendResult = { tag: 'ran', backend: 'model', verdict };
  const ran = await gradeRun(sb, [model, weakRun(1)], SETTINGS, AbortSignal.abort());
  t.is(ran.bounds.get('lkmm'), verdict);
  t.is(ran.graded, verdict);
  t.is(ran.breaches.length, 1);

  // Ctrl-C: the model's partial states bound nothing, and the search for the bound stops at once.
  const partial: BackendResult = { tag: 'interrupted', backend: 'model', verdict };
  const stopped = await gradeRun(sb, [partial, weakRun(1)], SETTINGS, AbortSignal.abort());
  t.is(stopped.bounds.size, 0);
  t.deepEqual(
    stopped.unchecked.map((u) => u.model),
    ['lkmm'],
  );
  t.regex(stopped.unchecked[0]!.reason, /interrupted/);
  t.regex(
    uncheckedText(stopped.unchecked[0]!),
    /^lkmm: SB\+fencembonceonces under lkmm: the model was interrupted/,
  );
  t.deepEqual(stopped.breaches, [], 'nothing is outside a bound that was not checked');
});
