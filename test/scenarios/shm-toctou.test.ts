// shm-toctou on this machine: copy-then-check always uses the length it checked, and every
// request is classified once. How often the double fetch goes wrong is not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario-load.ts';
import type { VariantResult } from '../../src/runtime/scenario-result.ts';
import { runScenario } from '../../src/runtime/scenario-run.ts';

const count = (v: VariantResult, outcome: string) =>
  v.outcomes.find((o) => o.outcome === outcome)!.count;
const counter = (v: VariantResult, name: string) => v.counters.find((c) => c.name === name)!.value;
const sum = (v: VariantResult) => v.outcomes.reduce((n, o) => n + o.count, 0);

test('copy-then-check uses what it checked; requests counted = requests classified', async (t) => {
  const s = await loadScenario('shm-toctou');
  const r = await runScenario(s, { timeSeconds: 0.3 });
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
