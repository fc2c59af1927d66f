// torn-64bit on this machine: the protected variants never read a torn u64, and every read
// is classified once. How often the halves and DataView variants tear is not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter, sum } from './results.ts';

const TORN = 'read torn value (halves of two writes)';

test('every variant: no forbidden outcome, reads counted = reads classified', async (t) => {
  const s = await loadScenario('torn-64bit');
  // Until each variant has read and written a few thousand times, however busy the machine.
  const r = await runScenario(s, { until: { reads: 5_000, writes: 5_000 }, timeSeconds: 20 });
  t.deepEqual(r.failures, []);
  t.deepEqual(
    r.variants.map((v) => v.variant),
    ['unprotected', 'dataview', 'atomics', 'rwlock', 'seqcount'],
  );
  for (const v of r.variants) {
    t.true(counter(v, 'reads') > 0, `${v.variant}: the reader ran`);
    t.true(counter(v, 'writes') > 0, `${v.variant}: the writer ran`);
    t.is(sum(v), counter(v, 'reads'), `${v.variant}: each read has one outcome`);
  }
  for (const v of r.variants.filter((x) => ['atomics', 'rwlock', 'seqcount'].includes(x.variant)))
    t.is(count(v, TORN), 0, `${v.variant}: never torn`);
});
