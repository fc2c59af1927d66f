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

/** Spins on an instance's start flag before napping (about a millisecond: a scheduler slice). */
export const INSTANCE_SPINS = 1 << 20;
/** How long such a nap lasts. */
export const INSTANCE_NAP_MS = 0.5;

/** The names the generated code may call; the compiler emits only these identifiers. */
export const LITMUS_OP_NAMES = [
  'load_plain',
  'load_once',
  'load_acquire',
  'store_plain',
  'store_once',
  'store_release',
  'fence_mb',
  'fence_rmb',
  'fence_wmb',
  'fence_barrier',
  'fence_before_atomic',
  'fence_after_atomic',
  'fence_after_spinlock',
  'fence_after_unlock_lock',
  'fence_rcu_lock',
  'fence_rcu_unlock',
  'fence_rmw',
  'rmw_xchg',
  'rmw_cmpxchg',
  'rmw_add',
  'rmw_add_unless',
  'spin_lock',
  'spin_unlock',
  'spin_trylock',
  'spin_is_locked',
  'at',
  'start_instance',
] as const;
export type LitmusOpName = (typeof LITMUS_OP_NAMES)[number];
export type LitmusOps = Record<LitmusOpName, (...args: number[]) => unknown>;

export interface LitmusOpsConfig {
  mapping: HostMapping;
  m: Int32Array;
  /** Cell offset (from the instance's first cell) of each location, by location index. */
  offsets: readonly number[];
  abortCell: number;
  thread: number;
  threads: number;
  /** Cell of instance 0's start flag; see start_instance. */
  flagBase: number;
  /** Meet the other threads at every instance (threads ≤ CPUs); else run freely within a batch. */
  instanceSync: boolean;
}

