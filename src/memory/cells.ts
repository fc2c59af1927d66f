// A program scenario's shared memory as cells: the types a scenario can declare (by their
// kernel names), how many 32-bit words each takes, and the layout of `instances` copies of the
// declared variables after the control lines (src/memory/layout.ts: FENCE_CELL, the target of
// barrier()'s Atomics.load, is there): each variable starts on its own 64-byte line, array
// elements packed, 64-bit cells 8-byte aligned. Values are 32-bit ints (int, atomic_t, lock
// words) or 64-bit (u64, atomic64_t). The handles threads use (m.flag, m.lock) are
// src/kernel/memory.ts's; this module neither runs threads nor counts outcomes.

import { CELL_BYTES, LINE_CELLS, MEMORY_BASE } from './layout.ts';

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
  'srcu_struct',
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

/** 32-bit words each type occupies. */
export const WORDS: Readonly<Record<CellType, number>> = {
  int: 1,
  atomic_t: 1,
  seqcount_t: 1,
  spinlock_t: 2,
  u64: 2,
  atomic64_t: 2,
  rwlock_t: 3,
  seqlock_t: 3,
  srcu_struct: 2,
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
export function instanceBase(layout: MemoryLayout, k: number): number {
  return MEMORY_BASE + layout.stride * k;
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
  const at = instanceBase(layout, k);
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
