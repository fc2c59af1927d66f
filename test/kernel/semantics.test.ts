// What each primitive returns and leaves behind, on one thread (no race involved): trylock
// answers, needbreak, the atomic_t family's return values, u64 halves against the 64-bit cell,
// seqcount retry detection, need_resched/cond_resched and the time slice.

import test from 'ava';
import {
  atomic_add_return,
  atomic_cmpxchg,
  atomic_dec_and_test,
  atomic_inc_not_zero,
  atomic_read,
  atomic64_add_return,
  atomic64_cmpxchg,
  atomic64_read,
  cmpxchg,
  cond_resched,
  cond_resched_rwlock_read,
  need_resched,
  READ_ONCE,
  raw_read_seqcount,
  read_lock,
  read_seqcount_begin,
  read_seqcount_retry,
  read_trylock,
  read_unlock,
  rwlock_needbreak,
  smp_processor_id,
  spin_is_contended,
  spin_is_locked,
  spin_lock,
  spin_trylock,
  spin_unlock,
  test_and_set_bit,
  u64_load,
  u64_load_dataview,
  u64_load_halves,
  u64_store,
  u64_store_dataview,
  u64_store_halves,
  write_lock,
  write_seqcount_begin,
  write_seqcount_end,
  write_trylock,
  write_unlock,
  xchg,
} from '../../src/kernel/index.ts';
import { bindTestCpu } from './cpu-fixture.ts';

// ava runs the tests of a file concurrently, but each test binds and uses its CPU without
// awaiting in between, so bindings never interleave.

test('spin_trylock / spin_is_locked: free → taken once, not twice; free again after unlock', (t) => {
  const { m } = bindTestCpu({ lock: 'spinlock_t' });
  t.false(spin_is_locked(m.lock));
  t.true(spin_trylock(m.lock));
  t.true(spin_is_locked(m.lock));
  t.false(spin_trylock(m.lock));
  spin_unlock(m.lock);
  t.false(spin_is_locked(m.lock));
  spin_lock(m.lock);
  t.false(spin_trylock(m.lock));
});

test('a CPU queued for a spinlock: spin_is_locked and spin_is_contended say so, spin_trylock refuses', (t) => {
  const { m } = bindTestCpu({ lock: 'spinlock_t' });
  const queue = (n: number) => m.lock.mem.atomic_fetch_add(m.lock.waiters, n); // what spin_lock's slow path does
  queue(1);
  t.true(spin_is_locked(m.lock), 'free but waited for');
  t.true(spin_is_contended(m.lock));
  t.false(spin_trylock(m.lock), 'no barging past a waiter');
  queue(-1);
  t.false(spin_is_contended(m.lock));
  t.true(spin_trylock(m.lock));
});

test('rwlock trylocks: readers share, a writer excludes both, nobody waits → no needbreak', (t) => {
  const { m } = bindTestCpu({ lock: 'rwlock_t' });
  read_lock(m.lock);
  t.true(read_trylock(m.lock), 'a second reader gets in');
  t.false(write_trylock(m.lock), 'no writer while readers hold it');
  t.false(rwlock_needbreak(m.lock));
  read_unlock(m.lock);
  read_unlock(m.lock);
  t.true(write_trylock(m.lock));
  t.false(read_trylock(m.lock), 'no reader while a writer holds it');
  t.false(write_trylock(m.lock));
  write_unlock(m.lock);
  write_lock(m.lock);
  write_unlock(m.lock);
  t.true(read_trylock(m.lock), 'unlocked again');
});

test('rwlock_needbreak: true exactly while someone holds or waits for wait_lock', (t) => {
  const { m } = bindTestCpu({ lock: 'rwlock_t' });
  read_lock(m.lock);
  spin_lock(m.lock.wait_lock); // what a waiting writer or reader holds
  t.true(rwlock_needbreak(m.lock));
  spin_unlock(m.lock.wait_lock);
  t.false(rwlock_needbreak(m.lock));
  m.lock.wait_lock.mem.atomic_fetch_add(m.lock.wait_lock.waiters, 1); // a CPU spinning for wait_lock
  t.true(
    rwlock_needbreak(m.lock),
    'a queued CPU is a waiter too, between two holders of wait_lock',
  );
});

