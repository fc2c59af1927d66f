// rwlock_t as the kernel's queued rwlock (qrwlock): one word `cnts` holding the reader count
// (from bit 9 up), a writer-waiting bit (0x100) and a writer-locked byte (0xff), plus a
// spinlock `wait_lock` that queues whoever cannot take the lock at once. A reader arriving while
// a writer holds or waits for the lock backs off its count and queues on wait_lock, so a
// waiting writer is not starved by a stream of readers; whoever holds or spins for wait_lock is
// waiting, so rwlock_needbreak() is spin_is_locked(wait_lock). This module also has
// cond_resched_rwlock_*().

import type { rwlock_t } from './memory.ts';
import { cond_resched, cpu_relax, need_resched, waitPass } from './sched.ts';
import { spin_is_locked, spin_lock, spin_unlock } from './spinlock.ts';

/** A writer is waiting for the readers to leave. */
const QW_WAITING = 0x100;
/** A writer holds the lock. */
const QW_LOCKED = 0x0ff;
/** Either of the two: new readers must queue. */
const QW_WMASK = 0x1ff;
/** One reader in `cnts`. */
const QR_BIAS = 1 << 9;

/** read_lock(lock): shared acquire; queues behind a waiting writer. x86-64: LOCK XADD = atomic_fetch_add_acquire(cnts, QR_BIAS) */
export function read_lock(lock: rwlock_t): void {
  const cnts = lock.mem.atomic_fetch_add_acquire(lock.cnts, QR_BIAS) + QR_BIAS;
  if ((cnts & QW_WMASK) === 0) return;
  // Slow path (queued_read_lock_slowpath): a writer holds or waits. Withdraw (atomic_sub),
  // queue on wait_lock, come back (atomic_add): both relaxed and without a return value.
  lock.mem.atomic_add(lock.cnts, -QR_BIAS);
  spin_lock(lock.wait_lock);
  lock.mem.atomic_add(lock.cnts, QR_BIAS);
  // Wait for the writer that holds the lock to write_unlock() (atomic_cond_read_acquire); a
  // waiting writer holds wait_lock, so none is waiting now. Why the critical section cannot
  // start before the writer's has ended, under lkmm: the writer's release rmw is read by our
  // atomic_sub (or by a chain of rmws ending there); each of our rmws' writes is computed from
  // its read (a data dependency), and each next access of cnts reads that write (rfi), so the
  // sub's read is ordered before the add's, and the add's before this acquire load
  // (linux-kernel.cat's to-r: dep ; rfi) — and the acquire before the critical section.
  // Without those dependencies (an xchg in their place) lkmm allows a torn record here.
  while ((lock.mem.smp_load_acquire(lock.cnts) & QW_LOCKED) !== 0) waitPass();
  spin_unlock(lock.wait_lock);
}

/** read_unlock(lock): leave the readers. x86-64: LOCK XADD = atomic_fetch_add_release(cnts, -QR_BIAS) */
export function read_unlock(lock: rwlock_t): void {
  lock.mem.atomic_fetch_add_release(lock.cnts, -QR_BIAS);
}

/** read_trylock(lock): shared acquire unless a writer holds or waits; true on success. JS: Atomics.add */
export function read_trylock(lock: rwlock_t): boolean {
  if ((lock.mem.READ_ONCE(lock.cnts) & QW_WMASK) !== 0) return false;
  const cnts = lock.mem.atomic_fetch_add_acquire(lock.cnts, QR_BIAS) + QR_BIAS;
  if ((cnts & QW_WMASK) === 0) return true;
  lock.mem.atomic_add(lock.cnts, -QR_BIAS);
  return false;
}

/** write_lock(lock): exclusive acquire; waits for readers to leave. x86-64: LOCK CMPXCHG = cmpxchg_acquire(cnts, 0, QW_LOCKED) */
export function write_lock(lock: rwlock_t): void {
  if (lock.mem.cmpxchg_acquire(lock.cnts, 0, QW_LOCKED) === 0) return;
  spin_lock(lock.wait_lock);
  if (lock.mem.cmpxchg_acquire(lock.cnts, 0, QW_LOCKED) !== 0) {
    // atomic_or(QW_WAITING): only the wait_lock holder sets it, so it is clear and adding it is
    // setting it.
    lock.mem.atomic_add(lock.cnts, QW_WAITING);
    // Wait until the readers have left and no writer holds the lock (cnts == QW_WAITING), then
    // claim it; the cmpxchg fails if a reader slipped in meanwhile, and we wait again.
    // A failed cmpxchg only reads, so a pass that fails is a wait's pass like the others.
    for (;;) {
      while (lock.mem.READ_ONCE(lock.cnts) !== QW_WAITING) waitPass();
      if (lock.mem.cmpxchg_acquire(lock.cnts, QW_WAITING, QW_LOCKED) === QW_WAITING) break;
      waitPass();
    }
  }
  spin_unlock(lock.wait_lock);
}

/**
 * write_unlock(lock): release the writer byte. x86-64: MOV of the byte (smp_store_release of
 * wlocked); JS: atomic_fetch_add_release(cnts, -QW_LOCKED), the same change to the whole word
 * (the models have no byte inside a word), which keeps readers' concurrent counts.
 */
export function write_unlock(lock: rwlock_t): void {
  lock.mem.atomic_fetch_add_release(lock.cnts, -QW_LOCKED);
}

/** write_trylock(lock): exclusive acquire if nobody holds or waits; true on success. JS: one cmpxchg_acquire */
export function write_trylock(lock: rwlock_t): boolean {
  return lock.mem.cmpxchg_acquire(lock.cnts, 0, QW_LOCKED) === 0;
}

/** rwlock_is_contended(lock): someone is queued waiting for it. JS: spin_is_locked(wait_lock) */
export function rwlock_is_contended(lock: rwlock_t): boolean {
  return spin_is_locked(lock.wait_lock);
}

/**
 * rwlock_needbreak(lock): a holder should drop the lock because someone waits (kernel: with
 * CONFIG_PREEMPTION, rwlock_is_contended). JS: spin_is_locked(wait_lock)
 */
export function rwlock_needbreak(lock: rwlock_t): boolean {
  return rwlock_is_contended(lock);
}

/**
 * __cond_resched_rwlock_*(): if someone waits or the slice is used up, drop the lock, yield
 * (cond_resched(), or cpu_relax() when the slice is not used up), take it again.
 */
function condReschedRwlock(
  lock: rwlock_t,
  unlock: (lock: rwlock_t) => void,
  relock: (lock: rwlock_t) => void,
): boolean {
  if (!rwlock_needbreak(lock) && !need_resched()) return false;
  unlock(lock);
  if (!cond_resched()) cpu_relax();
  relock(lock);
  return true;
}

/**
 * cond_resched_rwlock_read(lock): if someone waits or the slice is used up, drop the read lock,
 * yield (or just relax), take it again; returns whether it dropped the lock. Whatever was read
 * under the lock may be stale afterwards: the caller must revalidate (restart its walk).
 */
export function cond_resched_rwlock_read(lock: rwlock_t): boolean {
  return condReschedRwlock(lock, read_unlock, read_lock);
}

/** cond_resched_rwlock_write(lock): as cond_resched_rwlock_read, for a lock held for write. */
export function cond_resched_rwlock_write(lock: rwlock_t): boolean {
  return condReschedRwlock(lock, write_unlock, write_lock);
}
