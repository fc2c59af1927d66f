// rcu-call-rcu-free on hw and on the weak CPU: under rcu_read_lock() a reader never uses an
// object call_rcu() (or synchronize_rcu() then a free) has freed; every read is classified
// once. How often the reader without rcu_read_lock() catches a freed object is not asserted.

import test from 'ava';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';
import { count, counter } from './results.ts';

const UAF = 'used an object call_rcu had freed';

for (const memory of ['x86', 'weak'] as const) {
  test.serial(`${memory}: never a use after free under rcu_read_lock()`, async (t) => {
    const s = await loadScenario('rcu-call-rcu-free');
    // Until each variant has replaced the object a thousand times, however busy the machine.
    const r = await runScenario(s, {
      backend: memory === 'x86' ? 'hw' : 'weak',
      memory,
      variants: ['call-rcu', 'synchronize-rcu'],
      until: { replacements: 1_000 },
      timeSeconds: 30,
    });
    t.deepEqual(r.failures, []);
    for (const v of r.variants) {
      t.true(counter(v, 'replacements') >= 1_000, `${v.variant}: the updater ran`);
      t.is(count(v, UAF), 0, `${v.variant}: never freed under the reader`);
    }
  });
}
