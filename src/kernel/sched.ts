// Scheduling as kernel code sees it: time slices, yielding, spinning politely, stopping.
//
// A worker thread is a CPU running one task, so "scheduling" here is a model: need_resched()
// turns true when this CPU's time slice (CpuContext.sliceMs, set by the scenario's budget or
// the runner) is used up, as the scheduler tick sets TIF_NEED_RESCHED; cond_resched() then
// "schedules": it starts a new slice and gives the core away for a short real sleep, which on
// an oversubscribed host (more workers than cores) lets a preempted lock holder or waiter run.
// That sleep is the only thing a JS thread can do that resembles schedule(): there is no
// sched_yield() in JavaScript.

import { this_cpu } from './cpu.ts';

/** How long cond_resched() gives the core away, in ms (Atomics.wait timeout; ~50 µs, plus timer slack). */
export const YIELD_MS = 0.05;
/** Spin passes in cpu_relax() before one of them sleeps (so waiters on a 2-core host let the holder run). */
export const SPINS_BEFORE_SLEEP = 4096;
/** How long that occasional cpu_relax() sleep lasts, in ms. */
export const RELAX_SLEEP_MS = 0.02;

/**
 * cpu_relax(): one pass of a spin-wait loop; implies barrier(), so a READ_ONCE in the loop is
 * re-read each pass. x86-64: PAUSE = Atomics.load(fence); every SPINS_BEFORE_SLEEP passes a
 * short Atomics.wait sleep, standing in for the host preempting a spinning vCPU.
 */
export function cpu_relax(): void {
  const cpu = this_cpu();
  cpu.mem.barrier();
  if (cpu.time) {
    cpu.time.pass('cpu_relax');
    return;
  }
  if (++cpu.spins >= SPINS_BEFORE_SLEEP) {
    cpu.spins = 0;
    cpu.sleep(RELAX_SLEEP_MS);
  }
}

/**
 * One pass of a wait loop inside the kernel API (rwlock's and seqcount's waits), whose passes
 * differ only in what they read: cpu_relax(); on the explorer a pure pass, whose exact repeat
 * is pruned (the thread waits for a new value instead). Not exported to scenarios: a
 * scenario's own loop may count its passes, and cpu_relax() is its pass.
 */
export function waitPass(): void {
  const cpu = this_cpu();
  if (!cpu.time) {
    cpu_relax();
    return;
  }
  cpu.mem.barrier();
  cpu.time.pass('wait', true);
}

/** need_resched(): this CPU's time slice is used up. JS: performance.now() >= the slice's end */
export function need_resched(): boolean {
  const cpu = this_cpu();
  if (cpu.time) return cpu.time.needResched();
  return performance.now() >= cpu.sliceEnd;
}

/** Start a new time slice and give the core away briefly: what schedule() is to this model. */
function schedule(): void {
  const cpu = this_cpu();
  cpu.sleep(YIELD_MS);
  cpu.sliceEnd = performance.now() + cpu.sliceMs;
}

/**
 * cond_resched(): yield if the slice is used up; returns whether it yielded.
 * JS: need_resched() then a YIELD_MS Atomics.wait sleep and a new slice
 */
export function cond_resched(): boolean {
  const time = this_cpu().time;
  if (time) return time.condResched();
  if (!need_resched()) return false;
  schedule();
  return true;
}

/** kthread_should_stop(): the runner asked this thread to finish (budget spent). JS: Atomics.load(stop) */
export function kthread_should_stop(): boolean {
  return this_cpu().shouldStop();
}

/**
 * ktime_get_ns(): monotonic time in ns, the same clock on every CPU. JS: process.hrtime.bigint();
 * the explorer: an explored gap since this CPU's previous read (CpuTime.nowNs)
 */
export function ktime_get_ns(): number {
  const time = this_cpu().time;
  if (time) return time.nowNs();
  return Number(process.hrtime.bigint());
}
