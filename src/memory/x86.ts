// The memory objects of the hw backend: x86 (the mapping DESIGN.md argues for on x86-64) and
// portable (every marked access and fence through Atomics, sound on any host). Small closures:
// V8 inlines them into the generated litmus code.
//
// ECMAScript has two strengths only: Atomics are sequentially consistent, plain TypedArray
// accesses are unordered. V8 does not move a memory access across an Atomics operation, which
// is what makes `Atomics.load(m, fence)` a compiler barrier.

import { type CoreOps, withDerivedOps } from './derived.ts';
import { hostOps64, type MemoryConfig, type MemoryKind, type MemoryOps } from './ops.ts';
import { gracePeriods } from './rcu.ts';

/** Whether a Node/Bun/Deno `process.arch` is x86 (TSO: stores in order, loads in order). */
export const isX86Arch = (arch: string): boolean => arch === 'x64' || arch === 'ia32';

/** The x86-64 primitives; `fence` is a cell no variable uses. */
function x86Core(cfg: MemoryConfig): CoreOps {
  const { m, fence } = cfg;
  // barrier(): compiler barrier only. x86-64: nothing emitted = Atomics.load(fence), which V8 does not move accesses across
  const barrier = () => {
    Atomics.load(m, fence);
  };
  // xchg*(): swap. x86-64: XCHG (LOCKed: fully ordered whatever the flavour) = Atomics.exchange
  const xchg = (i: number, v: number) => Atomics.exchange(m, i, v);
  // cmpxchg*(): compare-and-swap. x86-64: LOCK CMPXCHG = Atomics.compareExchange
  const cmpxchg = (i: number, e: number, v: number) => Atomics.compareExchange(m, i, e, v);
  // atomic_fetch_add*(): add. x86-64: LOCK XADD = Atomics.add
  const add = (i: number, v: number) => Atomics.add(m, i, v);
  const mb = () => {
    Atomics.add(m, fence, 0);
  };
  const gp = gracePeriods(m, cfg.cpu, cfg.cpus, mb);
  return {
    // plain access: the compiler may reorder it. x86-64: MOV = TypedArray element access
    load: (i) => m[i]!,
    store: (i, v) => {
      m[i] = v;
    },
    // READ_ONCE(): one untorn load the compiler keeps. x86-64: MOV = TypedArray element access
    READ_ONCE: (i) => m[i]!,
    // WRITE_ONCE(): one untorn store the compiler keeps. x86-64: MOV = TypedArray element access
    WRITE_ONCE: (i, v) => {
      m[i] = v;
    },
    // smp_load_acquire(): later accesses stay after. x86-64: MOV (TSO) then barrier() = element read, Atomics.load(fence)
    smp_load_acquire: (i) => {
      const v = m[i]!;
      Atomics.load(m, fence);
      return v;
    },
    // smp_store_release(): earlier accesses stay before. x86-64: barrier() then MOV (TSO) = Atomics.load(fence), element write
    smp_store_release: (i, v) => {
      Atomics.load(m, fence);
      m[i] = v;
    },
    barrier,
    // smp_rmb() / smp_wmb(): x86-64: compiler barrier (TSO keeps loads and stores in order) = Atomics.load(fence)
    smp_rmb: barrier,
    smp_wmb: barrier,
    // smp_mb(): all accesses before stay before all after. x86-64: LOCK-prefixed RMW = Atomics.add(fence, 0)
    smp_mb: mb,
    // smp_mb__before/after_atomic(), __after_spinlock(), __after_unlock_lock(): full fence with
    // the atomic or lock beside it. x86-64: barrier() (that atomic or lock is a LOCKed instruction)
    smp_mb__before_atomic: barrier,
    smp_mb__after_atomic: barrier,
    smp_mb__after_spinlock: barrier,
    smp_mb__after_unlock_lock: barrier,
    // rcu_read_lock() / rcu_read_unlock(): non-preemptible RCU, which x86-64 compiles to barrier();
    // here, for grace periods to wait on (rcu.ts): this CPU's reader word and smp_mb()
    rcu_read_lock: gp.readLock,
    rcu_read_unlock: gp.readUnlock,
    rcu_read_lock_held: () => gp.nesting() > 0,
    // start_poll_synchronize_rcu() / poll_state_synchronize_rcu(): bump the grace-period counter,
    // then look for reader words with older snapshots (rcu.ts); Atomics and smp_mb()
    start_poll_synchronize_rcu: gp.start,
    poll_state_synchronize_rcu: gp.poll,
    // srcu_read_lock(): count a reader in the srcu_struct (Atomics.add, smp_mb()), then read its word
    srcu_read_lock: (i) => {
      gp.srcuLock(i);
      return m[i]!;
    },
    // srcu_read_unlock(): write the index back to the word, then smp_mb() and count the reader out (Atomics.sub)
    srcu_read_unlock: (i, v) => {
      m[i] = v;
      gp.srcuUnlock(i);
    },
    // start_poll_synchronize_srcu() / poll_state_synchronize_srcu(): wait to see the count at 0 (rcu.ts)
    start_poll_synchronize_srcu: gp.srcuStart,
    poll_state_synchronize_srcu: gp.srcuPoll,
    // smp_mb__after_srcu_read_unlock(): x86-64: barrier() (the unlock's count is a LOCKed RMW)
    smp_mb__after_srcu_read_unlock: barrier,
    xchg,
    xchg_relaxed: xchg,
    xchg_acquire: xchg,
    xchg_release: xchg,
    cmpxchg,
    cmpxchg_relaxed: cmpxchg,
    cmpxchg_acquire: cmpxchg,
    cmpxchg_release: cmpxchg,
    atomic_fetch_add: add,
    atomic_fetch_add_relaxed: add,
    atomic_fetch_add_acquire: add,
    atomic_fetch_add_release: add,
    // the runner's side: element access (the start and end barriers are Atomics)
    init: (i, v) => {
      m[i] = v;
    },
    final: (i) => m[i]!,
    // nothing buffered: every store went to memory
    drain: () => {},
    // nothing kept per instance
    begin_instance: () => {},
    // a stuck instance: leave any read-side critical section (rcu.ts)
    abandon: gp.abandon,
  };
}

