// shm-toctou on this machine: copy-then-check always uses the length it checked, and every
// request is classified once. How often the double fetch goes wrong is not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter, sum } from './results.ts';

test('copy-then-check uses what it checked; requests counted = requests classified', async (t) => {
  const s = await loadScenario('shm-toctou');
  // Until the host has served a few thousand requests and used some lengths (a guest preempted
  // while its length is over MAX leaves the host refusing every request), however busy the
  // machine.
  const r = await runScenario(s, {
    until: { requests: 5_000, 'used the length it checked': 100 },
    timeSeconds: 120,
  });
  t.deepEqual(r.failures, []);
  for (const v of r.variants) {
    t.true(counter(v, 'requests') > 0, `${v.variant}: the host ran`);
    t.is(sum(v), counter(v, 'requests'), `${v.variant}: each request has one outcome`);
  }
  const copy = r.variants.find((v) => v.variant === 'copy-then-check')!;
  t.is(count(copy, 'used another length (in bounds)'), 0);
  t.is(count(copy, 'used a length over MAX (overflow)'), 0);
  t.true(count(copy, 'used the length it checked') > 0);
});
