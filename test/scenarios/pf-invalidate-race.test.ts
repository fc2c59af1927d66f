// pf-invalidate-race on this machine: with the full check no stale pfn is ever installed or
// left mapped, every fault ends installed or retried, and the invalidations ran. How often the
// weaker checks install a stale pfn is not asserted (nor that no-rmb shows none on x86).

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter } from './results.ts';

const PER_FAULT = [
  'current pfn installed',
  'fault retried (invalidation seen)',
  'outdated pfn installed during an invalidation',
  'freed pfn installed after the invalidation ended',
];
const STALE = [
  'outdated pfn installed during an invalidation',
  'freed pfn installed after the invalidation ended',
  'stale pfn still mapped when the invalidation ended',
];

test('no forbidden outcome in any variant; faults counted = faults classified', async (t) => {
  const s = await loadScenario('pf-invalidate-race');
  // Until both sides have run a few thousand times, however busy the machine.
  const r = await runScenario(s, {
    until: { faults: 5_000, invalidations: 1_000 },
    timeSeconds: 20,
  });
  t.deepEqual(r.failures, []);
  for (const v of r.variants) {
    t.true(counter(v, 'faults') > 0 && counter(v, 'invalidations') > 0, `${v.variant}: both ran`);
    const classified = PER_FAULT.reduce((n, o) => n + count(v, o), 0);
    t.is(classified, counter(v, 'faults'), `${v.variant}: each fault installed or retried`);
  }
  const full = r.variants.find((v) => v.variant === 'full-check')!;
  for (const o of STALE) t.is(count(full, o), 0, `full-check: ${o}`);
  t.true(count(full, 'current pfn installed') > 0);
});
