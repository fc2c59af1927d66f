// Where a call_rcu() callback runs on hw (src/memory/callback-points.ts, derived.ts): at any
// later call of its CPU's memory object once its grace period has ended — not only at the next
// call_rcu(), synchronize_rcu() or rcu_barrier() — once, in order, never inside another. Scripted on one thread with two CPUs' memory objects over one buffer.

import test from 'ava';
import { CONTROL_CELLS } from '../../src/memory/layout.ts';
import { KINDS, twoCpus } from './two-cpus.ts';

const X = CONTROL_CELLS;

for (const [name, create] of Object.entries(KINDS)) {
  test(`${name}: a callback runs at the first call of its CPU after its grace period`, (t) => {
    const [updater, reader] = twoCpus(create);
    const ran: string[] = [];
    reader.rcu_read_lock();
    updater.call_rcu(() => ran.push('a'));
    updater.WRITE_ONCE(X, 1);
    t.deepEqual(ran, [], 'the reader holds the grace period');
    reader.rcu_read_unlock();
    reader.READ_ONCE(X);
    t.deepEqual(ran, [], "another CPU's call runs none of it");
    t.is(updater.READ_ONCE(X), 1);
    t.deepEqual(ran, ['a'], 'run before the READ_ONCE()');
    updater.READ_ONCE(X);
    t.deepEqual(ran, ['a'], 'run once');
  });

  test(`${name}: a callback's own calls run no other callback; one that waits for callbacks is refused`, (t) => {
    const [updater] = twoCpus(create);
    const ran: string[] = [];
    updater.call_rcu(() => {
      ran.push('a');
      updater.WRITE_ONCE(X, 2);
      ran.push('a done');
    });
    updater.call_rcu(() => ran.push('b'));
    updater.smp_mb();
    t.deepEqual(ran, ['a', 'a done', 'b'], 'in order, one after the other');
    updater.call_rcu(() => updater.rcu_barrier());
    updater.call_rcu(() => updater.synchronize_rcu());
    t.throws(() => updater.smp_mb(), { message: /runs in softirq, where nothing may sleep/ });
  });
}