/** x86-64: DESIGN.md's table. */
export function x86Ops(cfg: MemoryConfig): MemoryOps {
  return withDerivedOps(x86Core(cfg), cfg.relax);
}

/**
 * Hosts we have not argued about (ARM, POWER): every marked access is an Atomics operation
 * (sequentially consistent, so it never allows what the primitive forbids), fences are
 * Atomics.add(fence, 0), and an ordered rmw gets smp_mb() on its ordered side(s). Plain
 * accesses stay plain.
 */
export function portableOps(cfg: MemoryConfig): MemoryOps {
  const { m } = cfg;
  const x = x86Core(cfg);
  // smp_mb(): a real fence on a weak host. portable: Atomics.add(fence, 0)
  const mb = x.smp_mb;
  const full =
    <A extends number[]>(op: (...a: A) => number) =>
    (...a: A) => {
      mb();
      const old = op(...a);
      mb();
      return old;
    };
  const acquire =
    <A extends number[]>(op: (...a: A) => number) =>
    (...a: A) => {
      const old = op(...a);
      mb();
      return old;
    };
  const release =
    <A extends number[]>(op: (...a: A) => number) =>
    (...a: A) => {
      mb();
      return op(...a);
    };
  const core: CoreOps = {
    ...x,
    // READ_ONCE() / smp_load_acquire(): portable: Atomics.load (SC, stronger than needed)
    READ_ONCE: (i) => Atomics.load(m, i),
    smp_load_acquire: (i) => Atomics.load(m, i),
    // WRITE_ONCE() / smp_store_release(): portable: Atomics.store (SC, stronger than needed)
    WRITE_ONCE: (i, v) => {
      Atomics.store(m, i, v);
    },
    smp_store_release: (i, v) => {
      Atomics.store(m, i, v);
    },
    // smp_rmb(), smp_wmb() and the fences beside atomics and locks: portable: smp_mb()
    smp_rmb: mb,
    smp_wmb: mb,
    smp_mb__before_atomic: mb,
    smp_mb__after_atomic: mb,
    smp_mb__after_spinlock: mb,
    smp_mb__after_unlock_lock: mb,
    smp_mb__after_srcu_read_unlock: mb,
    // rmw: the Atomics op, with smp_mb() on the side(s) its flavour orders
    xchg: full(x.xchg),
    xchg_acquire: acquire(x.xchg),
    xchg_release: release(x.xchg),
    cmpxchg: full(x.cmpxchg),
    cmpxchg_acquire: acquire(x.cmpxchg),
    cmpxchg_release: release(x.cmpxchg),
    atomic_fetch_add: full(x.atomic_fetch_add),
    atomic_fetch_add_acquire: acquire(x.atomic_fetch_add),
    atomic_fetch_add_release: release(x.atomic_fetch_add),
  };
  return withDerivedOps(core, cfg.relax);
}

export const X86_MEMORY: MemoryKind = {
  description: 'x86-64 mapping: ONCE accesses are plain element accesses, smp_mb() is Atomics.add',
  create: x86Ops,
  create64: hostOps64,
};

export const PORTABLE_MEMORY: MemoryKind = {
  description: 'portable mapping: every marked access and fence through Atomics (any host)',
  create: portableOps,
  create64: hostOps64,
};
