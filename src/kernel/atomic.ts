// Read-modify-write: xchg/cmpxchg on plain ints, the atomic_t family and a few bit operations.
// The value-returning ones are fully ordered, as the kernel promises; the non-returning ones
// (atomic_inc, atomic_add…) are the memory object's atomic_add: relaxed and with no return
// value, which lkmm's smp_rmb does not order (on x86 still a LOCKed instruction, on a weaker
// memory not ordered): use smp_mb__after_atomic() to order them.

import type { atomic_t, int } from './memory.ts';

/** xchg(*x, v): fully ordered swap, returns the old value. x86-64: XCHG = Atomics.exchange */
export function xchg(x: int, v: number): number {
  return x.mem.xchg(x.i, v);
}

/**
 * cmpxchg(*x, old, new): fully ordered; stores `v` if *x was `old`, returns what *x was.
 * x86-64: LOCK CMPXCHG = Atomics.compareExchange
 */
export function cmpxchg(x: int, old: number, v: number): number {
  return x.mem.cmpxchg(x.i, old, v);
}

/** atomic_read(v): READ_ONCE of the counter. x86-64: MOV = element read */
export function atomic_read(v: atomic_t): number {
  return v.mem.READ_ONCE(v.i);
}

/** atomic_set(v, i): WRITE_ONCE of the counter. x86-64: MOV = element write */
export function atomic_set(v: atomic_t, i: number): void {
  v.mem.WRITE_ONCE(v.i, i);
}

/** atomic_read_acquire(v): later accesses stay after. x86-64: MOV + barrier() = smp_load_acquire */
export function atomic_read_acquire(v: atomic_t): number {
  return v.mem.smp_load_acquire(v.i);
}

/** atomic_set_release(v, i): earlier accesses stay before. x86-64: barrier() + MOV = smp_store_release */
export function atomic_set_release(v: atomic_t, i: number): void {
  v.mem.smp_store_release(v.i, i);
}

/** atomic_add(i, v): add, no ordering promised. x86-64: LOCK ADD = the memory's atomic_add (relaxed, no return value) */
export function atomic_add(i: number, v: atomic_t): void {
  v.mem.atomic_add(v.i, i);
}

/** atomic_sub(i, v): subtract, no ordering promised. x86-64: LOCK SUB = Atomics.add(-i) */
export function atomic_sub(i: number, v: atomic_t): void {
  v.mem.atomic_add(v.i, -i);
}

/** atomic_inc(v): add one, no ordering promised. x86-64: LOCK INC = Atomics.add(1) */
export function atomic_inc(v: atomic_t): void {
  v.mem.atomic_add(v.i, 1);
}

/** atomic_dec(v): subtract one, no ordering promised. x86-64: LOCK DEC = Atomics.add(-1) */
export function atomic_dec(v: atomic_t): void {
  v.mem.atomic_add(v.i, -1);
}

/** atomic_add_return(i, v): fully ordered add, returns the new value. x86-64: LOCK XADD = Atomics.add */
export function atomic_add_return(i: number, v: atomic_t): number {
  return (v.mem.atomic_fetch_add(v.i, i) + i) | 0;
}

/** atomic_inc_return(v): fully ordered, returns the new value. x86-64: LOCK XADD = Atomics.add(1) */
export function atomic_inc_return(v: atomic_t): number {
  return (v.mem.atomic_fetch_add(v.i, 1) + 1) | 0;
}

/** atomic_dec_return(v): fully ordered, returns the new value. x86-64: LOCK XADD = Atomics.add(-1) */
export function atomic_dec_return(v: atomic_t): number {
  return (v.mem.atomic_fetch_add(v.i, -1) - 1) | 0;
}

/**
 * atomic_dec_and_test(v): fully ordered decrement, true when it reached zero (the last put).
 * x86-64: LOCK DEC + SETE = Atomics.add(-1) === 1
 */
export function atomic_dec_and_test(v: atomic_t): boolean {
  return v.mem.atomic_fetch_add(v.i, -1) === 1;
}

/**
 * atomic_add_unless(v, a, u): add `a` unless the counter is `u`; fully ordered when it adds;
 * true if it added. x86-64: LOCK CMPXCHG loop = the memory object's atomic_add_unless
 */
export function atomic_add_unless(v: atomic_t, a: number, u: number): boolean {
  return v.mem.atomic_add_unless(v.i, a, u) !== 0;
}

/**
 * atomic_inc_not_zero(v): increment unless zero (take a reference unless the object is being
 * freed); true if it incremented. The kernel's atomic_add_unless(v, 1, 0)
 */
export function atomic_inc_not_zero(v: atomic_t): boolean {
  return atomic_add_unless(v, 1, 0);
}

/** atomic_cmpxchg(v, old, new): fully ordered CAS, returns the old value. JS: Atomics.compareExchange */
export function atomic_cmpxchg(v: atomic_t, old: number, n: number): number {
  return v.mem.cmpxchg(v.i, old, n);
}

/** atomic_xchg(v, new): fully ordered swap, returns the old value. JS: Atomics.exchange */
export function atomic_xchg(v: atomic_t, n: number): number {
  return v.mem.xchg(v.i, n);
}

/**
 * test_and_set_bit(nr, addr): fully ordered, whether or not the bit was set (since Linux 6.0,
 * Documentation/atomic_bitops.txt: conditional RMWs are fully ordered; no READ_ONCE()
 * shortcut); sets bit `nr` (0..31), returns whether it was set. x86-64: LOCK BTS = a fetch_or:
 * Atomics.compareExchange loop that always writes (old | bit)
 */
export function test_and_set_bit(nr: number, addr: int): boolean {
  const bit = 1 << nr;
  let old = addr.mem.READ_ONCE(addr.i);
  // Retries only while another CPU changed the word between our read and our cmpxchg; a bit
  // already set is written again (a successful, fully ordered cmpxchg), as fetch_or does.
  for (;;) {
    const seen = addr.mem.cmpxchg(addr.i, old, old | bit);
    if (seen === old) return (old & bit) !== 0;
    old = seen;
  }
}

/** test_bit(nr, addr): bit `nr` of a READ_ONCE of the word. x86-64: BT = element read */
export function test_bit(nr: number, addr: int): boolean {
  return (addr.mem.READ_ONCE(addr.i) & (1 << nr)) !== 0;
}
