// The in-process driver (src/memory/weak/interleave.ts): an instance in which every live
// thread waits for what no thread will do is counted stuck, not run forever nor thrown; the
// other instances are states, within lkmm; the same seed gives the same answer. LB cycles
// through three and four threads that lkmm allows show; their forbidden variants never do.

import test from 'ava';
import { parseCycle } from '../../../src/gen/check.ts';
import { generate } from '../../../src/gen/generate.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import { witnessCounts } from '../../../src/litmus/state.ts';
import { runWeakInProcess } from '../../../src/memory/weak/interleave.ts';
import { checkModel } from '../../../src/model/index.ts';

/** P0 keeps the lock when it read x=1; P1 may then wait for it forever. */
const LEAK = parseLitmus(
  `C LockLeak
{}
P0(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); if (r0 == 0) { spin_unlock(s); } }
P1(spinlock_t *s, int *x) { int r1; WRITE_ONCE(*x, 1); spin_lock(s); r1 = 1; spin_unlock(s); }
exists (0:r0=0)
`,
  'LockLeak.litmus',
);

test('a lock never released on one path: those instances are stuck, the others states within lkmm', (t) => {
  const r = runWeakInProcess(LEAK, { runs: 2_000, seed: 3 });
  const v = checkModel(LEAK, 'lkmm');
  t.true(r.stuck > 0 && r.stuck < 2_000, `stuck ${r.stuck}`);
  let states = 0;
  for (const [key, { count }] of r.histogram) {
    t.true(v.states.has(key), key);
    states += count;
  }
  t.is(states + r.stuck, 2_000);
  t.deepEqual(runWeakInProcess(LEAK, { runs: 2_000, seed: 3 }), r);
});

/** smplab gen's test of a cycle (diy7's edge names), through the real front end. */
function cycleTest(edges: string) {
  const g = generate(parseCycle(edges));
  return parseLitmus(g.text, `${g.name}.litmus`);
}

// An LB cycle through n threads, each reading the store of the one before: every thread but
// one is ordered (dependency, smp_mb()), so the free one's store must be performed first and
// each other thread must run its load after the previous thread's store and before its own —
// one interleaving of the 2n accesses, which the schedule that holds loads back draws often.
const LB_CYCLES = [
  {
    allowed: 'DpDatadW Rfe DpDatadW Rfe DpDatadW Rfe PodRW Rfe',
    forbidden: 'DpDatadW Rfe DpDatadW Rfe DpDatadW Rfe DpDatadW Rfe',
  },
  {
    allowed: 'FenceMbdRW Rfe PodRW Rfe DpAddrdW Rfe',
    forbidden: 'FenceMbdRW Rfe DpCtrldW Rfe DpAddrdW Rfe',
  },
];

/** Instances per seed: the weak-coverage bench's for generated tests (it missed these before). */
const CYCLE_RUNS = 3_000;

for (const { allowed, forbidden } of LB_CYCLES) {
  const yes = cycleTest(allowed);
  const no = cycleTest(forbidden);
  test(`${yes.name} (lkmm: Sometimes) shows its witness in ${CYCLE_RUNS} instances of each seed 1-3; ${no.name} (Never) never`, (t) => {
    t.is(checkModel(yes, 'lkmm').observation, 'Sometimes');
    for (const seed of [1, 2, 3]) {
      const h = runWeakInProcess(yes, { runs: CYCLE_RUNS, seed }).histogram;
      t.true(witnessCounts(yes, h).positive > 0, `${yes.name}: no witness with seed ${seed}`);
    }
    const v = checkModel(no, 'lkmm');
    t.is(v.observation, 'Never');
    const never = runWeakInProcess(no, { runs: 20_000, seed: 1 }).histogram;
    t.is(witnessCounts(no, never).positive, 0);
    t.deepEqual(
      [...never.keys()].filter((s) => !v.states.has(s)),
      [],
    );
  });
}
