// Awaits: the kernel's spin-until-a-condition loads (include/asm-generic/barrier.h
// smp_cond_load_relaxed/acquire, include/linux/atomic.h atomic_cond_read_relaxed/acquire). A
// failed pass re-reads and changes nothing else, so the explorer treats each as an await
// (waitPass): it never explores a pass that fails, it lets the CPU wait for a write that lets it
// out, and reports a deadlock when none can come (docs/explore.md "Loops"). A scenario's own
// loop with cpu_relax() is not one: its passes may count or give up, which the explorer cannot see.
// That needs `cond` to only test the value: on the explorer a cond that answers a value
// differently when asked again (it counts its calls, gives up after a few) is refused.

import { type CpuTime, this_cpu } from './cpu.ts';
import type { atomic_t, int } from './memory.ts';
import { waitPass } from './sched.ts';

/**
 * Times the explorer asks a cond again on the value it just refused: a cond that counts its
 * calls and gives up after fewer looks than this answers differently and is refused.
 */
export const COND_RECHECKS = 32;

/** A word to spin on: an int or an atomic_t. */
type Word = Pick<int | atomic_t, 'mem' | 'i'>;

/** Read `x` (acquire or ONCE) until cond holds; a wait pass between reads. `call`: its name. */
function condLoad(call: string, x: Word, acquire: boolean, cond: (v: number) => boolean): number {
  for (;;) {
    const v = acquire ? x.mem.smp_load_acquire(x.i) : x.mem.READ_ONCE(x.i);
    if (cond(v)) return v;
    const time = this_cpu().time;
    if (time) pureOrRefused(time, call, cond, v);
    waitPass();
  }
}

/**
 * The explorer skips a failed pass as one that changes nothing (docs/explore.md "Awaits cost
 * nothing"): a cond whose answer on the same value changes from call to call would make that
 * wrong (its give-up never explored, a deadlock reported), so it is refused. Only the calls
 * made here are seen: a cond that changes something else (a write, a counter past
 * COND_RECHECKS looks) is assumed away, as the docs say.
 */
function pureOrRefused(time: CpuTime, call: string, cond: (v: number) => boolean, v: number): void {
  for (let i = 0; i < COND_RECHECKS; i++)
    if (cond(v))
      time.refuse(
        call,
        `'s cond is not pure: asked again on the value ${v} it had refused, it let the wait out; on the model a failed pass is skipped as changing nothing, so cond must only test the value (give up with a loop of your own and cpu_relax() instead)`,
      );
}

/**
 * smp_cond_load_relaxed(*x, cond): READ_ONCE(*x) until cond(value) holds; returns that value.
 * `cond` must only test the value. JS: element read each pass, cpu_relax() between
 */
export function smp_cond_load_relaxed(x: int, cond: (v: number) => boolean): number {
  return condLoad('smp_cond_load_relaxed', x, false, cond);
}

/**
 * smp_cond_load_acquire(*x, cond): as smp_cond_load_relaxed, and later accesses stay after the
 * read that let it out (the kernel: a control dependency and smp_acquire__after_ctrl_dep();
 * here: an acquire load each pass). JS: element read, Atomics.load(fence), cpu_relax() between
 */
export function smp_cond_load_acquire(x: int, cond: (v: number) => boolean): number {
  return condLoad('smp_cond_load_acquire', x, true, cond);
}

/** atomic_cond_read_relaxed(v, cond): smp_cond_load_relaxed on the counter. */
export function atomic_cond_read_relaxed(v: atomic_t, cond: (v: number) => boolean): number {
  return condLoad('atomic_cond_read_relaxed', v, false, cond);
}

/** atomic_cond_read_acquire(v, cond): smp_cond_load_acquire on the counter. */
export function atomic_cond_read_acquire(v: atomic_t, cond: (v: number) => boolean): number {
  return condLoad('atomic_cond_read_acquire', v, true, cond);
}
