// The weak memory object: seam's MemoryOps (src/memory/ops.ts) on a WeakCpu, registered as the
// memory kind `weak` (src/memory/kinds.ts). One line per primitive: its kernel meaning,
// then what the weak CPU does (cpu.ts has the views; docs/weak.md the reasons).
//
// Its histories are per instance, so it needs the runner's instance layout and side memory
// (MemoryConfig.instances): litmus instances, a scenario's fresh copies, or a long-running
// scenario's one memory (its locations: the declared words, InstanceLayout.locationOf).
// Spinlocks use the lock word alone (the weak CPU never touches the queued count at i + 1:
// whether a CPU is queued is not something LKMM lets a test observe). synchronize_rcu() is refused (no grace periods).

import { UserError } from '../../errors.ts';
import type { Test, Thread } from '../../litmus/ir.ts';
import { threadsRefusal } from '../../litmus/threads-refusal.ts';
import { layoutMemory, type MemorySpec, wordLocations } from '../cells.ts';
import { type MemoryConfig, type MemoryKind, type MemoryOps, ops64 } from '../ops.ts';
import { locateCell, WeakCpu } from './cpu.ts';
import { historyGeometry, resetLocation } from './history.ts';
import { threadOrders, withDependencyFences } from './reorder.ts';

export function weakOps(cfg: MemoryConfig): MemoryOps {
  const inst = cfg.instances;
  if (!inst)
    throw new Error(
      'internal: the weak memory object needs an instance layout (litmus instances or scenario copies)',
    );
  const h = new Int32Array(inst.side);
  const g = historyGeometry(inst.variables);
  const cpu = new WeakCpu({
    m: cfg.m,
    h,
    cells: inst,
    cpu: cfg.cpu,
    seed: cfg.seed,
    relax: cfg.relax,
  });
  const locate = (i: number) => {
    const { inst: k, x } = locateCell(inst, i);
    return { base: k * g.stride, x };
  };
  // rmw(kind, order): reads the latest write and appends its result atomically (cpu.rmw)
  const rmw =
    (kind: 'xchg' | 'add', order: 'mb' | 'relaxed' | 'acquire' | 'release') =>
    (i: number, v: number) =>
      cpu.rmw(i, kind, order, v, 0);
  const cas =
    (order: 'mb' | 'relaxed' | 'acquire' | 'release') => (i: number, e: number, v: number) =>
      cpu.rmw(i, 'cmpxchg', order, e, v);
  const nothing = () => {};
  const mb = () => cpu.mb();
  return {
    // plain and ONCE accesses: any recent write not older than the CPU's view; stores carry `rel`
    load: (i) => cpu.read(i, false),
    store: (i, v) => cpu.write(i, v, false),
    READ_ONCE: (i) => cpu.read(i, false),
    WRITE_ONCE: (i, v) => cpu.write(i, v, false),
    // smp_load_acquire(): the message's views become the CPU's. smp_store_release(): carries all it has seen
    smp_load_acquire: (i) => cpu.read(i, true),
    smp_store_release: (i, v) => cpu.write(i, v, true),
    // barrier(): the reorderings never cross it; nothing else to do
    barrier: nothing,
    // smp_rmb(): pending views of earlier reads applied. smp_wmb(): later stores carry own earlier ones
    smp_rmb: () => cpu.rmb(),
    smp_wmb: () => cpu.wmb(),
    // smp_mb(): an SC fence over the instance's global view
    smp_mb: mb,
    // the full fences beside an atomic or a lock: smp_mb() (stronger than some need)
    smp_mb__before_atomic: mb,
    smp_mb__after_atomic: mb,
    smp_mb__after_spinlock: mb,
    smp_mb__after_unlock_lock: mb,
    // rcu_read_lock()/unlock(): no grace periods here (synchronize_rcu is refused): nothing
    rcu_read_lock: nothing,
    rcu_read_unlock: nothing,
    xchg: rmw('xchg', 'mb'),
    xchg_relaxed: rmw('xchg', 'relaxed'),
    xchg_acquire: rmw('xchg', 'acquire'),
    xchg_release: rmw('xchg', 'release'),
    cmpxchg: cas('mb'),
    cmpxchg_relaxed: cas('relaxed'),
    cmpxchg_acquire: cas('acquire'),
    cmpxchg_release: cas('release'),
    atomic_fetch_add: rmw('add', 'mb'),
    atomic_fetch_add_relaxed: rmw('add', 'relaxed'),
    atomic_fetch_add_acquire: rmw('add', 'acquire'),
    atomic_fetch_add_release: rmw('add', 'release'),
    // atomic_add(): the relaxed add (rmb orders its read here, which lkmm does not promise: stronger, sound)
    atomic_add: (i, v) => {
      cpu.rmw(i, 'add', 'relaxed', v, 0);
    },
    // atomic_add_unless(): one rmw, fully ordered when it adds
    atomic_add_unless: (i, v, u) => cpu.rmw(i, 'add_unless', 'mb', v, u),
    // spin_lock()/spin_trylock(): an acquire rmw 0 → 1 on the latest write; spin_unlock(): release store of 0
    spin_lock: (i) => cpu.lock(i),
    spin_unlock: (i) => cpu.unlock(i),
    spin_trylock: (i) => cpu.trylock(i),
    // spin_is_locked(): a read of the lock word (stale allowed); no queue on the weak CPU
    spin_is_locked: (i) => cpu.read(i, false) !== 0,
    spin_is_contended: () => false,
    // the runner's side: a fresh history holding the initial value; the final value is the
    // coherence-last write, which every append also leaves in the cell
    init: (i, v) => {
      const { base, x } = locate(i);
      resetLocation(h, g, base, x, v);
      cfg.m[i] = v;
    },
    final: (i) => cfg.m[i]!,
    // the end of a batch: reads return the latest write until the next reset (cpu.drain)
    drain: () => cpu.drain(),
  };
}

