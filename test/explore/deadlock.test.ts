// Deadlocks on the explorer: an execution in which every CPU that has not finished waits for
// good (at a lock another holds, at an await no write lets out) is found and checked by the
// model; taking the locks in one order, or a wait some write satisfies, has none.

import test from 'ava';
import { exploreVariant } from '../../src/explore/scenario.ts';
import { modelFailures, variantResult } from '../../src/explore/scenario-result.ts';
import {
  defineScenario,
  type Scenario,
  smp_cond_load_acquire,
  smp_store_release,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import type { ModelName } from '../../src/model/core/base.ts';
import ABBA from '../fixtures/scenarios/abba.ts';

const MODELS: ModelName[] = ['sc', 'tso', 'lkmm'];

for (const model of MODELS)
  test(`ABBA spin_lock order deadlocks under ${model}; one order does not`, (t) => {
    const v = exploreVariant(ABBA, 'abba', { model, timeoutMs: 60_000 });
    t.deepEqual(
      v.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind]),
      [
        [0, 'lock'],
        [1, 'lock'],
      ],
    );
    t.deepEqual(v.stats.deadlock?.finished, []);
    // the executions that finish are still found: one CPU goes first
    t.true(v.outcomes[0]!.executions > 0);
    t.is(v.extent.kind, 'exhaustive');
    const ordered = exploreVariant(ABBA, 'ordered', { model, timeoutMs: 60_000 });
    t.is(ordered.stats.deadlock, undefined);
    t.is(ordered.extent.kind, 'exhaustive');
  });

/** A CPU waits for a flag: set by the other (handoff) or by nobody (lost-wakeup). */
const FLAG: Scenario = defineScenario({
  name: 'flag-wait',
  description: 'a CPU waits for a flag the other sets, or never sets',
  kind: 'iterations',
  memory: { flag: 'int', data: 'int' },
  variants: { handoff: 'the other sets the flag', 'lost-wakeup': 'nobody sets it' },
  threads: {
    setter(_cpu, m, variant) {
      WRITE_ONCE(m.data, 1);
      if (variant === 'handoff') smp_store_release(m.flag, 1);
    },
    waiter(_cpu, m) {
      smp_cond_load_acquire(m.flag, (v) => v !== 0);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

for (const model of MODELS)
  test(`an await no write satisfies is a deadlock under ${model}; one some write satisfies is not`, (t) => {
    const lost = exploreVariant(FLAG, 'lost-wakeup', { model, timeoutMs: 60_000 });
    t.deepEqual(
      lost.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind]),
      [[1, 'read']],
    );
    t.deepEqual(lost.stats.deadlock?.finished, [0]);
    t.is(lost.outcomes[0]!.executions, 0);
    const handoff = exploreVariant(FLAG, 'handoff', { model, timeoutMs: 60_000 });
    t.is(handoff.stats.deadlock, undefined);
    t.true(handoff.outcomes[0]!.executions > 0);
    // waiting costs nothing: no pass of the wait is explored, nothing is cut
    t.is(handoff.extent.kind, 'exhaustive');
  });

test('a deadlock is a failure where the variant forbids a stall (the default), not where it expects one', (t) => {
  const lost = variantResult(
    FLAG,
    exploreVariant(FLAG, 'lost-wakeup', { model: 'sc', timeoutMs: 60_000 }),
  );
  t.deepEqual(
    modelFailures(FLAG, [lost]).map((f) => [f.kind, f.message]),
    [
      [
        'deadlock',
        'lost-wakeup: the model reaches a deadlock (waiter waits for good) where this variant forbids a stall',
      ],
    ],
  );
  const abba = variantResult(
    ABBA,
    exploreVariant(ABBA, 'abba', { model: 'sc', timeoutMs: 60_000 }),
  );
  t.truthy(abba.deadlock);
  t.deepEqual(modelFailures(ABBA, [abba]), []);
});
