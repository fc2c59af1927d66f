// spinlock_t: a lock word (0 unlocked, 1 locked) taken with cmpxchg, and a count of the CPUs
// spinning for it. The kernel's qspinlock queues its waiters (MCS) and its lock word says so
// (pending bit, tail), which is what spin_is_locked() and rwlock_needbreak() read; the waiter
// count gives that answer here. Waiters are not served in order: they race for the word when
// it is released — enough for mutual exclusion, not for fairness.

import type { spinlock_t } from './memory.ts';
import { cpu_relax } from './sched.ts';

/** spin_lock(lock): acquire; spins until free. x86-64: LOCK CMPXCHG loop = Atomics.compareExchange */
export function spin_lock(lock: spinlock_t): void {
  if (lock.mem.cmpxchg(lock.i, 0, 1) === 0) return;
  lock.mem.atomic_fetch_add(lock.waiters, 1);
  // Wait for the holder's spin_unlock() store (READ_ONCE re-read each pass: cpu_relax() is a
  // barrier), then race for the word; the cmpxchg is fully ordered, so the critical section
  // cannot start before we own the lock.
  do {
    while (lock.mem.READ_ONCE(lock.i) !== 0) cpu_relax();
  } while (lock.mem.cmpxchg(lock.i, 0, 1) !== 0);
  lock.mem.atomic_fetch_add(lock.waiters, -1);
}

/**
 * spin_trylock(lock): acquire if nobody holds it or waits for it; true on success (the kernel's
 * queued_spin_trylock() also fails when the lock word shows waiters). JS: Atomics.compareExchange
 */
export function spin_trylock(lock: spinlock_t): boolean {
  if (lock.mem.smp_load_acquire(lock.waiters) !== 0) return false;
  return lock.mem.cmpxchg(lock.i, 0, 1) === 0;
}

/** spin_unlock(lock): release; the critical section's accesses stay before it. x86-64: MOV = smp_store_release(0) */
export function spin_unlock(lock: spinlock_t): void {
  lock.mem.smp_store_release(lock.i, 0);
}

/**
 * spin_is_locked(lock): someone holds it or is queued for it (a hint, stale at once).
 * JS: smp_load_acquire of both words, which V8 cannot hoist out of a loop
 */
export function spin_is_locked(lock: spinlock_t): boolean {
  return lock.mem.smp_load_acquire(lock.i) !== 0 || lock.mem.smp_load_acquire(lock.waiters) !== 0;
}

/** spin_is_contended(lock): some CPU is waiting for it. JS: smp_load_acquire(waiters) !== 0 */
export function spin_is_contended(lock: spinlock_t): boolean {
  return lock.mem.smp_load_acquire(lock.waiters) !== 0;
}
