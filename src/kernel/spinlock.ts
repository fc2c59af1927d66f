// spinlock_t: a lock word (0 unlocked, 1 locked) and a count of the CPUs queued for it. The
// kernel's qspinlock queues its waiters (MCS) and its lock word says so (pending bit, tail),
// which is what spin_is_locked() and rwlock_needbreak() read; the queued count gives that answer
// here. Waiters are not served in order: they race for the word when it is released — enough for
// mutual exclusion, not for fairness. The algorithm is the memory object's (memory/derived.ts),
// the same for litmus tests and scenarios; its wait is cpu_relax() here.

import type { spinlock_t } from './memory.ts';

/** spin_lock(lock): acquire; spins until free. x86-64: LOCK CMPXCHG loop = Atomics.compareExchange */
export function spin_lock(lock: spinlock_t): void {
  lock.mem.spin_lock(lock.i);
}

/**
 * spin_trylock(lock): acquire if nobody holds it or is queued for it; true on success (the
 * kernel's queued_spin_trylock() also fails when the lock word shows waiters). JS: Atomics.compareExchange
 */
export function spin_trylock(lock: spinlock_t): boolean {
  return lock.mem.spin_trylock(lock.i);
}

/** spin_unlock(lock): release; the critical section's accesses stay before it. x86-64: MOV = smp_store_release(0) */
export function spin_unlock(lock: spinlock_t): void {
  lock.mem.spin_unlock(lock.i);
}

/** spin_is_locked(lock): someone holds it or is queued for it (a hint, stale at once). JS: smp_load_acquire of both words */
export function spin_is_locked(lock: spinlock_t): boolean {
  return lock.mem.spin_is_locked(lock.i);
}

/** spin_is_contended(lock): some CPU is queued for it. JS: smp_load_acquire(queued) !== 0 */
export function spin_is_contended(lock: spinlock_t): boolean {
  return lock.mem.spin_is_contended(lock.i);
}
