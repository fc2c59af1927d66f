// RCU's grace-period guarantee on every backend that runs threads: no state of an RCU test is
// outside lkmm — in process on weak (every state, against the model's, for
// the corpus's RCU tests and the tests of ../shared/lkmm-scale up to 8 threads; the condition
// of the Never ones up to 19), on real threads
// on hw and weak (the condition of the Never tests: what the guarantee forbids) — and its
// absence shows: MP+syncrcu+onceonces (the reader outside a critical section) is witnessed on
// weak. Generated RCU tests (shapes.ts 'rcu'): on real threads here, in process in
// weak/soundness.test.ts.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { firstInstr, type Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { type Histogram, witnessCounts } from '../../src/litmus/state.ts';
import { runWeakInProcess } from '../../src/memory/weak/interleave.ts';
import { checkModel } from '../../src/model/index.ts';
import { runLitmusOnHw } from '../../src/runtime/litmus/run.ts';
import { CORPUS_DIR, litmusFiles, REPO_ROOT } from '../litmus/kernel-tests.ts';
import { shapeTest } from './weak/shapes.ts';

const SCALE_DIR = join(REPO_ROOT, '../shared/lkmm-scale');

/** The states of h lkmm does not allow. */
function outside(t: Test, h: Histogram): string[] {
  const v = checkModel(t, 'lkmm');
  return [...h.keys()].filter((s) => !v.states.has(s)).map((s) => `${t.name}: ${s}`);
}

const corpusRcu = () =>
  litmusFiles(CORPUS_DIR)
    .filter((f) => f.includes('syncrcu'))
    .map((f) => loadLitmus(f));

test('in process, weak: every state of the corpus RCU tests is allowed; the reader outside a critical section shows', (t) => {
  for (const rcu of corpusRcu()) {
    const r = runWeakInProcess(rcu, { runs: 3_000, seed: 5 });
    t.deepEqual(outside(rcu, r.histogram), []);
    const shown = witnessCounts(rcu, r.histogram).positive > 0;
    t.is(shown, rcu.expected === 'Sometimes', rcu.name);
  }
});

if (!existsSync(SCALE_DIR)) {
  test.skip(`the grace-period guarantee on lkmm-scale: ${SCALE_DIR} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  const scale = () => litmusFiles(SCALE_DIR).map((f) => loadLitmus(f));

  test('in process, weak on the 7-to-19-thread RCU tests of lkmm-scale: never what a grace period forbids; every state allowed up to 8 threads', (t) => {
    for (const rcu of scale()) {
      const r = runWeakInProcess(rcu, { runs: 500, seed: 5 });
      if (rcu.expected === 'Never') t.is(witnessCounts(rcu, r.histogram).positive, 0, rcu.name);
      // the model's every state: past 8 threads that takes it minutes
      if (rcu.threads.length <= 8) t.deepEqual(outside(rcu, r.histogram), []);
    }
  });

  test.serial(
    'on real threads, hw and weak never show what a grace period forbids (lkmm-scale, 7 and 8 threads)',
    async (t) => {
      const never = scale().filter((s) => s.expected === 'Never' && s.threads.length <= 8);
      t.true(never.length >= 2);
      for (const rcu of never)
        for (const memory of ['x86', 'weak'] as const) {
          const r = await runLitmusOnHw({
            test: rcu,
            settings: { runs: 3_000, size: 500, seed: 2 },
            memory,
          });
          t.is(witnessCounts(rcu, r.histogram).positive, 0, `${rcu.name} on ${memory}`);
        }
    },
  );
}

test.serial('on real threads, hw and weak keep MP+syncrcu+rcuonceonces forbidden', async (t) => {
  const guarded = corpusRcu().find((x) => x.expected === 'Never')!;
  for (const memory of ['x86', 'weak'] as const) {
    const r = await runLitmusOnHw({
      test: guarded,
      settings: { runs: 50_000, seed: 4 },
      memory,
    });
    t.is(witnessCounts(guarded, r.histogram).positive, 0, memory);
    t.is(r.stuck, 0);
  }
});

/** Generated RCU tests (shapes.ts 'rcu'); WEAK_SEED=N replays them, as in weak/soundness. */
const RCU_SEED = Number(process.env.WEAK_SEED ?? 20261206);
const RCU_TESTS = 6;

test.serial(
  `on real threads, hw and weak stay within lkmm on ${RCU_TESTS} generated RCU tests (seed ${RCU_SEED}; replay with WEAK_SEED=${RCU_SEED})`,
  async (t) => {
    const tests = Array.from({ length: RCU_TESTS }, (_, k) => shapeTest('rcu', RCU_SEED + k));
    const gracePeriod = (g: Test) =>
      firstInstr(g, (i) => i.kind === 'fence' && i.annot === 'sync-rcu') !== undefined;
    t.true(tests.filter(gracePeriod).length >= 2, 'the seeds give tests with synchronize_rcu()');
    for (const [k, gen] of tests.entries())
      for (const memory of ['x86', 'weak'] as const) {
        const r = await runLitmusOnHw({
          test: gen,
          settings: { runs: 2_000, size: 500, seed: RCU_SEED + k },
          memory,
        });
        t.deepEqual(outside(gen, r.histogram), [], `${gen.name} on ${memory} (k=${k})`);
      }
  },
);
