// Shared memory of a program scenario: declared once by name and type, laid out once, and seen
// by each CPU through handles (`m.flag`, `m.lock`, `m.pt[gfn]`) that carry that CPU's memory
// object. The kernel primitives take these handles as the kernel takes pointers:
// `WRITE_ONCE(m.flag, 1)` is `WRITE_ONCE(*flag, 1)`.
//
// Layout: the buffer starts with the control lines every buffer has (src/runtime/layout.ts:
// FENCE_CELL, the target of barrier()'s Atomics.load, is there); then `instances` copies
// of the scenario's variables, each variable starting on its own 64-byte line, array elements
// packed. 64-bit cells are 8-byte aligned. Values are 32-bit ints (int, atomic_t, lock words)
// or 64-bit (u64, atomic64_t). This module does not run threads or count outcomes.

import { CELL_BYTES, LINE_CELLS, MEMORY_BASE } from '../runtime/layout.ts';
import type { MemoryOps, MemoryOps64 } from './ops.ts';

/** The types a scenario can declare, by their kernel names. */
export const CELL_TYPES = [
  'int',
  'u64',
  'atomic_t',
  'atomic64_t',
  'spinlock_t',
  'rwlock_t',
  'seqcount_t',
  'seqlock_t',
] as const;
export type CellType = (typeof CELL_TYPES)[number];

/** One declared variable: a type name, or a type with an initial value and/or an array length. */
export type CellDecl =
  | CellType
  | {
      readonly type: CellType;
      /** Initial value (int, atomic_t: number; u64, atomic64_t: bigint or number). Default 0. */
      readonly init?: number | bigint;
      /** Declares an array of this many elements, each with `init`. */
      readonly length?: number;
    };

/** A scenario's shared memory: variable name → declaration. */
export type MemorySpec = { readonly [name: string]: CellDecl };

/** `int x;` — a plain 32-bit int. Access with READ_ONCE/WRITE_ONCE or plain_load/plain_store. */
export interface int {
  readonly type: 'int';
  readonly mem: MemoryOps;
  readonly i: number;
}
/** `atomic_t v;` — a 32-bit counter for the atomic_*() functions. */
export interface atomic_t {
  readonly type: 'atomic_t';
  readonly mem: MemoryOps;
  readonly i: number;
}
/** `u64 x;` — a 64-bit value: one BigInt64Array cell j, or Int32Array cells lo = i, hi = i + 1. */
export interface u64 {
  readonly type: 'u64';
  readonly mem: MemoryOps;
  readonly mem64: MemoryOps64;
  readonly i: number;
  readonly j: number;
}
/** `atomic64_t v;` — a 64-bit counter for the atomic64_*() functions. */
export interface atomic64_t {
  readonly type: 'atomic64_t';
  readonly mem64: MemoryOps64;
  readonly j: number;
}
/**
 * `spinlock_t lock;` — two words: `i` is 0 unlocked, 1 locked; `waiters` counts the CPUs
 * spinning for it (what a qspinlock's pending bit and tail say: someone is queued).
 */
export interface spinlock_t {
  readonly type: 'spinlock_t';
  readonly mem: MemoryOps;
  readonly i: number;
  readonly waiters: number;
}
/** `rwlock_t lock;` — a queued rwlock: the cnts word and the wait_lock spinlock. */
export interface rwlock_t {
  readonly type: 'rwlock_t';
  readonly mem: MemoryOps;
  readonly cnts: number;
  readonly wait_lock: spinlock_t;
}
/** `seqcount_t s;` — one sequence word, odd while a write is in progress. */
export interface seqcount_t {
  readonly type: 'seqcount_t';
  readonly mem: MemoryOps;
  readonly i: number;
}
/** `seqlock_t sl;` — a seqcount and the spinlock that serialises its writers. */
export interface seqlock_t {
  readonly type: 'seqlock_t';
  readonly seqcount: seqcount_t;
  readonly lock: spinlock_t;
}

/** The handle type for each cell type. */
export interface Handles {
  int: int;
  u64: u64;
  atomic_t: atomic_t;
  atomic64_t: atomic64_t;
  spinlock_t: spinlock_t;
  rwlock_t: rwlock_t;
  seqcount_t: seqcount_t;
  seqlock_t: seqlock_t;
}

type HandleOf<D> = D extends CellType
  ? Handles[D]
  : D extends { readonly type: infer T extends CellType; readonly length: number }
    ? readonly Handles[T][]
    : D extends { readonly type: infer T extends CellType }
      ? Handles[T]
      : never;

/** What a thread sees for a MemorySpec: `m.flag` is an int handle, `m.pt` an array of them. */
export type MemoryOf<M extends MemorySpec> = { readonly [K in keyof M]: HandleOf<M[K]> };

/** 32-bit words each type occupies. */
const WORDS: Record<CellType, number> = {
  int: 1,
  atomic_t: 1,
  seqcount_t: 1,
  spinlock_t: 2,
  u64: 2,
  atomic64_t: 2,
  rwlock_t: 3,
  seqlock_t: 3,
};

