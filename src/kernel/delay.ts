// Busy-wait delays (include/linux/delay.h): a CPU that must wait a short, known time without
// giving the core away, because it may hold a lock or run with preemption off. A scenario uses
// one to stand for work it does not model (a page-table walk, GUP, building an SPTE).
// This module does not sleep (cond_resched() in sched.ts does) and does not wait for memory.

import { this_cpu } from './cpu.ts';
import { ktime_get_ns } from './sched.ts';

/**
 * ndelay(ns): busy-wait at least `ns` ns, never sleeping. JS: ktime_get_ns() polled in an empty
 * loop — not cpu_relax(), whose sleep every SPINS_BEFORE_SLEEP passes would stretch a 500 ns
 * delay under a lock to tens of µs (lock hold times exploded when a scenario tried it). On the
 * explorer the CPU's clock moves on `ns` at once (CpuTime.delay): polling a clock whose every
 * read is an explored gap would be a loop of choices
 */
export function ndelay(ns: number): void {
  const time = this_cpu().time;
  if (time) {
    time.delay(ns);
    return;
  }
  const end = ktime_get_ns() + ns;
  while (ktime_get_ns() < end) {
    // Only the clock is awaited, nothing in memory: no barrier needed to re-read it.
  }
}
