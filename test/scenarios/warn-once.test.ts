// warn-once on this machine: with test_and_set_bit every race prints exactly one warning;
// without it at least one. How often check-then-set prints more than one is not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter } from './results.ts';

const ITERATIONS = 640;
const VCPUS = 3;

/** One variant for ITERATIONS races (the time budget only guards against a hang). */
async function run(variant: string) {
  return runScenario(await loadScenario('warn-once'), {
    variants: [variant],
    iterations: ITERATIONS,
    timeSeconds: 20,
  });
}

test('test-and-set: exactly one warning per race; counters add up', async (t) => {
  const r = await run('test-and-set');
  t.deepEqual(r.failures, []);
  const v = r.variants[0]!;
  t.is(v.iterations, ITERATIONS);
  t.deepEqual(
    v.outcomes.map((o) => [o.outcome, o.count]),
    [
      ['exactly one warning', ITERATIONS],
      ['more than one warning', 0],
      ['no warning', 0],
    ],
  );
  t.is(counter(v, 'warnings'), ITERATIONS);
  t.is(counter(v, 'bug hits'), VCPUS * ITERATIONS);
});

test('check-then-set: never no warning; warnings at least one per race, at most one per vCPU', async (t) => {
  const r = await run('check-then-set');
  t.deepEqual(r.failures, []);
  const v = r.variants[0]!;
  t.is(count(v, 'no warning'), 0);
  t.is(count(v, 'exactly one warning') + count(v, 'more than one warning'), ITERATIONS);
  const warnings = counter(v, 'warnings');
  t.true(warnings >= ITERATIONS + count(v, 'more than one warning'));
  t.true(warnings <= VCPUS * ITERATIONS);
  t.is(counter(v, 'bug hits'), VCPUS * ITERATIONS);
});
