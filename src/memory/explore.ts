// The exploring memory: one more memory object (src/kernel/ops.ts's MemoryOps), for the
// scenario explorer (src/explore/). It keeps no memory at all: each primitive becomes the
// events the model knows (src/model/events.ts, as src/model/atomic.ts makes them for the IR:
// an rmw a read and a write linked by rmw, a failed cmpxchg a lone READ_ONCE, spin_lock an
// LKR and an LKW, spin_unlock a UL...) handed to a Tracer, and every value a read returns is
// the Tracer's choice. Run a thread's code on it under every sequence of choices and you have
// every trace of that thread; the explorer combines traces into executions and asks the
// model's axioms which are allowed.
//
// Compiled litmus code and the kernel API run on it unchanged. It is not in the worker
// registry (src/runtime/memory-kinds.ts): its Tracer lives in the explorer's thread, so the
// code runs in-process, one thread after the other. This module does not choose values,
// bound loops or combine traces: the explorer does.

import type { AccessAnnot, FenceAnnot, Value } from '../litmus/ir.ts';
import { exploringRcu } from './explore-rcu.ts';
import type { MemoryOps, MemoryOps64 } from './ops.ts';
import type { LockRole, Tracer, Weakening } from './tracer.ts';

export type { TracedEvent, Tracer, Weakening } from './tracer.ts';

type RmwFlavour = 'mb' | 'once' | 'acquire' | 'release' | 'noreturn';

/** Each exploring memory object's hook making its CPU's 64-bit accesses callback points too. */
const CALLBACK_POINTS = new WeakMap<MemoryOps, (ops64: MemoryOps64) => void>();

const ORDERED: ReadonlySet<string> = new Set(['acquire', 'release', 'mb']);

/** An access's annotation, or ONCE where --ablate's `w` takes its ordering away. */
function keptAnnot<A extends AccessAnnot>(
  w: Weakening | undefined,
  annot: A,
  op: string,
  loc: number,
): A | 'once' {
  return w && ORDERED.has(annot) && w.weakens(op, 'order', loc) ? 'once' : annot;
}

/**
 * An rmw's events at `loc`, 32- or 64-bit: the read of `old` and the write of `written`, paired
 * (`arithmetic`: the write is computed from the read, a data dependency: Tracer.pair); or, when
 * `written` is undefined (a conditional rmw that fails), the lone read, which orders nothing
 * and counts as a READ_ONCE(), as herd7 tags it.
 */
function tracedRmw(
  t: Tracer,
  w: Weakening | undefined,
  at: { loc: number; old: Value; written: Value | undefined },
  flavour: RmwFlavour,
  op: string,
  arithmetic: boolean,
): void {
  const { loc, old, written } = at;
  if (written === undefined) {
    t.emit({ dir: 'R', loc, value: old, annot: 'once', rmw: 'failed', op });
    return;
  }
  const annot = keptAnnot(w, flavour, op, loc);
  const r = t.emit({ dir: 'R', loc, value: old, annot, rmw: 'pair', op });
  const wr = t.emit({ dir: 'W', loc, value: written, annot, rmw: 'pair', op });
  t.pair(r, wr, arithmetic);
}

/**
 * The exploring memory object over `t`; `w` weakens what --ablate removes; `cpu`: the thread's
 * number (what its grace-period cookies carry: explore-rcu.ts).
 */
