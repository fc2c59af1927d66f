// The in-process driver (src/memory/weak/interleave.ts): an instance in which every live
// thread waits for what no thread will do is counted stuck, not run forever nor thrown; the
// other instances are states, within lkmm; the same seed gives the same answer.

import test from 'ava';
import { parseLitmus } from '../../../src/litmus/parse.ts';
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
