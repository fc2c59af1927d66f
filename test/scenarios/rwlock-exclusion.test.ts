// rwlock-exclusion on this machine: with read_lock a reader never sees a record half
// updated, and every read is classified once. How often the unlocked readers tear is not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter, sum } from './results.ts';

test('read-locked never torn; reads counted = reads classified in every variant', async (t) => {
  const s = await loadScenario('rwlock-exclusion');
  // Until both threads have run a few thousand times, however busy the machine.
  const r = await runScenario(s, { until: { reads: 5_000, updates: 5_000 }, timeSeconds: 30 });
  t.deepEqual(r.failures, []);
  for (const v of r.variants) {
    t.true(counter(v, 'reads') > 0 && counter(v, 'updates') > 0, `${v.variant}: both ran`);
    t.is(sum(v), counter(v, 'reads'), `${v.variant}: each read has one outcome`);
  }
  const locked = r.variants.find((v) => v.variant === 'read-locked')!;
  t.is(count(locked, 'record torn (fields of two updates)'), 0);
});