export function exploringOps(t: Tracer, w?: Weakening, cpu = 0): MemoryOps {
  const kept = <A extends AccessAnnot>(annot: A, op: string, loc: number) =>
    keptAnnot(w, annot, op, loc);
  const read = (i: number, annot: AccessAnnot, op: string): Value => {
    const loc = t.loc(i);
    const value = t.value(loc);
    t.emit({ dir: 'R', loc, value, annot: kept(annot, op, loc), op });
    return value;
  };
  const write = (i: number, v: Value, annot: AccessAnnot, op: string): void => {
    const loc = t.loc(i);
    t.emit({ dir: 'W', loc, value: v | 0, annot: kept(annot, op, loc), op });
  };
  const fence = (annot: FenceAnnot, op: string) => () => {
    if (w?.weakens(op, 'order', -1)) return;
    t.emit({ dir: 'F', loc: -1, value: 0, annot, op });
  };
  // An rmw: read the old value; `next` says what it writes (undefined: it fails, tracedRmw)
  const rmw = (
    i: number,
    flavour: RmwFlavour,
    op: string,
    arithmetic: boolean,
    next: (old: Value) => Value | undefined,
  ): Value => {
    const loc = t.loc(i);
    const old = t.value(loc);
    const v = next(old);
    tracedRmw(t, w, { loc, old, written: v === undefined ? v : v | 0 }, flavour, op, arithmetic);
    return old;
  };
  const xchg = (flavour: RmwFlavour, op: string) => (i: number, v: number) =>
    rmw(i, flavour, op, false, () => v);
  // (the expected value compared as the int32 the cell holds, as Atomics.compareExchange and C
  // convert it: 0x80000000 is -2147483648)
  const cmpxchg = (flavour: RmwFlavour, op: string) => (i: number, e: number, v: number) =>
    rmw(i, flavour, op, false, (old) => (old === (e | 0) ? v : undefined));
  const add = (flavour: RmwFlavour, op: string) => (i: number, v: number) =>
    rmw(i, flavour, op, true, (old) => (old + v) | 0);
  const lock = (i: number, role: LockRole, op: string): void => {
    const dir = role === 'LKW' || role === 'UL' ? 'W' : 'R';
    t.emit({ dir, loc: t.loc(i), value: 0, annot: 'once', lock: role, op });
  };
  const lockRemoved = (i: number, op: string, what: 'lock' | 'unlock') =>
    w?.weakens(op, what, t.loc(i)) ?? false;
  // RCU: read-side sections are the rcu-lock/unlock fences; grace periods, waits and
  // callbacks: explore-rcu.ts
  let nesting = 0;
  const rcu = exploringRcu(t, () => nesting > 0, w, cpu);
  const ops: MemoryOps = {
    // plain / ONCE / acquire-release accesses: one R or W event of that annotation
    load: (i) => read(i, 'plain', 'plain load'),
    store: (i, v) => write(i, v, 'plain', 'plain store'),
    READ_ONCE: (i) => read(i, 'once', 'READ_ONCE'),
    // rcu_dereference(): LKMM's READ_ONCE(); the address dependency is not seen (ops.ts)
    rcu_dereference: (i) => read(i, 'once', 'rcu_dereference'),
    WRITE_ONCE: (i, v) => write(i, v, 'once', 'WRITE_ONCE'),
    smp_load_acquire: (i) => read(i, 'acquire', 'smp_load_acquire'),
    smp_store_release: (i, v) => write(i, v, 'release', 'smp_store_release'),
    // fences: one F event of the fence's annotation
    barrier: fence('barrier', 'barrier'),
    smp_rmb: fence('rmb', 'smp_rmb'),
    smp_wmb: fence('wmb', 'smp_wmb'),
    smp_mb: fence('mb', 'smp_mb'),
    smp_mb__before_atomic: fence('before-atomic', 'smp_mb__before_atomic'),
    smp_mb__after_atomic: fence('after-atomic', 'smp_mb__after_atomic'),
    smp_mb__after_spinlock: fence('after-spinlock', 'smp_mb__after_spinlock'),
    smp_mb__after_unlock_lock: fence('after-unlock-lock', 'smp_mb__after_unlock_lock'),
    rcu_read_lock: () => {
      nesting++;
      fence('rcu-lock', 'rcu_read_lock')();
    },
    rcu_read_unlock: () => {
      nesting = Math.max(0, nesting - 1);
      fence('rcu-unlock', 'rcu_read_unlock')();
    },
    rcu_read_lock_held: () => nesting > 0,
    ...rcu.ops,
    // srcu_read_lock(): a read of the srcu_struct, srcu_read_unlock() a write of the index to it
    // (the model pairs them through that value's data dependency, which a JS value does not
    // carry here: unpaired, they order nothing, and a verdict errs to reachable)
    srcu_read_lock: (i) => read(i, 'srcu-lock', 'srcu_read_lock'),
    srcu_read_unlock: (i, v) => write(i, v, 'srcu-unlock', 'srcu_read_unlock'),
    smp_mb__after_srcu_read_unlock: fence(
      'after-srcu-read-unlock',
      'smp_mb__after_srcu_read_unlock',
    ),
    // rmw: R and W linked by rmw, annotated by flavour (_relaxed: once)
    xchg: xchg('mb', 'xchg'),
    xchg_relaxed: xchg('once', 'xchg_relaxed'),
    xchg_acquire: xchg('acquire', 'xchg_acquire'),
    xchg_release: xchg('release', 'xchg_release'),
    cmpxchg: cmpxchg('mb', 'cmpxchg'),
    cmpxchg_relaxed: cmpxchg('once', 'cmpxchg_relaxed'),
    cmpxchg_acquire: cmpxchg('acquire', 'cmpxchg_acquire'),
    cmpxchg_release: cmpxchg('release', 'cmpxchg_release'),
    atomic_fetch_add: add('mb', 'atomic_fetch_add'),
    atomic_fetch_add_relaxed: add('once', 'atomic_fetch_add_relaxed'),
    atomic_fetch_add_acquire: add('acquire', 'atomic_fetch_add_acquire'),
    atomic_fetch_add_release: add('release', 'atomic_fetch_add_release'),
    // atomic_add(): an rmw annotated noreturn, as herd7 tags it (smp_rmb does not order its read)
    atomic_add: (i, v) => {
      add('noreturn', 'atomic_add')(i, v);
    },
    // atomic_add_unless(): one fully ordered rmw that fails when the value is u (herd7's
    // single event, not the kernel's READ_ONCE + cmpxchg loop: the same outcomes, no retries)
    atomic_add_unless: (i, a, u) => {
      let added = 0;
      rmw(i, 'mb', 'atomic_add_unless', true, (old) => {
        if (old === (u | 0)) return undefined;
        added = 1;
        return (old + a) | 0;
      });
      return added;
    },
    // spin_lock(): the lock.cat events LKR then LKW, once the explorer lets this thread take
    // the lock (Tracer.lock: while another holds it, it waits); the model's lock.ts still
    // chooses whom each LKR follows
    // (--ablate: a removed lock takes nothing, and its spin_unlock() releases nothing)
    spin_lock: (i) => {
      if (lockRemoved(i, 'spin_lock', 'lock')) return;
      t.lock(t.loc(i));
      lock(i, 'LKR', 'spin_lock');
      lock(i, 'LKW', 'spin_lock');
    },
    // spin_unlock(): UL
    spin_unlock: (i) => {
      if (!lockRemoved(i, 'spin_unlock', 'unlock')) lock(i, 'UL', 'spin_unlock');
    },
    // spin_trylock(): an explored choice: LKR+LKW (true) or LF (false), as herd7 enumerates it;
    // a success takes the lock as spin_lock() does, when the explorer lets it (Tracer.lock)
    // (removed by --ablate: it succeeds at once)
    spin_trylock: (i) => {
      if (lockRemoved(i, 'spin_trylock', 'lock')) return true;
      const ok = t.choose(2, 'spin_trylock') === 0;
      if (ok) {
        t.lock(t.loc(i), true);
        lock(i, 'LKR', 'spin_trylock');
        lock(i, 'LKW', 'spin_trylock');
      } else lock(i, 'LF', 'spin_trylock');
      return ok;
    },
    // spin_is_locked(): a read of the lock, RL (held, true: it reads an LKW) or RU (free,
    // false: a UL or the initial write), the source the explorer's (Tracer.held)
    spin_is_locked: (i) => {
      const loc = t.loc(i);
      const held = t.held(loc);
      lock(i, held ? 'RL' : 'RU', 'spin_is_locked');
      return held;
    },
    // spin_is_contended(): "someone is queued" has no event in lock.cat; a hint stale at once,
    // so both answers are explored (more executions, never fewer: verdicts err to reachable)
    spin_is_contended: () => t.choose(2, 'spin_is_contended') === 0,
    // the runner's side: the explorer lays out no memory, so these are not used
    init: () => {},
    final: () => {
      throw new Error('internal: the exploring memory has no final values (the explorer does)');
    },
    // drain(): the end of a thread's run: every call_rcu() callback still queued runs (explore-rcu.ts)
    drain: () => rcu.drain(),
    // a new run of the thread (the last one may have stopped anywhere)
    begin_instance: () => {
      nesting = 0;
      rcu.reset();
    },
    abandon: () => {
      nesting = 0;
    },
  };
  CALLBACK_POINTS.set(ops, rcu.attach);
  return ops;
}

