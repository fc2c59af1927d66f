// The weak memory object: seam's MemoryOps (src/memory/ops.ts) on a WeakCpu, registered as the
// memory kind `weak` (src/memory/kinds.ts). One line per primitive: its kernel meaning,
// then what the weak CPU does (cpu.ts has the views; docs/weak.md the reasons).
//
// Its histories are per instance, so it needs the runner's instance layout and side memory
// (MemoryConfig.instances): litmus instances, a scenario's fresh copies, or a long-running
// scenario's one memory (its locations: the declared words, InstanceLayout.locationOf).
// Spinlocks use the lock word alone (the weak CPU never touches the queued count at i + 1:
// whether a CPU is queued is not something LKMM lets a test observe).

import { UserError } from '../../errors.ts';
import type { Test } from '../../litmus/ir.ts';
import { threadsRefusal } from '../../litmus/threads-refusal.ts';
import { rcuWaits } from '../derived.ts';
import type { MemoryConfig, MemoryKind, MemoryOps, MemoryOps64 } from '../ops.ts';
import { gracePeriods } from '../rcu.ts';
import { compiledState, weakCompiled } from './compiled.ts';
import { WeakCpu } from './cpu.ts';
import {
  countCell,
  GEN_CELL,
  type HistoryGeometry,
  heldOf,
  historyGeometry,
  resetLocation,
  SLOT_VALUE,
  slotCell,
  startedCell,
  startedIn,
} from './history.ts';
import { threadOrders } from './reorder.ts';
import { type CellGeometry, wordMap } from './views.ts';

