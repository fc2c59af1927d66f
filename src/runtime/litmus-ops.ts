// The operations compiled litmus code calls: one per IR event (kind + annotation), built on
// the MemoryOps of src/kernel/ops.ts so that a litmus test and a program scenario run the
// same JavaScript for the same primitive.
//
// MemoryOps has the kernel's primitives; this module adds what only litmus events need:
// the rmw flavours and annotations, the smp_mb__*() fences, spinlocks on a cell, RCU read-side
// markers, and `at`, which turns an address value held in a register into a cell offset of
// the same instance (or a clear error). It does not decide the host mapping: the caller picks
// x86 or portable once, when the worker starts.

import type { HostMapping, MemoryOps } from '../kernel/ops.ts';
import type { LitmusOpName } from '../litmus/compile.ts';
import { ADDRESS_BASE } from '../litmus/ir.ts';

/** A failure at one instruction of the compiled thread (`site` indexes CompiledThread.sites). */
export class SiteError extends Error {
  constructor(
    readonly site: number,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown out of a spin loop when another thread failed (the abort flag is set). */
export class Aborted extends Error {
  constructor() {
    super('aborted because another thread failed');
  }
}

/** A spin_lock() that has not got its lock after this long is a deadlock in the test. */
export const LOCK_TIMEOUT_MS = 2_000;

export type LitmusOps = Record<LitmusOpName, (...args: number[]) => unknown>;

export interface LitmusOpsConfig {
  mapping: HostMapping;
  m: Int32Array;
  /** Cell offset (from the instance's first cell) of each location, by location index. */
  offsets: readonly number[];
  abortCell: number;
  /** InstanceSync.startInstance, called before each instance. */
  startInstance: (k: number) => undefined;
}

/** Build the operations for one worker; `ops` is memoryOps(mapping, m, FENCE_CELL). */
export function litmusOps(ops: MemoryOps, cfg: LitmusOpsConfig): LitmusOps {
  return {
    // not a primitive: where the threads meet before each instance (instance-sync.ts)
    start_instance: cfg.startInstance,
    ...accessOps(ops),
    ...fenceOps(ops, cfg.mapping),
    ...rmwOps(ops, cfg),
    ...lockOps(cfg),
    at: addressOp(cfg.offsets),
  };
}

function accessOps(ops: MemoryOps) {
  return {
    // plain access `r = *x` / `*x = v`: the compiler may reorder it. MemoryOps.load / store
    load_plain: ops.load,
    store_plain: ops.store,
    // READ_ONCE() / WRITE_ONCE(): untorn, kept. MemoryOps.READ_ONCE / WRITE_ONCE
    load_once: ops.READ_ONCE,
    store_once: ops.WRITE_ONCE,
    // smp_load_acquire() / smp_store_release(). MemoryOps.smp_load_acquire / smp_store_release
    load_acquire: ops.smp_load_acquire,
    store_release: ops.smp_store_release,
  };
}

function fenceOps(ops: MemoryOps, mapping: HostMapping) {
  // Fences the kernel defines as barrier() on x86 because the atomic or lock next to them is
  // already a LOCK-prefixed instruction; on any other host they must be smp_mb().
  const besideLockOp = mapping === 'x86' ? ops.barrier : ops.smp_mb;
  return {
    // smp_mb(), smp_rmb(), smp_wmb(), barrier(): MemoryOps' fences
    fence_mb: ops.smp_mb,
    fence_rmb: ops.smp_rmb,
    fence_wmb: ops.smp_wmb,
    fence_barrier: ops.barrier,
    // smp_mb__before_atomic() / __after_atomic(): full fence with the atomic. x86: barrier() (the atomic is LOCKed)
    fence_before_atomic: besideLockOp,
    fence_after_atomic: besideLockOp,
    // smp_mb__after_spinlock(): spin_lock() becomes a full fence. x86: barrier() (the lock is LOCK CMPXCHG)
    fence_after_spinlock: besideLockOp,
    // smp_mb__after_unlock_lock(): unlock+lock becomes a full fence. x86: barrier() (both are LOCK/XCHG)
    fence_after_unlock_lock: besideLockOp,
    // rcu_read_lock() / rcu_read_unlock(): no grace periods on hw (synchronize_rcu is refused). barrier()
    fence_rcu_lock: ops.barrier,
    fence_rcu_unlock: ops.barrier,
  };
}

function rmwOps(ops: MemoryOps, cfg: LitmusOpsConfig) {
  const m = cfg.m;
  // An rmw is an Atomics operation (sequentially consistent) on every host; on x86 that is a
  // LOCK op, a full fence by itself. Elsewhere a fully ordered rmw gets an smp_mb() beside it.
  const rmwFence = cfg.mapping === 'x86' ? () => {} : ops.smp_mb;
  return {
    // the ordering of a fully ordered rmw (or its acquire/release half) beyond its Atomics op
    fence_rmw: rmwFence,
    // xchg*(): swap, returns the old value. Atomics.exchange = XCHG
    rmw_xchg: ops.xchg,
    // cmpxchg*(): compare-and-swap, returns the old value. Atomics.compareExchange = LOCK CMPXCHG
    rmw_cmpxchg: ops.cmpxchg,
    // atomic_add*() / atomic_sub*() (sub passes the negation): returns the old value. Atomics.add = LOCK XADD
    rmw_add: ops.atomic_fetch_add,
    // atomic_add_unless(): add unless the value is `u`; 1 if it added. Atomics.load + compareExchange loop
    rmw_add_unless: (i: number, a: number, u: number) => {
      // Retries while another thread changed the cell between our load and our compareExchange.
      for (;;) {
        const old = Atomics.load(m, i);
        if (old === u) return 0;
        if (ops.cmpxchg(i, old, (old + a) | 0) === old) return 1;
      }
    },
  };
}

function lockOps(cfg: LitmusOpsConfig) {
  const { m, abortCell } = cfg;
  const slowLock = (i: number, site: number): void => {
    // Waits for the holder's spin_unlock() (Atomics.store of 0). Taking the lock by
    // compareExchange, never by a plain test-then-set, prevents two threads both seeing 0.
    const start = Date.now();
    let spins = 0;
    while (Atomics.compareExchange(m, i, 0, 1) !== 0) {
      if ((++spins & 0xfff) !== 0) continue;
      if (Atomics.load(m, abortCell) !== 0) throw new Aborted();
      if (Date.now() - start > LOCK_TIMEOUT_MS) {
        throw new SiteError(
          site,
          `spin_lock() waited ${LOCK_TIMEOUT_MS} ms: the lock is never released (a deadlock in the test)`,
        );
      }
    }
  };
  return {
    // spin_lock(): take the lock, waiting while it is held. Atomics.compareExchange(0 → 1) loop
    spin_lock: (i: number, site: number) => {
      if (Atomics.compareExchange(m, i, 0, 1) !== 0) slowLock(i, site);
    },
    // spin_unlock(): release the lock. Atomics.store(0) = XCHG (a release and more)
    spin_unlock: (i: number) => {
      Atomics.store(m, i, 0);
    },
    // spin_trylock(): take the lock if free; 1 if taken. Atomics.compareExchange(0 → 1)
    spin_trylock: (i: number) => Number(Atomics.compareExchange(m, i, 0, 1) === 0),
    // spin_is_locked(): 1 if held. Atomics.load
    spin_is_locked: (i: number) => Number(Atomics.load(m, i) !== 0),
  };
}

/** at(v, site): an address value (ADDRESS_BASE + location index) → that location's offset in the instance. */
function addressOp(locationOffsets: readonly number[]) {
  const offsets = Int32Array.from(locationOffsets);
  return (v: number, site: number) => {
    const j = v - ADDRESS_BASE;
    if (j >= 0 && j < offsets.length) return offsets[j]!;
    throw new SiteError(site, `${v}, which is not the address of a shared location`);
  };
}