test('cond_resched_rwlock_read: keeps the lock when nobody waits and the slice is fresh', (t) => {
  const { m } = bindTestCpu({ lock: 'rwlock_t' });
  read_lock(m.lock);
  t.false(cond_resched_rwlock_read(m.lock));
  t.false(write_trylock(m.lock), 'still read-locked');
});

test('need_resched/cond_resched: the slice runs out, cond_resched yields once and starts a new one', (t) => {
  const { ctx } = bindTestCpu({ x: 'int' }, 60_000);
  t.false(need_resched());
  t.false(cond_resched());
  ctx.sliceEnd = performance.now() - 1;
  t.true(need_resched());
  t.true(cond_resched());
  t.false(need_resched(), 'a new 60 s slice');
  t.is(smp_processor_id(), 3);
});

test('atomic_t: return values of dec_and_test, inc_not_zero, add_return, cmpxchg', (t) => {
  const { m } = bindTestCpu({ v: { type: 'atomic_t', init: 2 }, z: 'atomic_t', w: 'int' });
  t.false(atomic_dec_and_test(m.v), '2 → 1 is not the last put');
  t.true(atomic_dec_and_test(m.v), '1 → 0 is');
  t.false(atomic_inc_not_zero(m.z), 'a zero count is not revived');
  t.is(atomic_read(m.z), 0);
  t.is(atomic_add_return(5, m.z), 5);
  t.true(atomic_inc_not_zero(m.z));
  t.is(atomic_read(m.z), 6);
  t.is(atomic_cmpxchg(m.z, 4, 9), 6, 'returns the old value on a mismatch');
  t.is(atomic_read(m.z), 6, 'and leaves it');
  t.is(atomic_cmpxchg(m.z, 6, 9), 6);
  t.is(atomic_read(m.z), 9);
  t.is(xchg(m.w, 7), 0);
  t.is(cmpxchg(m.w, 7, 8), 7);
  t.is(READ_ONCE(m.w), 8);
  t.false(test_and_set_bit(4, m.w), 'bit 4 of 8 was clear');
  t.true(test_and_set_bit(4, m.w));
  t.is(READ_ONCE(m.w), 8 | 16);
});

test('u64: halves, the 64-bit cell and DataView agree on the value (low half first)', (t) => {
  const { m } = bindTestCpu({ x: 'u64', a: { type: 'atomic64_t', init: 40n } });
  for (const v of [
    0n,
    1n,
    -1n,
    0x1234_5678_9abc_def0n,
    -0x7fff_ffff_0000_0001n,
    0xffff_ffffn,
    1n << 32n,
  ]) {
    u64_store_halves(m.x, v);
    t.is(u64_load(m.x), v);
    t.is(u64_load_dataview(m.x), v);
    u64_store(m.x, v);
    t.is(u64_load_halves(m.x), v);
    u64_store_dataview(m.x, v);
    t.is(u64_load_halves(m.x), v);
  }
  t.is(atomic64_add_return(2n, m.a), 42n);
  t.is(atomic64_cmpxchg(m.a, 42n, -(1n << 40n)), 42n);
  t.is(atomic64_read(m.a), -(1n << 40n));
});

test('seqcount: a write between begin and retry is detected, none is not', (t) => {
  const { m } = bindTestCpu({ s: 'seqcount_t' });
  const start = read_seqcount_begin(m.s);
  t.false(read_seqcount_retry(m.s, start));
  write_seqcount_begin(m.s);
  t.is(raw_read_seqcount(m.s) & 1, 1, 'odd during the write');
  write_seqcount_end(m.s);
  t.true(read_seqcount_retry(m.s, start));
  t.false(read_seqcount_retry(m.s, read_seqcount_begin(m.s)));
});
