// Single accesses to shared variables: the *_ONCE() accessors, plain C accesses, and the
// u64 accesses of a 64-bit CPU, a 32-bit CPU (two halves) and JS's DataView. Each is a call
// on the memory object the handle carries (src/memory/ops.ts has the JS and the x86 argument).
// Ordering between accesses is barriers.ts; read-modify-write is atomic.ts.

import type { int, u64 } from './memory.ts';

/**
 * The accessors here that make plain accesses (lkmm's plain, outside Marked): a scenario whose
 * source names one may make a plain access (src/explore/plain-access.ts; docs/explore.md
 * "Races aside"). test/explore/plain-access.test.ts checks that it names every one.
 */
export const PLAIN_ACCESSORS = [
  'plain_load',
  'plain_store',
  'u64_load',
  'u64_store',
  'u64_load_halves',
  'u64_store_halves',
  'u64_load_dataview',
  'u64_store_dataview',
] as const;

/** READ_ONCE(*x): one untorn load the compiler keeps. x86-64: MOV = TypedArray element read */
export function READ_ONCE(x: int): number {
  return x.mem.READ_ONCE(x.i);
}

/** WRITE_ONCE(*x, v): one untorn store the compiler keeps. x86-64: MOV = TypedArray element write */
export function WRITE_ONCE(x: int, v: number): void {
  x.mem.WRITE_ONCE(x.i, v);
}

/**
 * `r = *x`, a plain C load: the compiler may merge, hoist or tear it. JS: TypedArray element read
 * (V8 may hoist it out of a loop: never spin on it).
 */
export function plain_load(x: int): number {
  return x.mem.load(x.i);
}

/** `*x = v`, a plain C store: the compiler may merge or reorder it. JS: TypedArray element write */
export function plain_store(x: int, v: number): void {
  x.mem.store(x.i, v);
}

/** `r = *x` for a u64 on a 64-bit CPU: one access. JS: BigInt64Array element read */
export function u64_load(x: u64): bigint {
  return x.mem64.load(x.j);
}

/** `*x = v` for a u64 on a 64-bit CPU: one access. JS: BigInt64Array element write */
export function u64_store(x: u64, v: bigint): void {
  x.mem64.store(x.j, v);
}

/** READ_ONCE(*x) for a u64 on a 64-bit CPU: untorn. JS: Atomics.load on BigInt64Array */
export function u64_read_once(x: u64): bigint {
  return x.mem64.READ_ONCE(x.j);
}

/** WRITE_ONCE(*x, v) for a u64 on a 64-bit CPU: untorn. JS: Atomics.store on BigInt64Array */
export function u64_write_once(x: u64, v: bigint): void {
  x.mem64.WRITE_ONCE(x.j, v);
}

/**
 * `r = *x` for a u64 on a 32-bit CPU: two 32-bit loads, low half then high half, so a
 * concurrent writer can be seen half done (a torn read). JS: two Int32Array element reads
 */
export function u64_load_halves(x: u64): bigint {
  const lo = x.mem.load(x.i);
  const hi = x.mem.load(x.i + 1);
  return (BigInt(hi) << 32n) | BigInt(lo >>> 0);
}

/**
 * `*x = v` for a u64 on a 32-bit CPU: two 32-bit stores, low half then high half (a torn
 * write). JS: two Int32Array element writes
 */
export function u64_store_halves(x: u64, v: bigint): void {
  x.mem.store(x.i, Number(BigInt.asIntN(32, v)));
  x.mem.store(x.i + 1, Number(BigInt.asIntN(32, v >> 32n)));
}

/** A u64 read through DataView.getBigInt64 on the shared buffer (V8 may split it in two). */
export function u64_load_dataview(x: u64): bigint {
  return x.mem64.dataview_load(x.j);
}

/** A u64 written through DataView.setBigInt64 on the shared buffer (V8 may split it in two). */
export function u64_store_dataview(x: u64, v: bigint): void {
  x.mem64.dataview_store(x.j, v);
}
