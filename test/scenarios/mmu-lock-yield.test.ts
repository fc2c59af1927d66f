// mmu-lock-yield on this machine: without the forward-progress guard the zap livelocks under
// steady contention and the watchdog names the zapper; with it, and without yielding, the zap
// completes and nothing stalls. Counters add up. Latencies are not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter } from './results.ts';

/** The scenario's range (16384 gfns) less its first pmd: gfns walked per completed zap, at least. */
const WALKED_PER_ZAP = 16384 - 64;

test('yield-no-guard: the watchdog stops a zapper that makes no progress (expected)', async (t) => {
  const s = await loadScenario('mmu-lock-yield');
  // A 4 s window: a vCPU merely descheduled on a loaded machine is not taken for the stall.
  const r = await runScenario(s, {
    variants: ['yield-no-guard'],
    timeSeconds: 10,
    stallSeconds: 4,
  });
  t.deepEqual(r.failures, [], 'the stall is this variant’s expected result');
  const v = r.variants[0]!;
  t.is(v.stoppedBy, 'stall');
  t.is(v.stall?.thread, 'zapper');
  t.is(v.stall?.reason, 'no progress');
  t.is(count(v, 'zap completed'), 0);
  t.true(counter(v, 'yields') > 0, 'it kept yielding');
  t.true(count(v, 'fault served') > 0, 'the vCPUs kept faulting');
});

test('no-yield and yield: the zap completes, nothing stalls, counters add up', async (t) => {
  const s = await loadScenario('mmu-lock-yield');
  const r = await runScenario(s, {
    variants: ['no-yield', 'yield'],
    // Until a zap completed and the vCPUs were served, however busy the machine; no stall
    // window a descheduled thread could fall into.
    until: { 'zap completed': 1, 'fault served': 100 },
    timeSeconds: 30,
    stallSeconds: 30,
  });
  t.deepEqual(r.failures, []);
  for (const v of r.variants) {
    t.is(v.stoppedBy, 'done', v.variant);
    t.true(count(v, 'zap completed') >= 1, `${v.variant}: a zap completed`);
    t.is(count(v, 'fault served'), counter(v, 'faults'), `${v.variant}: each fault served once`);
    t.true(counter(v, 'gfns walked') >= count(v, 'zap completed') * WALKED_PER_ZAP, v.variant);
    t.is(v.latencies.find((l) => l.name === 'zap time')!.count, count(v, 'zap completed'));
  }
  t.is(counter(r.variants[0]!, 'yields'), 0, 'no-yield never yields');
  t.true(counter(r.variants[1]!, 'yields') > 0, 'yield yields');
});
