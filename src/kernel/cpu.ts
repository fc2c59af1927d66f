// A CPU: the worker thread a scenario thread runs on, as the kernel API sees it.
//
// Each worker binds one CpuContext when it starts (bindCpu); the kernel primitives that name no
// memory (smp_mb(), need_resched(), cond_resched(), kthread_should_stop()) act on that bound
// context, the way kernel code acts on "this CPU". The context carries the CPU's memory object
// (MemoryOps, picked once: x86, portable, or later the emulated weak CPU), so no primitive
// asks which one it has. The Cpu interface below is what a thread body receives as `cpu`: its
// identity and the lab's instruments (progress heartbeat, outcomes, counters, latencies).
// This module does not lay out memory (memory.ts) or run anything (src/runtime).

import type { MemoryOps, MemoryOps64 } from '../memory/ops.ts';

/** What a thread body receives as `cpu`: who it is and the lab's instruments. */
export interface Cpu<
  O extends string = string,
  C extends string = string,
  L extends string = string,
> {
  /** smp_processor_id(): 0 for the first thread of the scenario, 1 for the next… */
  readonly id: number;
  /** The thread's name in the scenario (`writer`, `vcpu1`). */
  readonly name: string;
  /**
   * Which instance of the scenario runs: 'stress' (hw, weak: real threads, the scenario's
   * sizes) or 'model' (the explorer: the small instance Scenario.model describes).
   */
  readonly instance: 'stress' | 'model';
  /**
   * Heartbeat: this thread made forward progress; `note` says what (kept, last one wins). The
   * watchdog reports a thread whose heartbeat stopped for the stall window, with its last note.
   * Call it on real progress only (a new page zapped, a fault served), not on a retry.
   */
  progress(note?: string): void;
  /** Count one occurrence of a declared outcome (long-running scenarios, or per-read outcomes). */
  observe(outcome: O): void;
  /** Add `n` (default 1) to a declared counter metric. */
  count(counter: C, n?: number): void;
  /** Record one sample, in nanoseconds, in a declared latency metric. */
  latency(histogram: L, ns: number): void;
  /**
   * A time stamp in ns for the lab's latency metrics only (`cpu.latency(name, cpu.stamp() - t0)`):
   * hw and weak read ktime_get_ns()'s clock; the explorer answers 0 and explores no timing, so
   * what the code decides must not depend on it (a timeout reads ktime_get_ns(), whose every
   * gap the explorer chooses: docs/explore.md "Determinism").
   */
  stamp(): number;
}

/** The state of the CPU this worker is, read by the kernel primitives. */
export interface CpuContext {
  readonly id: number;
  /** 32-bit memory operations (and the fence cell behind barriers). */
  readonly mem: MemoryOps;
  /** 64-bit memory operations on the same memory. */
  readonly mem64: MemoryOps64;
  /** Time slice length in ms (need_resched() turns true this long after the slice began). */
  readonly sliceMs: number;
  /** performance.now() at which the current slice ends. */
  sliceEnd: number;
  /** Spin passes since the last sleep in cpu_relax(). */
  spins: number;
  /** Whether the runner asked this thread to stop (budget spent). */
  readonly shouldStop: () => boolean;
  /** Block this thread for about `ms` milliseconds (a real sleep, giving the core away). */
  readonly sleep: (ms: number) => void;
  /**
   * Time and scheduling when they are not the host's: the explorer (src/explore/) makes them
   * deterministic, as its choices. Absent: real time, real slices (sched.ts).
   */
  readonly time?: CpuTime;
}

/** A CPU's time and scheduling decisions, where they are not the host's clock (sched.ts). */
export interface CpuTime {
  /** ktime_get_ns() */
  nowNs(): number;
  /** ndelay(ns): at least `ns` pass before this CPU's next ktime_get_ns(), with no busy loop. */
  delay(ns: number): void;
  /** need_resched() */
  needResched(): boolean;
  /** cond_resched(): whether it yielded */
  condResched(): boolean;
  /**
   * One pass of a wait or retry loop: cpu_relax(), a read_seqcount_retry() that says retry.
   * `pure`: a wait inside the kernel API whose passes differ only in what they read.
   */
  pass(what: string, pure?: boolean): void;
  /**
   * Refuse the code: kernel API call `call` (its name) was used where the explorer cannot
   * follow it (`why`); the explorer names the scenario's line of the call.
   */
  refuse(call: string, why: string): never;
}

function unbound(): never {
  throw new Error('kernel primitive called on a thread with no CPU bound (bindCpu was not called)');
}

const UNBOUND_OPS = new Proxy({}, { get: unbound }) as never;

let current: CpuContext = {
  id: -1,
  mem: UNBOUND_OPS,
  mem64: UNBOUND_OPS,
  sliceMs: 1,
  sliceEnd: 0,
  spins: 0,
  shouldStop: unbound,
  sleep: unbound,
};

/** The CPU this thread is: what smp_processor_id() and the barriers act on. */
export function this_cpu(): CpuContext {
  return current;
}

/** Make `ctx` this thread's CPU. Called once by the worker when it starts. */
export function bindCpu(ctx: CpuContext): void {
  current = ctx;
}

/** smp_processor_id(): the number of the CPU this code runs on. JS: the bound context's id */
export function smp_processor_id(): number {
  return current.id;
}
