// The start barrier: every test thread waits here before each batch, so that the threads
// run the same instances at the same time (litmus7's -barrier userfence, one barrier per batch
// as jcstress' strides do). It is a centralised generation barrier on two control cells.
//
// Two ways to wait, chosen once per run:
//   spin — threads ≤ CPUs: busy-wait on the generation cell; the fastest release.
//   park — threads > CPUs: spin briefly, then Atomics.wait, so that a waiting thread gives
//          its CPU to the thread everyone is waiting for (a pure spin barrier stalls for a
//          whole scheduler slice per batch when threads outnumber cores).
// Every wait gives up with Aborted when the abort cell is set (a thread failed).
// This module runs in the workers; it knows nothing of tests.

import { Aborted } from '../memory/faults.ts';
import {
  ABORT_CELL,
  BARRIER_GEN,
  DECISION_CELL,
  START_BARRIER,
  STOP_CELL,
} from '../memory/layout.ts';

export const BARRIER_KINDS = ['spin', 'park'] as const;
export type BarrierKind = (typeof BARRIER_KINDS)[number];

/** Spins before a parking barrier sleeps (a few microseconds: enough when the last thread is running). */
export const PARK_AFTER_SPINS = 2_000;
/** Spins before even a spin barrier sleeps (~100 µs): other processes may have taken our CPUs. */
export const SPIN_BARRIER_PARK_AFTER_SPINS = 1 << 16;
/** How long one Atomics.wait sleeps before looking at the abort flag again. */
export const PARK_SLICE_MS = 20;

/** Which barrier a run of `threads` threads on `cpus` CPUs gets. */
export function barrierKindFor(threads: number, cpus: number): BarrierKind {
  return threads > cpus ? 'park' : 'spin';
}

export class StartBarrier {
  private readonly parkAfter: number;

  constructor(
    private readonly m: Int32Array,
    private readonly parties: number,
    readonly kind: BarrierKind,
  ) {
    this.parkAfter = kind === 'park' ? PARK_AFTER_SPINS : SPIN_BARRIER_PARK_AFTER_SPINS;
  }

  /**
   * Wait until all parties have arrived. Returns the stop decision (non-zero: stop now), which
   * the last thread to arrive copied from STOP_CELL, so that every thread sees the same one.
   */
  wait(): number {
    const m = this.m;
    // Read the generation BEFORE arriving: once our arrival is counted, the last thread may
    // bump the generation at any moment, and reading it after would make us wait for the next.
    const gen = Atomics.load(m, BARRIER_GEN);
    if (Atomics.add(m, START_BARRIER, 1) === this.parties - 1) {
      // Last to arrive. Reset the count before the release: a released thread that comes
      // straight back must count from 0 (the SC order of these Atomics guarantees it sees it).
      Atomics.store(m, START_BARRIER, 0);
      Atomics.store(m, DECISION_CELL, Atomics.load(m, STOP_CELL));
      Atomics.add(m, BARRIER_GEN, 1);
      // Wakes the parked (park mode, or a spin barrier whose waiters gave up spinning).
      Atomics.notify(m, BARRIER_GEN);
      return Atomics.load(m, DECISION_CELL);
    }
    // Waits for the last thread's generation bump. Its Atomics.add is ordered after the
    // DECISION_CELL store and after every write the other threads made before arriving (the
    // previous batch's results, the reset instances), so all of them are visible after this.
    let spins = 0;
    while (Atomics.load(m, BARRIER_GEN) === gen) {
      if (Atomics.load(m, ABORT_CELL) !== 0) throw new Aborted();
      if (++spins > this.parkAfter) Atomics.wait(m, BARRIER_GEN, gen, PARK_SLICE_MS);
    }
    return Atomics.load(m, DECISION_CELL);
  }
}

/** Set the abort flag and wake every parked thread so that it sees it (any thread, or main). */
export function abortAll(m: Int32Array): void {
  Atomics.store(m, ABORT_CELL, 1);
  Atomics.notify(m, BARRIER_GEN);
}
