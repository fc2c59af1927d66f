// RCU and SRCU: read-side critical sections, grace periods, callbacks. A reader marks its
// section; an updater publishes a new version, waits for a grace period (every section that
// began before it has ended), then frees the old one — or hands the freeing to call_rcu().
// The mechanism is the memory object's (src/memory/rcu.ts: per-CPU reader words and a
// grace-period counter on hw; the weak CPU adds what a grace period orders).
//
// Callbacks run on the CPU that queued them, as the kernel runs them when they are not
// offloaded (rcu_nocbs): from RCU_SOFTIRQ at any interrupt exit once their grace period has
// ended — between two statements of the caller, possibly before its next one. Here that is any
// later kernel API call of the CPU that reaches its memory object (src/memory/callback-points.ts):
// on hw and weak each such call polls the oldest callback's grace period while one is queued;
// on the explorer running it there is an explored choice, and the callback's grace period runs
// from call_rcu() to the callback (src/memory/explore-rcu.ts). rcu_barrier() runs what is left
// (on the explorer what was queued when it was called, not what those callbacks queue); the
// end of the thread runs the rest on the explorer (the kernel would run them later anyway).
// A polled grace period (start_poll_synchronize_rcu(), then poll_state_synchronize_rcu()) is
// the same on the explorer: each poll may say "not yet" until one said "ended".
// A callback must not wait (rcu_barrier(), synchronize_rcu()): it runs in softirq.

import { this_cpu } from './cpu.ts';
import type { int, srcu_struct } from './memory.ts';

/** rcu_read_lock(): enter a read-side critical section (they nest). JS: this CPU's reader word (Atomics.store), then smp_mb() */
export function rcu_read_lock(): void {
  this_cpu().mem.rcu_read_lock();
}

/** rcu_read_unlock(): leave it. JS: smp_mb(), then the reader word back to 0 (Atomics.store) */
export function rcu_read_unlock(): void {
  this_cpu().mem.rcu_read_unlock();
}

/** rcu_read_lock_held(): this CPU is in a read-side critical section. JS: its nesting depth */
export function rcu_read_lock_held(): boolean {
  return this_cpu().mem.rcu_read_lock_held();
}

/** rcu_assign_pointer(p, v): publish; earlier initialisation stays before. As smp_store_release */
export function rcu_assign_pointer(p: int, v: number): void {
  p.mem.smp_store_release(p.i, v);
}

/**
 * rcu_dereference(p): read a published pointer; what is read through it comes after (an
 * address dependency, which a JS value does not carry). hw and weak: READ_ONCE, then smp_rmb()
 * (every later load ordered; x86-64: MOV, then a compiler barrier). The explorer: READ_ONCE
 * alone, as LKMM has it, so an outcome only the dependency forbids may show as reachable
 */
export function rcu_dereference(p: int): number {
  return p.mem.rcu_dereference(p.i);
}

/** synchronize_rcu(): wait until every read-side critical section that began before has ended. JS: start_poll then poll, cpu_relax() between */
export function synchronize_rcu(): void {
  this_cpu().mem.synchronize_rcu();
}

/** start_poll_synchronize_rcu(): start a grace period without waiting; its cookie. JS: Atomics.add on the grace-period counter */
export function start_poll_synchronize_rcu(): number {
  return this_cpu().mem.start_poll_synchronize_rcu();
}

/** poll_state_synchronize_rcu(cookie): has that grace period ended? JS: Atomics.load of every reader word */
export function poll_state_synchronize_rcu(cookie: number): boolean {
  return this_cpu().mem.poll_state_synchronize_rcu(cookie);
}

/**
 * call_rcu(head, func): call func(head) after a grace period, on this CPU, at any later call
 * of it (see the header). `head` is the object the callback is about, as the kernel's rcu_head
 * is embedded in it. JS: a queue with each callback's grace-period cookie, polled at each call
 */
export function call_rcu<H>(head: H, func: (head: H) => void): void {
  this_cpu().mem.call_rcu(() => func(head));
}

/** rcu_barrier(): wait until every callback this CPU queued with call_rcu() has run. JS: poll each cookie, run */
export function rcu_barrier(): void {
  this_cpu().mem.rcu_barrier();
}

/** srcu_read_lock(ssp): enter a read-side critical section of ssp; the index for srcu_read_unlock(). JS: Atomics.add on its reader count */
export function srcu_read_lock(ssp: srcu_struct): number {
  return ssp.mem.srcu_read_lock(ssp.i);
}

/** srcu_read_unlock(ssp, idx): leave it. JS: Atomics.sub on its reader count */
export function srcu_read_unlock(ssp: srcu_struct, idx: number): void {
  ssp.mem.srcu_read_unlock(ssp.i, idx);
}

/** srcu_down_read(ssp): as srcu_read_lock(), but srcu_up_read() may be on another CPU. JS: as srcu_read_lock() */
export function srcu_down_read(ssp: srcu_struct): number {
  return ssp.mem.srcu_read_lock(ssp.i);
}

/** srcu_up_read(ssp, idx): leave a section entered with srcu_down_read(), from any CPU. JS: as srcu_read_unlock() */
export function srcu_up_read(ssp: srcu_struct, idx: number): void {
  ssp.mem.srcu_read_unlock(ssp.i, idx);
}

/** synchronize_srcu(ssp): wait until every section of ssp that began before has ended. JS: poll its reader count until 0 */
export function synchronize_srcu(ssp: srcu_struct): void {
  ssp.mem.synchronize_srcu(ssp.i);
}

/** smp_mb__after_srcu_read_unlock(): the srcu_read_unlock() before it becomes a full fence. x86-64: barrier() (the unlock is LOCKed) */
export function smp_mb__after_srcu_read_unlock(): void {
  this_cpu().mem.smp_mb__after_srcu_read_unlock();
}