export function weakOps(cfg: MemoryConfig): MemoryOps {
  const cpu = weakCpu(cfg);
  const inst = cfg.instances!;
  const g = cpu.g;
  const h = new Int32Array(inst.side);
  // Batches this CPU drained. On threads the runner resets every instance of a batch once,
  // after each CPU's drain(), so the generation is the batch's: written, not read and bumped
  // (by reset time a batch's instances are far from the cache, and the read would wait for the
  // line). In process the driver resets one instance again and again, and bumps it.
  let drained = 0;
  const reset = resetter(inst, g, h, cfg.stepped ? undefined : () => drained + 1);
  const final = finalValue(inst, g, h, cfg.m);
  // the test's compiled code keeps its histories in the runner's cells (compiled.ts inCells)
  let inCells = false;
  // rmw(kind, order): reads a write and appends its result right after it, atomically (cpu.rmw)
  const rmw =
    (kind: 'xchg' | 'add', order: 'mb' | 'relaxed' | 'acquire' | 'release') =>
    (i: number, v: number) =>
      cpu.rmw(i, kind, order, v, 0);
  const cas =
    (order: 'mb' | 'relaxed' | 'acquire' | 'release') => (i: number, e: number, v: number) =>
      cpu.rmw(i, 'cmpxchg', order, e, v);
  const nothing = () => {};
  const mb = () => cpu.mb();
  // The waits of a grace period are real (rcu.ts, with the host's fence); what a grace period
  // orders is views (cpu.ts): the updater publishes before it looks at readers, a reader
  // joins after its word is visible, and publishes before its word goes back to 0.
  const gp = gracePeriods(cfg.m, cfg.cpu, cfg.cpus, () => {
    Atomics.add(cfg.m, cfg.fence, 0);
  });
  const polls = {
    rcu_read_lock_held: () => gp.nesting() > 0,
    start_poll_synchronize_rcu: () => {
      cpu.gpStart();
      return gp.start();
    },
    poll_state_synchronize_rcu: (cookie: number) => {
      if (!gp.poll(cookie)) return false;
      cpu.gpEnd();
      return true;
    },
    start_poll_synchronize_srcu: (i: number) => {
      cpu.srcuGpStart(i);
      return gp.srcuStart(i);
    },
    poll_state_synchronize_srcu: (i: number, cookie: number) => {
      if (!gp.srcuPoll(i, cookie)) return false;
      cpu.srcuGpEnd(i);
      return true;
    },
  };
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
    // the full fences beside an atomic or a lock: smp_mb() (the reorderings drop a lone one)
    smp_mb__before_atomic: mb,
    smp_mb__after_atomic: mb,
    smp_mb__after_spinlock: mb,
    smp_mb__after_unlock_lock: mb,
    smp_mb__after_srcu_read_unlock: mb,
    // rcu_read_lock(): this CPU's reader word (rcu.ts), then the grace periods' start view
    rcu_read_lock: () => {
      gp.readLock();
      if (gp.nesting() === 1) cpu.rcuEnter();
    },
    // rcu_read_unlock(): cur to the readers' view, then the reader word back to 0
    rcu_read_unlock: () => {
      if (gp.nesting() === 1) cpu.rcuExit();
      gp.readUnlock();
    },
    ...polls,
    ...rcuWaits(polls, cfg.relax),
    // rcu_dereference(): READ_ONCE() then smp_rmb(), for the address dependency (ops.ts)
    rcu_dereference: (i) => {
      const v = cpu.read(i, false);
      cpu.rmb();
      return v;
    },
    // srcu_read_lock(): count in the srcu_struct (rcu.ts), then read its word with its start view
    srcu_read_lock: (i) => {
      gp.srcuLock(i);
      return cpu.srcuEnter(i);
    },
    // srcu_read_unlock(): write the word, cur to its readers' view, then count out
    srcu_read_unlock: (i, v) => {
      cpu.srcuExit(i, v);
      gp.srcuUnlock(i);
    },
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
    // the runner's side: the cell holds the initial value, the history restarts from it; the
    // final value is the coherence-last write (which the calls also leave in the cell; the
    // accesses compiled for real threads do not: compiled.ts)
    // (in the cells form, compiled-cells.ts, the history is the cell, its count and the values
    // beside it: the count restarts at 0, and the cell holds the latest write)
    init: (i, v) => {
      // written, not compared first: a read would wait for the line, a store does not
      cfg.m[i] = v;
      if (inCells) cfg.m[i + 1] = 0;
      else reset(i);
    },
    final: (i) => (inCells ? cfg.m[i]! : final(i)),
    begin_instance: (i) => cpu.enterInstance(i),
    // the end of a batch: reads return the latest write until the next reset (cpu.drain)
    drain: () => {
      drained++;
      cpu.drain();
    },
    abandon: gp.abandon,
    compiled: compiledState(h, g, cpu.rnd, () => {
      inCells = true;
    }),
  };
}

/**
 * The runner's reset of cell i: its location's history restarts from the cell, in the
 * generation `gen()` gives (else the instance's next). Cells come instance after instance, so
 * the instance is found without a division most of the time.
 */
function resetter(
  c: CellGeometry,
  g: HistoryGeometry,
  h: Int32Array,
  gen?: () => number,
): (i: number) => void {
  const { locOf } = wordMap(c);
  const stride = c.instanceStride;
  const reset = resetLocation;
  let k = 0;
  return (i) => {
    const rel = i - c.dataBase;
    let w = rel - k * stride;
    if (w < 0 || w >= stride) {
      k = Math.floor(rel / stride);
      w = rel - k * stride;
    }
    const x = locOf[w] ?? -1;
    if (x >= 0) reset(h, g, k * g.stride, x, gen?.());
  };
}

/**
 * The runner's read of cell i after a batch: its location's coherence-last write when its
 * history was started since the instance's reset, else the cell (its initial value).
 */
function finalValue(
  c: CellGeometry,
  g: HistoryGeometry,
  h: Int32Array,
  m: Int32Array,
): (i: number) => number {
  const { locOf, firstWord } = wordMap(c);
  return (i) => {
    const rel = i - c.dataBase;
    const k = Math.floor(rel / c.instanceStride);
    const w = rel - k * c.instanceStride;
    const x = locOf[w] ?? -1;
    if (x < 0 || firstWord[x] !== w) return m[i]!;
    const b = k * g.stride;
    if (h[b + startedCell(g, x)] !== startedIn(h[b + GEN_CELL]!)) return m[i]!;
    return h[b + slotCell(g, x, heldOf(h[b + countCell(g, x)]!) - 1) + SLOT_VALUE]!;
  };
}

