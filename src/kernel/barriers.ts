// Ordering between accesses: compiler barrier, the smp_*() fences, release stores and acquire
// loads. The fences name no variable, so they act on this CPU's memory object (cpu.ts); the
// JS behind each one is in ops.ts, next to the argument for why it is sound on the host.

import { this_cpu } from './cpu.ts';
import type { int } from './memory.ts';

/** barrier(): the compiler keeps accesses on their side. JS: Atomics.load(fence) */
export function barrier(): void {
  this_cpu().mem.barrier();
}

/** smp_mb(): all earlier accesses before all later ones. x86-64: LOCK ADD = Atomics.add(fence, 0) */
export function smp_mb(): void {
  this_cpu().mem.smp_mb();
}

/** smp_rmb(): earlier loads before later loads. x86-64: compiler barrier = Atomics.load(fence) */
export function smp_rmb(): void {
  this_cpu().mem.smp_rmb();
}

/** smp_wmb(): earlier stores before later stores. x86-64: compiler barrier = Atomics.load(fence) */
export function smp_wmb(): void {
  this_cpu().mem.smp_wmb();
}

/** smp_mb__before_atomic(): full order before a non-returning atomic. x86-64: barrier() (the atomic is LOCKed) */
export function smp_mb__before_atomic(): void {
  this_cpu().mem.smp_mb__before_atomic();
}

/** smp_mb__after_atomic(): full order after a non-returning atomic. x86-64: barrier() (the atomic is LOCKed) */
export function smp_mb__after_atomic(): void {
  this_cpu().mem.smp_mb__after_atomic();
}

/** smp_mb__after_spinlock(): spin_lock() becomes a full fence. x86-64: barrier() (the lock is LOCK CMPXCHG) */
export function smp_mb__after_spinlock(): void {
  this_cpu().mem.smp_mb__after_spinlock();
}

/** smp_mb__after_unlock_lock(): unlock then lock becomes a full fence. x86-64: barrier() */
export function smp_mb__after_unlock_lock(): void {
  this_cpu().mem.smp_mb__after_unlock_lock();
}

/**
 * smp_store_release(*x, v): earlier accesses stay before the store.
 * x86-64: barrier() + MOV = Atomics.load(fence), element write
 */
export function smp_store_release(x: int, v: number): void {
  x.mem.smp_store_release(x.i, v);
}

/**
 * smp_load_acquire(*x): later accesses stay after the load.
 * x86-64: MOV + barrier() = element read, Atomics.load(fence)
 */
export function smp_load_acquire(x: int): number {
  return x.mem.smp_load_acquire(x.i);
}

/** smp_store_mb(*x, v): WRITE_ONCE then smp_mb(). x86-64: XCHG; JS: element write, Atomics.add(fence, 0) */
export function smp_store_mb(x: int, v: number): void {
  x.mem.WRITE_ONCE(x.i, v);
  this_cpu().mem.smp_mb();
}
