// The event classes of the Linux-kernel memory model, as linux-kernel.bell and lock.cat
// derive them from herd7's annotations: Acquire, Release, Mb, Noreturn with the
// annotations a failed rmw or a wrong-direction access does not earn filtered out; the lock
// events joining R, W, Acquire (LKR) and Release (UL); the SRCU events; Marked and Plain; and
// the dependencies carried through plain accesses (carry-dep).

import { FENCE_ANNOTS, type FenceAnnot } from '../../litmus/ir.ts';
import type { Base } from '../core/base.ts';
import type { LockRole } from '../core/events.ts';
import { memo } from '../core/execution.ts';
import {
  complement,
  domain,
  type EventSet,
  Relation,
  range,
  seq,
  setDiff,
  setUnion,
  star,
  toid,
  union,
} from '../core/relation.ts';
import { lkRmw } from '../enumerate/lock.ts';

export interface LkmmSets {
  Acquire: EventSet;
  Release: EventSet;
  /** Events tagged mb: smp_mb() fences and the accesses of successful fully ordered rmws. */
  Mb: EventSet;
  Noreturn: EventSet;
  /** Events of rmw instructions, failed ones included (the RMW of the bell). */
  RMW: EventSet;
  Marked: EventSet;
  Plain: EventSet;
  LKR: EventSet;
  LKW: EventSet;
  UL: EventSet;
  /** srcu_read_lock()/srcu_down_read() reads, srcu_read_unlock()/srcu_up_read() writes. */
  SrcuLock: EventSet;
  SrcuUnlock: EventSet;
  /** synchronize_srcu() fences. */
  SyncSrcu: EventSet;
  /** herd7's loc with synchronize_srcu() in it: same srcu_struct for a fence, same location else. */
  srcuLoc: Relation;
  fence: Record<FenceAnnot, EventSet>;
  /** herd7's rmw pairs with lock.cat's lk-rmw added. */
  rmw: Relation;
  /** addr, data and ctrl extended by carry-dep = (data ; rfi)*. */
  addr: Relation;
  data: Relation;
  ctrl: Relation;
}

export function lkmmSets(b: Base): LkmmSets {
  const sk = b.x.sk;
  // carry-dep needs rfi; every other set and relation here is the shape's (memo: once per shape).
  const sets = memo(sk, 'lkmm-sets', () => shapeSets(b));
  const carryDep = star(seq(sk.data, toid(complement(sets.SrcuUnlock)), b.rfi));
  return {
    ...sets,
    addr: seq(carryDep, sk.addr),
    data: seq(carryDep, sk.data),
    ctrl: seq(carryDep, sk.ctrl),
  };
}

function shapeSets(b: Base): Omit<LkmmSets, 'addr' | 'data' | 'ctrl'> {
  const sk = b.x.sk;
  const lock = (role: LockRole) => b.where((e) => e.lock === role);
  const LKR = lock('LKR');
  const LKW = lock('LKW');
  const UL = lock('UL');
  const lockEvents = setUnion(LKR, LKW, UL, lock('LF'), lock('RL'), lock('RU'));
  const RMW = b.where((e) => e.rmw !== undefined);
  const FailedRMW = setDiff(RMW, setUnion(domain(sk.rmw), range(sk.rmw)));
  const Acquire = setUnion(setDiff(setDiff(b.access('acquire'), b.W), FailedRMW), LKR);
  const Release = setUnion(setDiff(setDiff(b.access('release'), b.R), FailedRMW), UL);
  const Mb = setDiff(setUnion(b.fence('mb'), b.access('mb')), FailedRMW);
  const Noreturn = setDiff(b.access('noreturn'), b.W);
  const SrcuLock = b.access('srcu-lock');
  const SrcuUnlock = b.access('srcu-unlock');
  // The bell marks by annotation before any filtering: a failed cmpxchg()'s read is in RMW
  // and keeps its ONCE/ACQUIRE/MB tag, so it is marked though it orders nothing.
  const Marked = setUnion(
    complement(b.M),
    b.IW,
    b.access('once'),
    b.access('release'),
    b.access('acquire'),
    b.access('mb'),
    RMW,
    lockEvents,
    SrcuLock,
    SrcuUnlock,
  );
  const Plain = setDiff(b.M, Marked);
  const fence = Object.fromEntries(FENCE_ANNOTS.map((f) => [f, b.fence(f)])) as Record<
    FenceAnnot,
    EventSet
  >;
  return {
    Acquire,
    Release,
    Mb,
    Noreturn,
    RMW,
    Marked,
    Plain,
    LKR,
    LKW,
    UL,
    SrcuLock,
    SrcuUnlock,
    SyncSrcu: b.fence('sync-srcu'),
    // Without synchronize_srcu(), herd7's loc is the memory events' one.
    srcuLoc: b.fence('sync-srcu').isEmpty() ? b.loc : srcuLoc(b),
    fence,
    rmw: union(sk.rmw, lkRmw(sk)),
  };
}

/** Pairs of events on one location, a synchronize_srcu() counting as on its srcu_struct. */
function srcuLoc(b: Base): Relation {
  const events = b.x.sk.events;
  const where = (e: (typeof events)[number]) => e.srcu ?? e.loc;
  const r = Relation.none(b.n);
  for (const a of events) {
    const la = where(a);
    if (la < 0) continue;
    for (const c of events) if (where(c) === la) r.add(a.id, c.id);
  }
  return r;
}
