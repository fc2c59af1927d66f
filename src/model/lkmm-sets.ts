// The event classes of the Linux-kernel memory model, as linux-kernel.bell and lock.cat
// derive them from herd7's annotations: Acquire, Release, Mb, Noreturn with the
// annotations a failed rmw or a wrong-direction access does not earn filtered out; the lock
// events joining R, W, Acquire (LKR) and Release (UL); Marked and Plain; and the
// dependencies carried through plain accesses (carry-dep).

import { FENCE_ANNOTS, type FenceAnnot } from '../litmus/ir.ts';
import type { Base } from './base.ts';
import type { LockRole } from './events.ts';
import { memo } from './execution.ts';
import { lkRmw } from './lock.ts';
import {
  complement,
  domain,
  type EventSet,
  type Relation,
  range,
  seq,
  setDiff,
  setUnion,
  star,
  union,
} from './relation.ts';

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
  const carryDep = star(seq(sk.data, b.rfi));
  return {
    ...memo(sk, 'lkmm-sets', () => shapeSets(b)),
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
  const Once = b.access('once');
  const Marked = setUnion(
    complement(b.M),
    b.IW,
    Once,
    Release,
    Acquire,
    domain(sk.rmw),
    range(sk.rmw),
    lockEvents,
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
    fence,
    rmw: union(sk.rmw, lkRmw(sk)),
  };
}
