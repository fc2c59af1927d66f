// Primitives a memory object can define from its other primitives: atomic_add(), atomic_add_unless() and the
// spinlock, as the kernel builds them (a cmpxchg loop; queued_spin_lock's fast path, a queued
// count, queued_spin_trylock's refusal when anyone is queued). x86, portable and any later
// memory object get the same algorithm, so a lock behaves alike on every backend; only the
// accesses underneath differ. Cells as in ops.ts: lock word i, queued count i + 1.

import type { MemoryOps } from './ops.ts';

/** The primitives the derived ones are made of. */
export type CoreOps = Omit<MemoryOps, DerivedName>;
type DerivedName =
  | 'atomic_add'
  | 'atomic_add_unless'
  | 'spin_lock'
  | 'spin_unlock'
  | 'spin_trylock'
  | 'spin_is_locked'
  | 'spin_is_contended';

/** `core` completed with the derived primitives; `relax` is one pass of spin_lock's wait. */
export function withDerivedOps(core: CoreOps, relax: (spins: number) => void): MemoryOps {
  const o = core;
  return {
    ...core,
    // atomic_add(): the relaxed add, its old value dropped (a CPU orders it no differently)
    atomic_add: (i, v) => {
      o.atomic_fetch_add_relaxed(i, v);
    },
    // atomic_add_unless(): add unless the value is u; 1 if it added. A READ_ONCE then a fully
    // ordered cmpxchg, retried only while another CPU changed the cell in between.
    atomic_add_unless: (i, a, u) => {
      for (;;) {
        const old = o.READ_ONCE(i);
        if (old === u) return 0;
        if (o.cmpxchg(i, old, (old + a) | 0) === old) return 1;
      }
    },
    // spin_lock(): acquire. cmpxchg_acquire(0 → 1); if held, count ourselves queued, wait for
    // the word to read 0 (barrier() each pass: the compiler must re-read it), race for it again.
    spin_lock: (i) => {
      if (o.cmpxchg_acquire(i, 0, 1) === 0) return;
      o.atomic_fetch_add_relaxed(i + 1, 1);
      let spins = 0;
      do {
        while (o.READ_ONCE(i) !== 0) {
          o.barrier();
          relax(++spins);
        }
      } while (o.cmpxchg_acquire(i, 0, 1) !== 0);
      o.atomic_fetch_add_relaxed(i + 1, -1);
    },
    // spin_unlock(): release; the critical section's accesses stay before. smp_store_release(0)
    spin_unlock: (i) => o.smp_store_release(i, 0),
    // spin_trylock(): queued_spin_trylock: fails when held or when anyone is queued, else
    // cmpxchg_acquire(0 → 1). The reads are acquires so that V8 cannot hoist them out of a retry loop.
    spin_trylock: (i) =>
      o.smp_load_acquire(i + 1) === 0 &&
      o.smp_load_acquire(i) === 0 &&
      o.cmpxchg_acquire(i, 0, 1) === 0,
    // spin_is_locked(): held or queued for (the whole qspinlock word non-zero). smp_load_acquire of both
    spin_is_locked: (i) => o.smp_load_acquire(i) !== 0 || o.smp_load_acquire(i + 1) !== 0,
    // spin_is_contended(): someone is queued. smp_load_acquire(i + 1) !== 0
    spin_is_contended: (i) => o.smp_load_acquire(i + 1) !== 0,
  };
}
