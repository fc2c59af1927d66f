// Awaits: the kernel's spin-until-a-condition loads (include/asm-generic/barrier.h
// smp_cond_load_relaxed/acquire, include/linux/atomic.h atomic_cond_read_relaxed/acquire). A
// failed pass re-reads and changes nothing else, so the explorer treats each as an await
// (waitPass): it never explores a pass that fails, it lets the CPU wait for a write that lets it
// out, and reports a deadlock when none can come (docs/explore.md "Loops"). A scenario's own
// loop with cpu_relax() is not one: its passes may count or give up, which the explorer cannot see.

import type { atomic_t, int } from './memory.ts';
import { waitPass } from './sched.ts';

/** A word to spin on: an int or an atomic_t. */
type Word = Pick<int | atomic_t, 'mem' | 'i'>;

/** Read `x` (acquire or ONCE) until cond holds; a wait pass between reads. */
function condLoad(x: Word, acquire: boolean, cond: (v: number) => boolean): number {
  for (;;) {
    const v = acquire ? x.mem.smp_load_acquire(x.i) : x.mem.READ_ONCE(x.i);
    if (cond(v)) return v;
    waitPass();
  }
}

/**
 * smp_cond_load_relaxed(*x, cond): READ_ONCE(*x) until cond(value) holds; returns that value.
 * `cond` must only test the value. JS: element read each pass, cpu_relax() between
 */
export function smp_cond_load_relaxed(x: int, cond: (v: number) => boolean): number {
  return condLoad(x, false, cond);
}

/**
 * smp_cond_load_acquire(*x, cond): as smp_cond_load_relaxed, and later accesses stay after the
 * read that let it out (the kernel: a control dependency and smp_acquire__after_ctrl_dep();
 * here: an acquire load each pass). JS: element read, Atomics.load(fence), cpu_relax() between
 */
export function smp_cond_load_acquire(x: int, cond: (v: number) => boolean): number {
  return condLoad(x, true, cond);
}

/** atomic_cond_read_relaxed(v, cond): smp_cond_load_relaxed on the counter. */
export function atomic_cond_read_relaxed(v: atomic_t, cond: (v: number) => boolean): number {
  return condLoad(v, false, cond);
}

/** atomic_cond_read_acquire(v, cond): smp_cond_load_acquire on the counter. */
export function atomic_cond_read_acquire(v: atomic_t, cond: (v: number) => boolean): number {
  return condLoad(v, true, cond);
}