/** Where one declared variable lives inside an instance. */
export interface CellLayout {
  readonly name: string;
  readonly type: CellType;
  /** First word, relative to the instance start. */
  readonly offset: number;
  /** Array length, or undefined for a single variable. */
  readonly length: number | undefined;
  readonly init: number | bigint;
}

/** The layout of a scenario's memory: computed once, shared by main thread and workers. */
export interface MemoryLayout {
  readonly cells: readonly CellLayout[];
  /** Words per instance (a multiple of a cache line). */
  readonly stride: number;
  readonly instances: number;
  /** Total bytes of the SharedArrayBuffer. */
  readonly bytes: number;
}

function normalise(decl: CellDecl): { type: CellType; init: number | bigint; length?: number } {
  if (typeof decl === 'string') return { type: decl, init: 0 };
  return { type: decl.type, init: decl.init ?? 0, length: decl.length };
}

/** Lay out `instances` copies of `spec` (validate the spec first: scenario.ts does). */
export function layoutMemory(spec: MemorySpec, instances: number): MemoryLayout {
  const cells: CellLayout[] = [];
  let offset = 0;
  for (const [name, decl] of Object.entries(spec)) {
    const { type, init, length } = normalise(decl);
    cells.push({ name, type, offset, length, init });
    const words = WORDS[type] * (length ?? 1);
    offset += Math.ceil(words / LINE_CELLS) * LINE_CELLS;
  }
  const stride = Math.max(LINE_CELLS, offset);
  return { cells, stride, instances, bytes: CELL_BYTES * (MEMORY_BASE + stride * instances) };
}

/**
 * Every word the declared variables occupy, numbered in layout order: `locationOf[w]` is the
 * number of word w of an instance, -1 for the padding that starts each variable on its own
 * line. A memory object that keeps state per location (weak) keeps it for these words only.
 */
export function wordLocations(layout: MemoryLayout): { locations: number; locationOf: number[] } {
  const locationOf = new Array<number>(layout.stride).fill(-1);
  let locations = 0;
  for (const c of layout.cells)
    for (let w = 0; w < WORDS[c.type] * (c.length ?? 1); w++)
      locationOf[c.offset + w] = locations++;
  return { locations, locationOf };
}

/** First word of instance `k`. */
function base(layout: MemoryLayout, k: number): number {
  return MEMORY_BASE + layout.stride * k;
}

function spinlock(mem: MemoryOps, i: number): spinlock_t {
  return { type: 'spinlock_t', mem, i, waiters: i + 1 };
}

function handle(type: CellType, i: number, mem: MemoryOps, mem64: MemoryOps64): unknown {
  switch (type) {
    case 'int':
    case 'atomic_t':
    case 'seqcount_t':
      return { type, mem, i };
    case 'spinlock_t':
      return spinlock(mem, i);
    case 'u64':
      return { type, mem, mem64, i, j: i / 2 };
    case 'atomic64_t':
      return { type, mem64, j: i / 2 };
    case 'rwlock_t':
      return { type, mem, cnts: i, wait_lock: spinlock(mem, i + 1) };
    case 'seqlock_t':
      return {
        type,
        seqcount: { type: 'seqcount_t', mem, i },
        lock: spinlock(mem, i + 1),
      };
  }
}

/** The handles of instance `k` for a CPU whose memory objects are `mem` and `mem64`. */
export function bindMemory<M extends MemorySpec>(
  layout: MemoryLayout,
  k: number,
  mem: MemoryOps,
  mem64: MemoryOps64,
): MemoryOf<M> {
  const out: Record<string, unknown> = {};
  const at = base(layout, k);
  for (const c of layout.cells) {
    const w = WORDS[c.type];
    out[c.name] =
      c.length === undefined
        ? handle(c.type, at + c.offset, mem, mem64)
        : Array.from({ length: c.length }, (_, e) =>
            handle(c.type, at + c.offset + e * w, mem, mem64),
          );
  }
  return Object.freeze(out) as MemoryOf<M>;
}

/**
 * Write every variable of instance `k` back to its initial value (locks unlocked), one 32-bit
 * cell at a time through `init` (a CPU's MemoryOps.init, or a plain write before any CPU runs);
 * a 64-bit value is its two halves, low first.
 */
export function resetMemory(
  layout: MemoryLayout,
  k: number,
  init: (i: number, v: number) => void,
): void {
  const at = base(layout, k);
  for (const c of layout.cells) {
    const w = WORDS[c.type];
    const wide = c.type === 'u64' || c.type === 'atomic64_t';
    const v = BigInt.asIntN(64, BigInt(c.init));
    const lo = wide ? Number(BigInt.asIntN(32, v)) : Number(c.init);
    const hi = wide ? Number(BigInt.asIntN(32, v >> 32n)) : 0;
    for (let e = 0; e < (c.length ?? 1); e++) {
      const start = at + c.offset + e * w;
      for (let word = 0; word < w; word++) init(start + word, 0);
      if (wide) {
        init(start, lo);
        init(start + 1, hi);
      } else {
        init(start, lo);
      }
    }
  }
}
