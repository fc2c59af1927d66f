// The operations compiled litmus code calls: one per IR event (kind + annotation), each the
// memory object's primitive of the same meaning (src/memory/ops.ts), so that a litmus test and
// a program scenario run the same semantics for the same primitive. This module only renames,
// plus what only compiled code needs: `at`, which turns an address value held in a register
// into a cell offset of the same instance (or a clear error), the instance meeting, and what a
// wait that can never end does (the instance is given up, or the run ends with the site). It
// does not pick the memory object: the worker does.

import type { LitmusOpName } from '../litmus/compile.ts';
import { ADDRESS_BASE } from '../litmus/ir.ts';
import { FastRandom } from './fast-random.ts';
import { SiteError, Stuck } from './faults.ts';
import type { MemoryOps } from './ops.ts';

/** A wait (spin_lock(), a grace period) still waiting after this long, not proven stuck, is a deadlock in the test. */
export const LOCK_TIMEOUT_MS = 2_000;

/** Thrown by a wait's relax after LOCK_TIMEOUT_MS; the op names the site. */
export class LockTimeout extends Error {}

/** The litmus runner's watch over waits (runtime/litmus/waits.ts), as the ops see it. */
export interface WaitWatch {
  /** The compiled code is about to run instance k. */
  enter(k: number): void;
  /** The wait that was going on ended. */
  ended(): void;
  /** The current instance is stuck at `site`: this thread gives it up. */
  gaveUp(site: number): void;
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
  /** Watches waits (a test with locks or grace periods, on real threads). */
  watch?: WaitWatch;
  /** Tell the memory object each instance's first cell (MemoryOps.begin_instance: a test with RCU). */
  beginInstance?: boolean;
}

/** The operations of one worker over its memory object. */
export function litmusOps(mem: MemoryOps, cfg: LitmusOpsConfig): LitmusOps {
  const watch = cfg.watch ?? NO_WATCH;
  const start = cfg.startInstance;
  const begin = cfg.beginInstance === true;
  const orders = orderPicker(cfg.seed ?? 1, cfg.cpu ?? 0);
  return {
    // not a primitive: where the threads meet before each instance k at cell c
    // (instance-sync.ts), where this thread is (for the waits of the others), and which
    // instance RCU's primitives act on
    start_instance:
      cfg.watch || begin
        ? (k: number, c: number) => {
            watch.enter(k);
            if (begin) mem.begin_instance(c);
            return start(k);
          }
        : start,
    // which of the thread's orders (MemoryKind.threadOrders) this instance runs: a seeded choice
    pick_order: (n: number) => orders.next() % n,
    // plain `r = *x` / `*x = v`, READ_ONCE/WRITE_ONCE, smp_load_acquire/smp_store_release
    load_plain: mem.load,
    store_plain: mem.store,
    load_once: mem.READ_ONCE,
    store_once: mem.WRITE_ONCE,
    load_acquire: mem.smp_load_acquire,
    store_release: mem.smp_store_release,
    ...fenceOps(mem),
    ...rmwOps(mem),
    ...lockOps(mem, watch),
    ...rcuOps(mem, watch),
    at: addressOp(cfg.offsets),
    // not a primitive: what the memory's accesses compiled into the thread reach (compile.ts inline)
    inline_state: () => ({ memory: mem.compiled, orders: orders.state }),
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
    fence_after_srcu_unlock: mem.smp_mb__after_srcu_read_unlock,
  };
}

/**
 * synchronize_rcu(), SRCU's read side and synchronize_srcu(): the memory object's; a wait
 * returns 1 when the instance was given up. The start/poll pairs are what the in-process
 * driver steps.
 */
function rcuOps(mem: MemoryOps, watch: WaitWatch) {
  const never = 'a read-side critical section never ends';
  return {
    sync_rcu: (site: number) =>
      waiting(mem, watch, site, 'synchronize_rcu() waited', never, () => mem.synchronize_rcu()),
    start_poll_rcu: mem.start_poll_synchronize_rcu,
    poll_rcu: mem.poll_state_synchronize_rcu,
    srcu_lock: mem.srcu_read_lock,
    srcu_unlock: mem.srcu_read_unlock,
    sync_srcu: (i: number, site: number) =>
      waiting(mem, watch, site, 'synchronize_srcu() waited', never, () => mem.synchronize_srcu(i)),
    start_poll_srcu: mem.start_poll_synchronize_srcu,
    poll_srcu: mem.poll_state_synchronize_srcu,
  };
}

/**
 * Run a wait at `site`: 0 when it ended; 1 when it can never end (Stuck: the instance is given
 * up, its read-side critical sections left, and the compiled code goes on with the next); a
 * wait that timed out without that proof is a SiteError naming it (a deadlock in the test).
 */
function waiting(
  mem: MemoryOps,
  watch: WaitWatch,
  site: number,
  what: string,
  why: string,
  wait: () => void,
): number {
  try {
    wait();
    watch.ended();
    return 0;
  } catch (e) {
    if (e instanceof Stuck) {
      watch.gaveUp(site);
      mem.abandon();
      return 1;
    }
    if (!(e instanceof LockTimeout)) throw e;
    throw new SiteError(site, `${what} ${LOCK_TIMEOUT_MS} ms: ${why} (a deadlock in the test)`);
  }
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

const NO_WATCH: WaitWatch = { enter: () => {}, ended: () => {}, gaveUp: () => {} };

function lockOps(mem: MemoryOps, watch: WaitWatch) {
  return {
    // spin_lock(i, site): the memory object's; 1 when the instance was given up (stuck)
    spin_lock: (i: number, site: number) =>
      waiting(mem, watch, site, 'spin_lock() waited', 'the lock is never released', () =>
        mem.spin_lock(i),
      ),
    spin_unlock: mem.spin_unlock,
    // spin_trylock() / spin_is_locked(): the memory object's, as the 0/1 a register holds
    spin_trylock: (i: number) => Number(mem.spin_trylock(i)),
    spin_is_locked: (i: number) => Number(mem.spin_is_locked(i)),
  };
}

/** The seeded choice of a thread's order per instance (pick_order), per CPU. */
function orderPicker(seed: number, cpu: number): FastRandom {
  return new FastRandom((seed * 65_537 + cpu + 1) % 2 ** 48);
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
