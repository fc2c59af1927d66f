// The operations compiled litmus code calls (src/litmus/compile.ts's names), on a WeakCpu.
//
// Every fence that LKMM defines as "a full barrier beside an atomic or a lock"
// (smp_mb__before_atomic, __after_atomic, __after_spinlock, __after_unlock_lock) is smp_mb()
// here: stronger than some of them need, so never unsound. barrier() and the RCU read-side
// markers order nothing the weak CPU would reorder (the reorderings of reorder.ts never cross
// them); synchronize_rcu() is refused before anything runs (refuseOnWeak).

import type { LitmusOpName } from '../litmus/compile.ts';
import { ADDRESS_BASE } from '../litmus/ir.ts';
import type { WeakCpu } from './cpu.ts';

export type WeakLitmusOps = Record<LitmusOpName, (...args: number[]) => unknown>;

export interface WeakOpsConfig {
  /** Cell offset (from the instance's first cell) of each location, by location index. */
  offsets: readonly number[];
  /** Called before each instance (the runner's meeting of the threads). */
  startInstance: (k: number) => undefined;
  /** Thrown by `at` for a register that holds no address. */
  badAddress: (v: number, site: number) => Error;
}

export function weakLitmusOps(cpu: WeakCpu, cfg: WeakOpsConfig): WeakLitmusOps {
  const mb = () => cpu.mb();
  const nothing = () => {};
  const offsets = Int32Array.from(cfg.offsets);
  return {
    start_instance: cfg.startInstance,
    // which order of the thread's body (reorder.ts) this instance runs: a seeded choice
    pick_order: (n: number) => cpu.random() % n,
    load_plain: (i: number) => cpu.read(i, false),
    load_once: (i: number) => cpu.read(i, false),
    load_acquire: (i: number) => cpu.read(i, true),
    store_plain: (i: number, v: number) => cpu.write(i, v, false),
    store_once: (i: number, v: number) => cpu.write(i, v, false),
    store_release: (i: number, v: number) => cpu.write(i, v, true),
    fence_mb: mb,
    fence_rmb: () => cpu.rmb(),
    fence_wmb: () => cpu.wmb(),
    fence_barrier: nothing,
    fence_before_atomic: mb,
    fence_after_atomic: mb,
    fence_after_spinlock: mb,
    fence_after_unlock_lock: mb,
    fence_rcu_lock: nothing,
    fence_rcu_unlock: nothing,
    // the ordering half of an rmw's annotation, around a relaxed rmw: smp_mb() (stronger than
    // acquire or release alone)
    fence_rmw: mb,
    rmw_xchg: (i: number, a: number) => cpu.rmw(i, 'xchg', 'relaxed', a, 0),
    rmw_cmpxchg: (i: number, e: number, a: number) => cpu.rmw(i, 'cmpxchg', 'relaxed', e, a),
    rmw_add: (i: number, a: number) => cpu.rmw(i, 'add', 'relaxed', a, 0),
    rmw_add_unless: (i: number, a: number, u: number) => cpu.rmw(i, 'add_unless', 'mb', a, u),
    spin_lock: (i: number) => cpu.lock(i),
    spin_unlock: (i: number) => cpu.unlock(i),
    spin_trylock: (i: number) => Number(cpu.trylock(i)),
    spin_is_locked: (i: number) => Number(cpu.read(i, false) !== 0),
    // an access through a register (an address dependency) sees what the earlier loads'
    // messages had seen: smp_rmb() before it (stronger than the one dependency LKMM keeps)
    at: (v: number, site: number) => {
      cpu.rmb();
      const j = v - ADDRESS_BASE;
      if (j >= 0 && j < offsets.length) return offsets[j]!;
      throw cfg.badAddress(v, site);
    },
  };
}
