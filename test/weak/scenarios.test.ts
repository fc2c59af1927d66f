// Program scenarios on the weak CPU: what must never show does not (asserted over a few
// thousand races); how often the relaxed outcomes show is the machine's business (measured by
// running them, not asserted). Scenarios weak cannot run are refused with the reason.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count } from '../scenarios/results.ts';

const ITERATIONS = 2_048;

async function onWeak(name: string, variants: string[]) {
  return runScenario(await loadScenario(name), {
    backend: 'weak',
    memory: 'weak',
    variants,
    iterations: ITERATIONS,
    timeSeconds: 30,
  });
}

test.serial(
  'atomic-bool on weak: never stale data with release/acquire or smp_wmb+smp_rmb',
  async (t) => {
    const r = await onWeak('atomic-bool', ['release-acquire', 'wmb-rmb']);
    t.deepEqual(r.failures, []);
    for (const v of r.variants) {
      t.is(v.iterations, ITERATIONS, v.variant);
      t.is(count(v, 'flag seen, data stale'), 0, v.variant);
    }
  },
);

test.serial(
  'refcount and warn-once keep their verdicts on weak (no forbidden outcome)',
  async (t) => {
    for (const name of ['refcount', 'warn-once']) {
      const s = await loadScenario(name);
      const r = await onWeak(
        name,
        s.variants.map((v) => v.name),
      );
      t.deepEqual(r.failures, [], name);
    }
  },
);

test('a long-running scenario, or one with arrays, is refused on weak with the reason', async (t) => {
  await t.throwsAsync(onWeak('pf-invalidate-race', ['no-rmb']), {
    message:
      "pf-invalidate-race: the weak backend runs 'iterations' scenarios only (fresh memory per race, as litmus instances); this one is long-running: run it with --on hw",
  });
});
