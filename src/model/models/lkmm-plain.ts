// Plain accesses in the LKMM (the last part of linux-kernel.cat): when a plain access is
// bounded by marked ones (pre- and post-bounded), visibility (vis) and executes-before
// (xbstar) extend to it; plain-coherence requires those orders to agree with rf, fr and co;
// two accesses that may race (pre-race) and are not so ordered raise herd7's data-race flag.
// mixed-accesses flags plain writes next to marked accesses of the same location.

import type { Base } from '../core/base.ts';
import {
  complement,
  cross,
  diff,
  empty,
  fencerel,
  inter,
  inv,
  opt,
  Relation,
  restrict,
  seq,
  setDiff,
  setInter,
  setUnion,
  star,
  toid,
  union,
} from '../core/relation.ts';
import type { LkmmSets } from './lkmm-sets.ts';

export interface PlainInput {
  hb: Relation;
  pb: Relation;
  rb: Relation;
  cumulFence: Relation;
  rmwSequence: Relation;
  nonrwFence: Relation;
  /** fence and strong-fence with rcu-fence added, as the cat redefines them before this part. */
  fence: Relation;
  strongFence: Relation;
}

export interface PlainResult {
  /** wr-incoh | rw-incoh | ww-incoh */
  incoherence: Relation;
  flags: string[];
}

export function plainAccesses(b: Base, s: LkmmSets, r: PlainInput): PlainResult {
  const { rf, co, fr, ext, M, W, IW } = b;
  const flags: string[] = [];
  if (s.Plain.isEmpty()) return { incoherence: Relation.none(b.n), flags };
  if (mixedAccesses(b, s)) flags.push('mixed-accesses');
  const { wwVis, wrVis, rwXbstar } = plainOrders(b, s, r);

  // Potential races.
  const preRace = inter(ext, union(cross(s.Plain, M), cross(setDiff(M, IW), s.Plain)));

  // Coherence requirements for plain accesses.
  const wrIncoh = inter(inter(preRace, rf), inv(rwXbstar));
  const rwIncoh = inter(inter(preRace, fr), inv(wrVis));
  const wwIncoh = inter(inter(preRace, co), inv(wwVis));

  // Actual races.
  const wwNonrace = inter(
    inter(wwVis, union(cross(s.Marked, W), rwXbstar)),
    union(cross(W, s.Marked), wrVis),
  );
  const wwRace = diff(inter(preRace, co), wwNonrace);
  const wrRace = diff(diff(inter(preRace, seq(opt(co), rf)), wrVis), inv(rwXbstar));
  const rwRace = diff(inter(preRace, fr), rwXbstar);
  if (!empty(union(wwRace, wrRace, rwRace))) flags.push('data-race');
  return { incoherence: union(wrIncoh, rwIncoh, wwIncoh), flags };
}

/** mixed-accesses: a plain write and a marked access of one location, no barrier between. */
function mixedAccesses(b: Base, s: LkmmSets): boolean {
  const { po, W } = b;
  const barrierEvents = setUnion(
    s.fence.barrier,
    s.fence.rmb,
    s.fence.wmb,
    s.Mb,
    s.fence['sync-rcu'],
    s.fence['before-atomic'],
    s.fence['after-atomic'],
    s.Acquire,
    s.Release,
    s.fence['rcu-lock'],
    s.fence['rcu-unlock'],
    s.SyncSrcu,
    s.SrcuLock,
    s.SrcuUnlock,
  );
  const barrier = union(
    fencerel(po, barrierEvents),
    seq(po, toid(s.Release)),
    seq(toid(s.Acquire), po),
  );
  const plainW = setInter(s.Plain, W);
  const regionPoLoc = diff(b.poLoc, barrier);
  return !empty(
    union(restrict(regionPoLoc, plainW, s.Marked), restrict(regionPoLoc, s.Marked, plainW)),
  );
}

/** Visibility and executes-before, extended to plain accesses by their bounds. */
function plainOrders(b: Base, s: LkmmSets, r: PlainInput) {
  const { po, rfe, int, R } = b;
  const mark = toid(s.Marked);
  // Executes-before and visibility.
  const xbstar = star(union(r.hb, r.pb, r.rb));
  const vis = seq(
    star(r.cumulFence),
    opt(rfe),
    mark,
    union(seq(r.strongFence, mark, xbstar), inter(xbstar, int)),
  );
  // Boundaries for lifetimes of plain accesses.
  const R4rmb = setDiff(R, s.Noreturn);
  const notNoreturn = complement(s.Noreturn);
  const wPreBounded = seq(mark, opt(union(s.addr, r.fence)));
  const rPreBounded = seq(
    mark,
    opt(union(s.addr, r.nonrwFence, restrict(fencerel(po, s.fence.rmb), R4rmb, notNoreturn))),
  );
  const wPostBounded = seq(opt(r.fence), mark, r.rmwSequence);
  const rPostBounded = seq(
    opt(union(r.nonrwFence, restrict(fencerel(po, s.fence.rmb), notNoreturn, R4rmb))),
    mark,
  );
  // Visibility and executes-before for plain accesses. The `fence` terms matter through
  // rcu-fence, which crosses threads; `strong-fence ; xbstar` lets a plain access before a
  // strong fence reach a chain of any length, where vis stops after one rfe.
  const strongXbstar = seq(r.strongFence, xbstar);
  return {
    wwVis: union(r.fence, seq(strongXbstar, wPreBounded), seq(wPostBounded, vis, wPreBounded)),
    wrVis: union(r.fence, seq(strongXbstar, rPreBounded), seq(wPostBounded, vis, rPreBounded)),
    rwXbstar: union(r.fence, seq(rPostBounded, xbstar, wPreBounded)),
  };
}
