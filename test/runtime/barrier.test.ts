// The barrier across threads is exercised by every hw run (test/runtime/litmus/run.test.ts);
// here, what one thread can check alone.

import test from 'ava';
import { Aborted } from '../../src/memory/faults.ts';
import {
  ABORT_CELL,
  BARRIER_GEN,
  DECISION_CELL,
  START_BARRIER,
  STOP_CELL,
} from '../../src/memory/layout.ts';
import { abortAll, barrierKindFor, StartBarrier } from '../../src/runtime/barrier.ts';

const memory = () => new Int32Array(1_024);

test('park only when threads outnumber CPUs', (t) => {
  t.is(barrierKindFor(2, 2), 'spin');
  t.is(barrierKindFor(4, 2), 'park');
  t.is(barrierKindFor(4, 8), 'spin');
});

test('the last to arrive releases the generation, resets the count and hands out the stop flag', (t) => {
  const m = memory();
  const b = new StartBarrier(m, 1, 'spin');
  t.is(b.wait(), 0);
  t.deepEqual([m[BARRIER_GEN], m[START_BARRIER]], [1, 0]);
  m[STOP_CELL] = 1;
  t.is(b.wait(), 1);
  t.deepEqual([m[BARRIER_GEN], m[DECISION_CELL]], [2, 1]);
});

test('a thread waiting for a partner that never comes gives up on abort', (t) => {
  const m = memory();
  abortAll(m);
  t.is(m[ABORT_CELL], 1);
  for (const kind of ['spin', 'park'] as const) {
    t.throws(() => new StartBarrier(m, 2, kind).wait(), { instanceOf: Aborted });
    m[START_BARRIER] = 0;
  }
});
