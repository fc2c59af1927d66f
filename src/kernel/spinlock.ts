// spinlock_t: a test-and-test-and-set lock on one word (0 unlocked, 1 locked). The kernel's
// qspinlock queues its waiters (MCS) for fairness; this one does not — waiters race for the
// word when it is released — which keeps it one word and is enough for mutual exclusion.

import type { spinlock_t } from './memory.ts';
import { cpu_relax } from './sched.ts';

/** spin_lock(lock): acquire; spins until free. x86-64: LOCK CMPXCHG loop = Atomics.compareExchange */
export function spin_lock(lock: spinlock_t): void {
  // Wait for the holder's spin_unlock() store; read with READ_ONCE + cpu_relax() (a barrier),
  // then retry the cmpxchg. The cmpxchg is fully ordered: the critical section cannot start early.
  while (lock.mem.cmpxchg(lock.i, 0, 1) !== 0) {
    while (lock.mem.READ_ONCE(lock.i) !== 0) cpu_relax();
  }
}

/** spin_trylock(lock): acquire if free, never spin; true on success. JS: one Atomics.compareExchange */
export function spin_trylock(lock: spinlock_t): boolean {
  return lock.mem.cmpxchg(lock.i, 0, 1) === 0;
}

/** spin_unlock(lock): release; the critical section's accesses stay before it. JS: smp_store_release(0) */
export function spin_unlock(lock: spinlock_t): void {
  lock.mem.smp_store_release(lock.i, 0);
}

/** spin_is_locked(lock): someone holds it now (a hint, stale at once). JS: smp_load_acquire, which V8 cannot hoist */
export function spin_is_locked(lock: spinlock_t): boolean {
  return lock.mem.smp_load_acquire(lock.i) !== 0;
}
