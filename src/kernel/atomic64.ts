// The atomic64_t family: a 64-bit counter in one BigInt64Array cell, every access through
// Atomics so that it is never torn (what atomic64_t guarantees even on a 32-bit CPU, where the
// kernel builds it from cmpxchg8b or a spinlock). The torn alternatives are in once.ts.

import type { atomic64_t } from './memory.ts';

/** atomic64_read(v): untorn 64-bit load. x86-64: MOV = Atomics.load(BigInt64Array) */
export function atomic64_read(v: atomic64_t): bigint {
  return v.mem64.READ_ONCE(v.j);
}

/** atomic64_set(v, i): untorn 64-bit store. x86-64: MOV = Atomics.store(BigInt64Array) */
export function atomic64_set(v: atomic64_t, i: bigint): void {
  v.mem64.WRITE_ONCE(v.j, i);
}

/**
 * atomic64_add(i, v): 64-bit add, no ordering promised (lkmm: Noreturn, as atomic_add).
 * x86-64: LOCK ADD = the memory's 64-bit atomic_add
 */
export function atomic64_add(i: bigint, v: atomic64_t): void {
  v.mem64.atomic_add(v.j, i);
}

/** atomic64_inc(v): add one, no ordering promised. x86-64: LOCK INC = the memory's 64-bit atomic_add(1n) */
export function atomic64_inc(v: atomic64_t): void {
  v.mem64.atomic_add(v.j, 1n);
}

/** atomic64_add_return(i, v): fully ordered add, returns the new value. JS: Atomics.add */
export function atomic64_add_return(i: bigint, v: atomic64_t): bigint {
  return BigInt.asIntN(64, v.mem64.atomic_fetch_add(v.j, i) + i);
}

/** atomic64_xchg(v, new): fully ordered swap, returns the old value. JS: Atomics.exchange */
export function atomic64_xchg(v: atomic64_t, n: bigint): bigint {
  return v.mem64.xchg(v.j, n);
}

/** atomic64_cmpxchg(v, old, new): fully ordered CAS, returns the old value. JS: Atomics.compareExchange */
export function atomic64_cmpxchg(v: atomic64_t, old: bigint, n: bigint): bigint {
  return v.mem64.cmpxchg(v.j, old, n);
}