/** The WeakCpu of each memory object made here: its 64-bit accesses (create64) use it too. */
const CPUS = new WeakMap<MemoryConfig, WeakCpu>();

function weakCpu(cfg: MemoryConfig): WeakCpu {
  const inst = cfg.instances;
  if (!inst)
    throw new Error(
      'internal: the weak memory object needs an instance layout (litmus instances or scenario copies)',
    );
  let cpu = CPUS.get(cfg);
  if (!cpu) {
    cpu = new WeakCpu({
      m: cfg.m,
      h: new Int32Array(inst.side),
      cells: inst,
      cpu: cfg.cpu,
      seed: cfg.seed,
      relax: cfg.relax,
      dawdle: !cfg.stepped,
    });
    CPUS.set(cfg, cpu);
  }
  return cpu;
}

/**
 * 64-bit accesses on the weak CPU: a u64 is two locations (cells 2j, 2j + 1, low half first).
 * READ_ONCE/WRITE_ONCE and the atomic64 rmws take both halves in one step (single-copy atomic);
 * a plain access and DataView's are two 32-bit accesses whose halves can be seen apart.
 */
export function weakOps64(cfg: MemoryConfig, mem: MemoryOps): MemoryOps64 {
  const cpu = weakCpu(cfg);
  const lo = (v: bigint) => Number(BigInt.asIntN(32, v));
  const hi = (v: bigint) => Number(BigInt.asIntN(32, v >> 32n));
  const halves = (l: number, hv: number) => (BigInt(hv) << 32n) | BigInt(l >>> 0);
  const torn = {
    load: (j: number) => {
      const l = mem.load(2 * j);
      return halves(l, mem.load(2 * j + 1));
    },
    store: (j: number, v: bigint) => {
      mem.store(2 * j, lo(v));
      mem.store(2 * j + 1, hi(v));
    },
  };
  return {
    // plain u64 access: two 32-bit plain accesses (the compiler may tear it)
    load: torn.load,
    store: torn.store,
    // DataView's 64-bit access: two 32-bit plain accesses, as V8 may split it
    dataview_load: torn.load,
    dataview_store: torn.store,
    // READ_ONCE()/WRITE_ONCE() of a u64: both halves in one step
    READ_ONCE: (j) => cpu.pair(2 * j, () => undefined, false),
    WRITE_ONCE: (j, v) => {
      cpu.pair(2 * j, () => v, false);
    },
    // atomic64_xchg/cmpxchg/fetch_add: both halves in one step, smp_mb() around
    xchg: (j, v) => cpu.pair(2 * j, () => v, true),
    cmpxchg: (j, e, v) =>
      cpu.pair(2 * j, (old) => (old === BigInt.asIntN(64, e) ? v : undefined), true),
    atomic_fetch_add: (j, v) => cpu.pair(2 * j, (old) => BigInt.asIntN(64, old + v), true),
    // atomic64_add(): both halves in one step, no fence (relaxed, as the 32-bit atomic_add)
    atomic_add: (j, v) => {
      cpu.pair(2 * j, (old) => BigInt.asIntN(64, old + v), false);
    },
  };
}

/** A clear error for what the weak CPU does not implement: what no threads backend runs. */
export function refuseOnWeak(test: Test): UserError | undefined {
  const r = threadsRefusal('weak', test);
  return r ? new UserError(r.reason, test.file, r.pos) : undefined;
}

export const WEAK_MEMORY: MemoryKind = {
  description:
    'emulated weak CPU: per-location write histories with views, seeded stale reads and store reordering (docs/weak.md)',
  create: weakOps,
  create64: weakOps64,
  sideCells: (variables, size) => historyGeometry(variables).stride * size,
  threadOrders,
  compiledAccesses: weakCompiled,
  refuse: refuseOnWeak,
};
