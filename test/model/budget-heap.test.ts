// A run whose memory keeps growing stops as given up, saying so, before its heap is full: a
// worker whose heap fills ends with ERR_WORKER_OUT_OF_MEMORY and loses what it collected (the
// explorer's visited states grow this way). Here the share that stops it is 0, so the looks at
// the heap that must find it full in a row stop the run at a fixed step count.

import test from 'ava';
import { Budget, ModelStopped } from '../../src/model/core/budget.ts';
import { notReached } from '../../src/report/scenario-model-text.ts';

test('a run past its share of the heap stops as given up, naming the heap', (t) => {
  const budget = new Budget({ timeoutMs: 10 * 60 * 1000, what: 'a growing run', heapShare: 0 });
  let ticks = 0;
  const e = t.throws(() => {
    for (; ticks < 1_000_000; ticks++) budget.tick();
  });
  t.true(e instanceof ModelStopped);
  t.is((e as ModelStopped).reason, 'budget');
  t.regex(e!.message, /a growing run \(its heap nearly full: \d+ of \d+ MB\): the model gave up/);
  t.true(ticks > 16 && ticks < 8_000, `stopped after ${ticks} steps`);
  t.true(((e as ModelStopped).heapFull?.limitMb ?? 0) > 0);
});

test("a scenario variant stopped by the heap says so, not 'after the budget'", (t) => {
  const v = { extent: { kind: 'gave-up', percent: 43, heapFull: true }, executions: 487 } as const;
  t.is(notReached(v), 'gave up with its heap nearly full: 487 executions, about 43%');
  t.is(
    notReached({ ...v, extent: { kind: 'gave-up', percent: 3 } }),
    'gave up after the budget: 487 executions, about 3%',
  );
});

test('the ordinary share does not stop a small run', (t) => {
  const budget = new Budget({ timeoutMs: 10 * 60 * 1000, what: 'a small run' });
  t.notThrows(() => {
    for (let i = 0; i < 100_000; i++) budget.tick();
  });
});
