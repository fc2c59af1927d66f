// ndelay: waits at least the time asked, on the shared clock, and never sleeps (it may run under
// a lock, where giving the core away would stretch the hold time).

import test from 'ava';
import { bindCpu } from '../../src/kernel/cpu.ts';
import { ktime_get_ns, ndelay } from '../../src/kernel/index.ts';
import { bindTestCpu } from './cpu-fixture.ts';

test('ndelay: at least ns elapse, and the CPU never sleeps meanwhile', (t) => {
  const { ctx } = bindTestCpu({});
  let sleeps = 0;
  bindCpu({ ...ctx, sleep: () => void sleeps++ });
  // 20 ms: cpu_relax() would have slept several times in a spin this long.
  const t0 = ktime_get_ns();
  ndelay(20_000_000);
  t.true(ktime_get_ns() - t0 >= 20_000_000);
  t.is(sleeps, 0);
});
