// Shared memory of a program scenario: declared once by name and type, laid out once, and seen
// by each CPU through handles (`m.flag`, `m.lock`, `m.pt[gfn]`) that carry that CPU's memory
// object. The kernel primitives take these handles as the kernel takes pointers:
// `WRITE_ONCE(m.flag, 1)` is `WRITE_ONCE(*flag, 1)`.
//
// The types a scenario declares and where each lives (the cells) are src/memory/cells.ts's; this
// module gives each CPU its handles on them. It does not run threads or count outcomes.

import {
  type CellType,
  instanceBase,
  type MemoryLayout,
  type MemorySpec,
  WORDS,
} from '../memory/cells.ts';
import type { MemoryOps, MemoryOps64 } from '../memory/ops.ts';

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

/** `struct srcu_struct ss;` — SRCU's domain: its index word and its count of readers inside (memory/ops.ts). */
export interface srcu_struct {
  readonly type: 'srcu_struct';
  readonly mem: MemoryOps;
  readonly i: number;
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
  srcu_struct: srcu_struct;
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

function spinlock(mem: MemoryOps, i: number): spinlock_t {
  return { type: 'spinlock_t', mem, i, waiters: i + 1 };
}

function handle(type: CellType, i: number, mem: MemoryOps, mem64: MemoryOps64): unknown {
  switch (type) {
    case 'int':
    case 'atomic_t':
    case 'seqcount_t':
    case 'srcu_struct':
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
  const at = instanceBase(layout, k);
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