/** Build the operations for one worker; `ops` is memoryOps(mapping, m, FENCE_CELL). */
export function litmusOps(ops: MemoryOps, cfg: LitmusOpsConfig): LitmusOps {
  const { m, abortCell } = cfg;
  const x86 = cfg.mapping === 'x86';
  const offsets = Int32Array.from(cfg.offsets);
  const nloc = offsets.length;
  // Fences the kernel defines as barrier() on x86 because the atomic or lock next to them is
  // already a LOCK-prefixed instruction; on any other host they must be smp_mb().
  const besideLockOp = x86 ? ops.barrier : ops.smp_mb;
  // An rmw is an Atomics operation (sequentially consistent) on every host; on x86 that is a
  // LOCK op, a full fence by itself. Elsewhere a fully ordered rmw gets an smp_mb() beside it.
  const rmwFence = x86 ? () => {} : ops.smp_mb;

  const slowLock = (i: number): void => {
    // Waits for the holder's spin_unlock() (Atomics.store of 0). Taking the lock by
    // compareExchange, never by a plain test-then-set, prevents two threads both seeing 0.
    const start = Date.now();
    let spins = 0;
    while (Atomics.compareExchange(m, i, 0, 1) !== 0) {
      if ((++spins & 0xfff) !== 0) continue;
      if (Atomics.load(m, abortCell) !== 0) throw new Aborted();
      if (Date.now() - start > LOCK_TIMEOUT_MS) {
        throw new Error(
          `spin_lock() waited ${LOCK_TIMEOUT_MS} ms: the lock is never released (a deadlock in the test)`,
        );
      }
    }
  };

  const { thread, threads, flagBase } = cfg;
  // start_instance(k): litmus7's userfence. Instance k has a leader, thread k mod threads, which
  // raises the instance's flag and goes on; the others wait for the flag. Rotating the leader
  // keeps every thread within about one instance of the others, so that they race on the same
  // instance (SB's both-zero outcome needs that), at the cost of one line transfer per instance.
  const startInstance = cfg.instanceSync
    ? (k: number) => {
        if (k % threads === thread) {
          Atomics.store(m, flagBase + k, 1);
          return undefined;
        }
        // Waits for the leader of instance k. An Atomics.load, not a plain read, so that V8
        // cannot hoist the read out of the loop and spin forever on a stale value.
        // Past INSTANCE_SPINS the leader is likely not running (another process has its CPU,
        // or ours): sleep briefly so as to give the CPU back, and look at the abort flag.
        let spins = 0;
        while (Atomics.load(m, flagBase + k) === 0) {
          if (++spins < INSTANCE_SPINS) continue;
          if (Atomics.load(m, abortCell) !== 0) throw new Aborted();
          Atomics.wait(m, flagBase + k, 0, INSTANCE_NAP_MS);
        }
        return undefined;
      }
    : () => undefined;

  return {
    start_instance: startInstance,
    // plain access `r = *x` / `*x = v`: the compiler may reorder it. MemoryOps.load / store
    load_plain: ops.load,
    store_plain: (i, v) => ops.store(i, v),
    // READ_ONCE() / WRITE_ONCE(): untorn, kept. MemoryOps.READ_ONCE / WRITE_ONCE
    load_once: ops.READ_ONCE,
    store_once: (i, v) => ops.WRITE_ONCE(i, v),
    // smp_load_acquire() / smp_store_release(). MemoryOps.smp_load_acquire / smp_store_release
    load_acquire: ops.smp_load_acquire,
    store_release: (i, v) => ops.smp_store_release(i, v),
    // smp_mb(), smp_rmb(), smp_wmb(), barrier(): MemoryOps' fences
    fence_mb: () => ops.smp_mb(),
    fence_rmb: () => ops.smp_rmb(),
    fence_wmb: () => ops.smp_wmb(),
    fence_barrier: () => ops.barrier(),
    // smp_mb__before_atomic() / __after_atomic(): full fence with the atomic. x86: barrier() (the atomic is LOCKed)
    fence_before_atomic: () => besideLockOp(),
    fence_after_atomic: () => besideLockOp(),
    // smp_mb__after_spinlock(): spin_lock() becomes a full fence. x86: barrier() (the lock is LOCK CMPXCHG)
    fence_after_spinlock: () => besideLockOp(),
    // smp_mb__after_unlock_lock(): unlock+lock becomes a full fence. x86: barrier() (both are LOCK/XCHG)
    fence_after_unlock_lock: () => besideLockOp(),
    // rcu_read_lock() / rcu_read_unlock(): no grace periods on hw (synchronize_rcu is refused). barrier()
    fence_rcu_lock: () => ops.barrier(),
    fence_rcu_unlock: () => ops.barrier(),
    // the full ordering of a fully ordered (or the acquire/release half of an) rmw beyond its Atomics op
    fence_rmw: () => rmwFence(),
    // xchg*(): swap, returns the old value. Atomics.exchange = XCHG
    rmw_xchg: (i, v) => ops.xchg(i, v),
    // cmpxchg*(): compare-and-swap, returns the old value. Atomics.compareExchange = LOCK CMPXCHG
    rmw_cmpxchg: (i, expected, v) => ops.cmpxchg(i, expected, v),
    // atomic_add*() / atomic_sub*() (sub passes the negation): returns the old value. Atomics.add = LOCK XADD
    rmw_add: (i, v) => ops.atomic_fetch_add(i, v),
    // atomic_add_unless(): add unless the value is `u`; 1 if it added. Atomics.load + compareExchange loop
    rmw_add_unless: (i, a, u) => {
      // Retries while another thread changed the cell between our load and our compareExchange.
      for (;;) {
        const old = Atomics.load(m, i);
        if (old === u) return 0;
        if (ops.cmpxchg(i, old, (old + a) | 0) === old) return 1;
      }
    },
    // spin_lock(): take the lock, waiting while it is held. Atomics.compareExchange(0 → 1) loop
    spin_lock: (i) => {
      if (Atomics.compareExchange(m, i, 0, 1) !== 0) slowLock(i);
      return undefined;
    },
    // spin_unlock(): release the lock. Atomics.store(0) = XCHG (a release and more)
    spin_unlock: (i) => {
      Atomics.store(m, i, 0);
      return undefined;
    },
    // spin_trylock(): take the lock if free; 1 if taken. Atomics.compareExchange(0 → 1)
    spin_trylock: (i) => Number(Atomics.compareExchange(m, i, 0, 1) === 0),
    // spin_is_locked(): 1 if held. Atomics.load
    spin_is_locked: (i) => Number(Atomics.load(m, i) !== 0),
    // an address value (ADDRESS_BASE + location index) → that location's offset in this instance
    at: (v, site) => {
      const j = v - ADDRESS_BASE;
      if (j >= 0 && j < nloc) return offsets[j]!;
      throw new SiteError(site!, `${v}, which is not the address of a shared location`);
    },
  };
}
