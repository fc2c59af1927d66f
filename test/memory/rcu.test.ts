// Grace periods (src/memory/rcu.ts, src/memory/derived.ts), scripted on one thread with two
// CPUs' memory objects over one buffer: which critical sections a grace period waits for, the
// srcu_struct's count, callbacks run in order after their grace period, and the waits that
// could never end refused or abandoned. Every hw memory kind answers the same.

import test from 'ava';
import { CONTROL_CELLS } from '../../src/memory/layout.ts';
import type { MemoryOps } from '../../src/memory/ops.ts';
import { KINDS, twoCpus } from './two-cpus.ts';

/** An srcu_struct's two cells, after the control lines. */
const SSP = CONTROL_CELLS;

for (const [name, create] of Object.entries(KINDS)) {
  test(`${name}: a grace period waits for a section that began before it, not for one that began after`, (t) => {
    const [updater, reader] = twoCpus(create) as [MemoryOps, MemoryOps];
    reader.rcu_read_lock();
    reader.rcu_read_lock();
    const g = updater.start_poll_synchronize_rcu();
    t.false(updater.poll_state_synchronize_rcu(g), 'the reader is inside');
    reader.rcu_read_unlock();
    t.false(updater.poll_state_synchronize_rcu(g), 'still inside: sections nest');
    t.true(reader.rcu_read_lock_held());
    reader.rcu_read_unlock();
    t.false(reader.rcu_read_lock_held());
    t.true(updater.poll_state_synchronize_rcu(g));
    reader.rcu_read_lock();
    const later = updater.start_poll_synchronize_rcu();
    t.false(updater.poll_state_synchronize_rcu(later));
    t.true(updater.poll_state_synchronize_rcu(g), 'a section that began after g does not hold g');
    reader.abandon();
    t.true(updater.poll_state_synchronize_rcu(later), 'an abandoned instance leaves its section');
  });

  test(`${name}: synchronize_rcu() waits; inside a read-side critical section it is an error`, (t) => {
    let reader: MemoryOps | undefined;
    const [updater, r] = twoCpus(create, () => reader?.rcu_read_unlock()) as [MemoryOps, MemoryOps];
    reader = r;
    reader.rcu_read_lock();
    updater.synchronize_rcu();
    t.false(reader.rcu_read_lock_held(), 'the wait ended when the reader left');
    updater.rcu_read_lock();
    t.throws(() => updater.synchronize_rcu(), {
      message: 'synchronize_rcu() inside an RCU read-side critical section waits for itself',
    });
  });

  test(`${name}: call_rcu() callbacks run in order after their grace period; rcu_barrier() runs them all`, (t) => {
    const [updater, reader] = twoCpus(create, () => reader?.rcu_read_unlock()) as [
      MemoryOps,
      MemoryOps,
    ];
    const ran: string[] = [];
    reader.rcu_read_lock();
    updater.call_rcu(() => ran.push('a'));
    updater.call_rcu(() => ran.push('b'));
    t.deepEqual(ran, [], 'the reader holds both grace periods');
    updater.rcu_barrier();
    t.deepEqual(ran, ['a', 'b']);
    updater.call_rcu(() => ran.push('c'));
    updater.call_rcu(() => ran.push('d'));
    t.deepEqual(ran, ['a', 'b', 'c'], 'no reader: c runs at the next call_rcu()');
    updater.synchronize_rcu();
    t.deepEqual(ran, ['a', 'b', 'c', 'd']);
  });

  test(`${name}: an srcu_struct counts its readers, from any CPU; its grace period waits for them`, (t) => {
    const [updater, reader] = twoCpus(create) as [MemoryOps, MemoryOps];
    const idx = reader.srcu_read_lock(SSP);
    t.is(idx, 0, "the index is the srcu_struct's word, as in LKMM");
    const g = updater.start_poll_synchronize_srcu(SSP);
    t.false(updater.poll_state_synchronize_srcu(SSP, g));
    updater.srcu_read_unlock(SSP, idx);
    t.true(updater.poll_state_synchronize_srcu(SSP, g), 'srcu_up_read() from another CPU');
    updater.synchronize_srcu(SSP);
    t.pass();
  });
}
