// The operations compiled litmus code calls: one per IR event (kind + annotation), each the
// memory object's primitive of the same meaning (src/memory/ops.ts), so that a litmus test and
// a program scenario run the same semantics for the same primitive. This module only renames,
// plus what only compiled code needs: `at`, which turns an address value held in a register
// into a cell offset of the same instance (or a clear error), the instance meeting, and the
// deadlock check of spin_lock's wait. It does not pick the memory object: the worker does.

import type { LitmusOpName } from '../litmus/compile.ts';
import { ADDRESS_BASE } from '../litmus/ir.ts';
import { Aborted, SiteError } from './faults.ts';
import type { MemoryOps } from './ops.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from './random.ts';

/** A spin_lock() that has not got its lock after this long is a deadlock in the test. */
export const LOCK_TIMEOUT_MS = 2_000;

/** Thrown by litmusRelax when a spin_lock() waited LOCK_TIMEOUT_MS; the op names the site. */
class LockTimeout extends Error {}

/** Spin passes between looks at the abort flag and the clock. */
const RELAX_CHECK_EVERY = 0x1000;

/**
 * spin_lock()'s wait in a litmus run: every RELAX_CHECK_EVERY passes, give up if another thread
 * failed, or if this wait has lasted LOCK_TIMEOUT_MS (the test never unlocks).
 */
export function litmusRelax(m: Int32Array, abortCell: number): (spins: number) => void {
  let since = 0;
  return (spins) => {
    if (spins % RELAX_CHECK_EVERY !== 0) return;
    if (Atomics.load(m, abortCell) !== 0) throw new Aborted();
    if (spins === RELAX_CHECK_EVERY) since = Date.now();
    else if (Date.now() - since > LOCK_TIMEOUT_MS) throw new LockTimeout();
  };
}

export type LitmusOps = Record<LitmusOpName, (...args: number[]) => unknown>;

export interface LitmusOpsConfig {
  /** Cell offset (from the instance's first cell) of each location, by location index. */
  offsets: readonly number[];
  /** InstanceSync.startInstance, called before each instance. */
  startInstance: (k: number) => undefined;
  /** Seeds the choice of a thread's order per instance (MemoryKind.threadOrders), per CPU. */
  seed?: number;
  cpu?: number;
}

/** The operations of one worker over its memory object. */
export function litmusOps(mem: MemoryOps, cfg: LitmusOpsConfig): LitmusOps {
  return {
    // not a primitive: where the threads meet before each instance (instance-sync.ts)
    start_instance: cfg.startInstance,
    // which of the thread's orders (MemoryKind.threadOrders) this instance runs: a seeded choice
    pick_order: orderPicker(cfg.seed ?? 1, cfg.cpu ?? 0),
    // plain `r = *x` / `*x = v`, READ_ONCE/WRITE_ONCE, smp_load_acquire/smp_store_release
    load_plain: mem.load,
    store_plain: mem.store,
    load_once: mem.READ_ONCE,
    store_once: mem.WRITE_ONCE,
    load_acquire: mem.smp_load_acquire,
    store_release: mem.smp_store_release,
    ...fenceOps(mem),
    ...rmwOps(mem),
    ...lockOps(mem),
    at: addressOp(cfg.offsets),
  };
}

function fenceOps(mem: MemoryOps) {
  return {
    fence_mb: mem.smp_mb,
    fence_rmb: mem.smp_rmb,
    fence_wmb: mem.smp_wmb,
    fence_barrier: mem.barrier,
    fence_before_atomic: mem.smp_mb__before_atomic,
    fence_after_atomic: mem.smp_mb__after_atomic,
    fence_after_spinlock: mem.smp_mb__after_spinlock,
    fence_after_unlock_lock: mem.smp_mb__after_unlock_lock,
    fence_rcu_lock: mem.rcu_read_lock,
    fence_rcu_unlock: mem.rcu_read_unlock,
  };
}

/** xchg*(), cmpxchg*(), atomic_add*()/sub*() (sub passes the negation), in each flavour. */
function rmwOps(mem: MemoryOps) {
  return {
    rmw_xchg: mem.xchg,
    rmw_xchg_relaxed: mem.xchg_relaxed,
    rmw_xchg_acquire: mem.xchg_acquire,
    rmw_xchg_release: mem.xchg_release,
    rmw_cmpxchg: mem.cmpxchg,
    rmw_cmpxchg_relaxed: mem.cmpxchg_relaxed,
    rmw_cmpxchg_acquire: mem.cmpxchg_acquire,
    rmw_cmpxchg_release: mem.cmpxchg_release,
    rmw_add: mem.atomic_fetch_add,
    rmw_add_relaxed: mem.atomic_fetch_add_relaxed,
    rmw_add_acquire: mem.atomic_fetch_add_acquire,
    rmw_add_release: mem.atomic_fetch_add_release,
    rmw_add_noreturn: mem.atomic_add,
    rmw_add_unless: mem.atomic_add_unless,
  };
}

function lockOps(mem: MemoryOps) {
  return {
    // spin_lock(i, site): the memory object's; a wait that timed out names the test's line
    spin_lock: (i: number, site: number) => {
      try {
        mem.spin_lock(i);
      } catch (e) {
        if (!(e instanceof LockTimeout)) throw e;
        throw new SiteError(
          site,
          `spin_lock() waited ${LOCK_TIMEOUT_MS} ms: the lock is never released (a deadlock in the test)`,
        );
      }
    },
    spin_unlock: mem.spin_unlock,
    // spin_trylock() / spin_is_locked(): the memory object's, as the 0/1 a register holds
    spin_trylock: (i: number) => Number(mem.spin_trylock(i)),
    spin_is_locked: (i: number) => Number(mem.spin_is_locked(i)),
  };
}

function orderPicker(seed: number, cpu: number): (n: number) => number {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, (seed * 65_537 + cpu + 1) % 2 ** 48);
  return (n) => prandom_u32_state(rnd) % n;
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