/** A clear error for what the weak CPU does not implement: what no threads backend runs. */
export function refuseOnWeak(test: Test): UserError | undefined {
  const r = threadsRefusal('weak', test);
  return r ? new UserError(r.reason, test.file, r.pos) : undefined;
}

/**
 * Declared words a scenario may have on weak. Views are dense (one timestamp per location), so
 * an instance's histories take about 8 × locations² cells and every access joins views of
 * `locations` entries: pf-invalidate-race's 31 words take 8 k cells; mmu-lock-yield's 16,648
 * would take 2.2 G (sparse views would lift this; docs/weak.md).
 */
export const MAX_SCENARIO_LOCATIONS = 256;

/** 64-bit types: their accesses go through MemoryOps64, which the weak CPU does not emulate. */
const WIDE_TYPES = ['u64', 'atomic64_t'];

/**
 * The weak CPU runs a scenario whose variables are 32-bit words (int, atomic_t, the words of
 * spinlock_t, rwlock_t, seqcount_t and seqlock_t, and arrays of them): 'iterations' ones with
 * fresh copies as instances, long-running ones as one instance for the whole run. 64-bit
 * values are refused with the reason: a torn or whole 64-bit access is not a message of one
 * location, and running them on the host's memory beside the weak CPU would be unsound.
 */
export function refuseScenarioOnWeak(s: { memory: MemorySpec }): string | undefined {
  for (const [name, decl] of Object.entries(s.memory)) {
    const type = typeof decl === 'string' ? decl : decl.type;
    if (WIDE_TYPES.includes(type))
      return `the weak backend emulates 32-bit words only (64-bit accesses would bypass its histories); ${name} is ${type}: run this scenario with --on hw`;
  }
  const { locations } = wordLocations(layoutMemory(s.memory, 1));
  if (locations > MAX_SCENARIO_LOCATIONS)
    return `the weak backend keeps a view over every location in every message (cells and time per access grow with the locations: ${historyGeometry(locations).stride.toLocaleString('en-US')} cells of histories here); this scenario declares ${locations} words, the limit is ${MAX_SCENARIO_LOCATIONS}: run it with --on hw`;
  return undefined;
}

export const WEAK_MEMORY: MemoryKind = {
  description:
    'emulated weak CPU: per-location write histories with views, seeded stale reads and store reordering (docs/weak.md)',
  create: weakOps,
  // 64-bit accesses are not part of a litmus test; the hw ones, for completeness
  create64: ops64,
  sideCells: (variables, size) => historyGeometry(variables).stride * size,
  threadOrders: (thread: Thread, seed: number) => threadOrders(withDependencyFences(thread), seed),

  refuse: refuseOnWeak,
  refuseScenario: refuseScenarioOnWeak,
};