/**
 * The 64-bit accesses: a u64 accessed as a whole is one location whose values are ids of
 * bigints (Tracer.wide). A DataView access is V8's split into two 32-bit plain accesses, low
 * half first, as it may do on shared memory.
 */
export function exploringOps64(t: Tracer, ops: MemoryOps, w?: Weakening): MemoryOps64 {
  const read = (j: number, annot: AccessAnnot, op: string): bigint => {
    const loc = t.loc64(j);
    const value = t.value(loc);
    t.emit({ dir: 'R', loc, value, annot, op });
    return t.unwide(value);
  };
  // (values as the int64 the cell holds, as a BigInt64Array stores them: 1n << 63n is -(1n << 63n))
  const write = (j: number, v: bigint, annot: AccessAnnot, op: string): void => {
    t.emit({ dir: 'W', loc: t.loc64(j), value: t.wide(BigInt.asIntN(64, v)), annot, op });
  };
  // An rmw as exploringOps's, on the 64-bit location (annotated as its 32-bit twin is)
  const rmw = (
    j: number,
    flavour: RmwFlavour,
    op: string,
    arithmetic: boolean,
    next: (old: bigint) => bigint | undefined,
  ): bigint => {
    const loc = t.loc64(j);
    const oldId = t.value(loc);
    const old = t.unwide(oldId);
    const v = next(old);
    const written = v === undefined ? v : t.wide(BigInt.asIntN(64, v));
    tracedRmw(t, w, { loc, old: oldId, written }, flavour, op, arithmetic);
    return old;
  };
  const add = (old: bigint, v: bigint) => BigInt.asIntN(64, old + v);
  const ops64: MemoryOps64 = {
    load: (j) => read(j, 'plain', 'u64 plain load'),
    store: (j, v) => write(j, v, 'plain', 'u64 plain store'),
    // DataView: two 32-bit plain accesses, low half first (what V8 may emit)
    dataview_load: (j) => {
      const lo = BigInt(ops.load(2 * j) >>> 0);
      const hi = BigInt.asIntN(32, BigInt(ops.load(2 * j + 1)));
      return BigInt.asIntN(64, (hi << 32n) | lo);
    },
    dataview_store: (j, v) => {
      ops.store(2 * j, Number(BigInt.asIntN(32, v)));
      ops.store(2 * j + 1, Number(BigInt.asIntN(32, v >> 32n)));
    },
    READ_ONCE: (j) => read(j, 'once', 'u64 READ_ONCE'),
    WRITE_ONCE: (j, v) => write(j, v, 'once', 'u64 WRITE_ONCE'),
    // atomic64_xchg/cmpxchg/fetch_add (and _return): fully ordered, as xchg/cmpxchg/atomic_fetch_add
    xchg: (j, v) => rmw(j, 'mb', 'atomic64_xchg', false, () => v),
    cmpxchg: (j, e, v) =>
      rmw(j, 'mb', 'atomic64_cmpxchg', false, (old) =>
        old === BigInt.asIntN(64, e) ? v : undefined,
      ),
    atomic_fetch_add: (j, v) => rmw(j, 'mb', 'atomic64_fetch_add', true, (old) => add(old, v)),
    // atomic64_add/inc: noreturn, as atomic_add (smp_rmb does not order its read)
    atomic_add: (j, v) => {
      rmw(j, 'noreturn', 'atomic64_add', true, (old) => add(old, v));
    },
  };
  // a call_rcu() callback may run before any of them, as before a 32-bit access
  CALLBACK_POINTS.get(ops)?.(ops64);
  return ops64;
}
