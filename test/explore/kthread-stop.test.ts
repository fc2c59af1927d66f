// kthread_should_stop() on the explorer: kthread_stop() may come before any call or after any
// pass, so each answer is an explored choice until the thread was told to go on
// model.iterations times; then it is stopped, and the answer holds within that bound
// (Extent.stops), never "exhaustive". Once true, it stays true.

import test from 'ava';
import { exploreVariant } from '../../src/explore/scenario.ts';
import { defineScenario, kthread_should_stop, WRITE_ONCE } from '../../src/kernel/index.ts';
import { notReached, stopsText } from '../../src/report/scenario-model-text.ts';
import { executions } from './tiny-scenario.ts';

const sc = { model: 'sc', timeoutMs: 60_000 } as const;

/** A kthread that counts its passes until it is told to stop; up to two passes explored. */
const PASSES = defineScenario({
  name: 'kthread-passes',
  description: 'passes until kthread_stop()',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'one kthread' },
  threads: {
    worker(_cpu, m) {
      let passes = 0;
      while (!kthread_should_stop()) {
        WRITE_ONCE(m.x, passes + 1);
        passes++;
      }
      // asked again after it said stop: still stop
      return [passes, kthread_should_stop() ? 1 : 0];
    },
  },
  arbiter: (_m, r) => {
    const [passes, still] = r.worker!;
    if (still === 0) return 'un-stopped';
    return (['no pass', 'one pass', 'two passes', 'three passes'] as const)[passes!]!;
  },
  outcomes: {
    'no pass': 'acceptable',
    'one pass': 'acceptable',
    'two passes': 'acceptable',
    'three passes': 'acceptable',
    'un-stopped': 'acceptable',
  },
  model: { description: 'up to two passes', iterations: 2 },
});

test('kthread_stop() may come before the first pass or after any, up to the bound', (t) => {
  const v = exploreVariant(PASSES, 'v', sc);
  for (const o of ['no pass', 'one pass', 'two passes']) t.true(executions(v, o) > 0, o);
  t.is(executions(v, 'three passes'), 0);
  t.is(executions(v, 'un-stopped'), 0);
  // Three passes were not explored: the never says so, and is not called exhaustive.
  t.deepEqual(v.extent, { kind: 'bounded', loopBound: 3, cut: 0, stops: { worker: 2 } });
  t.is(
    notReached({ extent: v.extent, executions: v.stats.executions }),
    'never within 2 kthread passes (worker) (3 executions)',
  );
});

/** A thread that never asks kthread_should_stop(). */
const NO_ASK = defineScenario({
  name: 'no-ask',
  description: 'no kthread loop',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'one write' },
  threads: {
    worker(_cpu, m) {
      WRITE_ONCE(m.x, 1);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable', 'not done': 'acceptable' },
});

test('the kthread bound in words: one count for all, or each its own', (t) => {
  t.is(stopsText({ writer: 1, reader: 1 }), '1 kthread pass (writer, reader)');
  t.is(stopsText({ zapper: 1, vcpu0: 0 }), 'kthread passes zapper 1, vcpu0 0');
});

test('code that never asks kthread_should_stop() keeps an exhaustive answer', (t) => {
  const v = exploreVariant(NO_ASK, 'v', sc);
  t.deepEqual(v.extent, { kind: 'exhaustive' });
});
