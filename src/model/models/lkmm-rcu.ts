// RCU and SRCU in the LKMM: the rcu-rscs pairs of linux-kernel.bell (each rcu_read_lock() with
// the rcu_read_unlock() that closes it, innermost first) and srcu-rscs (each srcu_read_lock()
// with the srcu_read_unlock() its index flows to, by data dependency, through memory too, on
// the same srcu_struct), then linux-kernel.cat's rcu-link, rcu-order (any chain with at least
// as many grace periods as critical sections acts as a strong fence; SRCU's only when the
// grace period and the critical section name the same srcu_struct), rcu-fence and rb, whose
// irreflexivity is the `rcu` axiom. Also the bell's flags on them: unmatched-rcu-lock,
// unmatched-rcu-unlock, unmatched-srcu-lock, unmatched-srcu-unlock, multiple-srcu-matches,
// invalid-sleep and srcu-bad-value-match; and lock.cat's mixed-lock-accesses for an srcu_struct.
//
// Beyond the cat file, for program scenarios: grace periods nobody waits through (splitGps).

import type { Base } from '../core/base.ts';
import {
  diff,
  domain,
  empty,
  id,
  inter,
  inv,
  opt,
  Relation,
  range,
  seq,
  setDiff,
  star,
  toid,
  union,
} from '../core/relation.ts';
import type { LkmmSets } from './lkmm-sets.ts';

export interface RcuRelations {
  rcuFence: Relation;
  rb: Relation;
  /** The bell's flags raised by this execution. */
  flags: string[];
}

/** rcu-rscs: per thread, each rcu_read_lock() matched with its rcu_read_unlock(), as nested. */
export function rcuRscs(b: Base, s: LkmmSets): Relation {
  const r = Relation.none(b.n);
  const open = new Map<number, number[]>();
  for (const e of b.x.sk.events) {
    if (s.fence['rcu-lock'].has(e.id)) {
      const stack = open.get(e.thread) ?? [];
      stack.push(e.id);
      open.set(e.thread, stack);
    } else if (s.fence['rcu-unlock'].has(e.id)) {
      const lock = open.get(e.thread)?.pop();
      if (lock !== undefined) r.add(lock, e.id);
    }
  }
  return r;
}

/**
 * The grace periods nobody waits through, as the explorer records them (src/memory/explore-rcu.ts):
 * a 'start' event (call_rcu(), start_poll_synchronize_rcu()) and an event where it is known to
 * have ended (the callback runs, a poll says so) naming its start. Each pair is one rcu-gp step
 * (srcu-gp with `srcu`) from start to end, where synchronize_rcu()'s is [Sync-rcu] at one
 * event: what the thread did in between is on neither side of this grace period (the kernel's
 * falls anywhere in there), and the pair is no strong fence (gp). So it orders less than any
 * grace period the kernel runs, and a `never` stays one.
 */
export function splitGps(b: Base): { rcu: Relation; srcu: Relation } {
  const rcu = Relation.none(b.n);
  const srcu = Relation.none(b.n);
  const starts = new Map<string, number>();
  for (const e of b.x.sk.events) {
    if (e.gp === 'start') starts.set(`${e.thread}:${e.poIndex}`, e.id);
    else if (typeof e.gp === 'number') {
      const start = starts.get(`${e.thread}:${e.gp}`);
      if (start !== undefined) (e.srcu === undefined ? rcu : srcu).add(start, e.id);
    }
  }
  return { rcu, srcu };
}

/**
 * srcu-rscs = ([Srcu-lock] ; carry-srcu-data ; data ; [Srcu-unlock]) & loc, where
 * carry-srcu-data = (data ; [~Srcu-unlock] ; rf)*: the index a lock read returns reaches the
 * unlock that writes it back, through registers and memory.
 */
export function srcuRscs(b: Base, s: LkmmSets): Relation {
  const data = b.x.sk.data;
  const carrySrcuData = star(seq(data, toid(setDiff(b.M, s.SrcuUnlock)), b.rf));
  // ~Srcu-unlock is every event but those; data only reaches memory events, so M suffices.
  return inter(seq(toid(s.SrcuLock), carrySrcuData, data, toid(s.SrcuUnlock)), b.loc);
}

export function rcuRelations(
  b: Base,
  s: LkmmSets,
  r: { hb: Relation; pb: Relation; prop: Relation },
): RcuRelations {
  const { po } = b;
  const rcu = rcuRscs(b, s);
  const srcu = s.SrcuLock.isEmpty() ? Relation.none(b.n) : srcuRscs(b, s);
  const flags = rscsFlags(b, s, rcu, srcu);
  const rcuGpSet = s.fence['sync-rcu'];
  const split = splitGps(b);
  if (rcuGpSet.isEmpty() && s.SyncSrcu.isEmpty() && empty(split.rcu) && empty(split.srcu)) {
    // No grace period: rcu-order, rcu-fence and rb are empty.
    return { rcuFence: Relation.none(b.n), rb: Relation.none(b.n), flags };
  }
  const rcuGp = union(toid(rcuGpSet), split.rcu);
  const srcuGp = union(toid(s.SyncSrcu), split.srcu);
  const rcuRscsi = inv(rcu);
  const srcuRscsi = inv(srcu);
  const loc = s.srcuLoc;
  const rcuLink = seq(opt(po), star(r.hb), star(r.pb), r.prop, po);
  // rcu-order, the least fixpoint of its recursive definition.
  let rcuOrder = union(rcuGp, srcuGp);
  for (;;) {
    const next = union(
      rcuGp,
      srcuGp,
      seq(rcuGp, rcuLink, rcuRscsi),
      inter(seq(srcuGp, rcuLink, srcuRscsi), loc),
      seq(rcuRscsi, rcuLink, rcuGp),
      inter(seq(srcuRscsi, rcuLink, srcuGp), loc),
      seq(rcuGp, rcuLink, rcuOrder, rcuLink, rcuRscsi),
      inter(seq(srcuGp, rcuLink, rcuOrder, rcuLink, srcuRscsi), loc),
      seq(rcuRscsi, rcuLink, rcuOrder, rcuLink, rcuGp),
      inter(seq(srcuRscsi, rcuLink, rcuOrder, rcuLink, srcuGp), loc),
      seq(rcuOrder, rcuLink, rcuOrder),
    );
    if (sameRelation(next, rcuOrder)) break;
    rcuOrder = next;
  }
  const rcuFence = seq(po, rcuOrder, opt(po));
  const rb = seq(r.prop, rcuFence, star(r.hb), star(r.pb), toid(s.Marked));
  return { rcuFence, rb, flags };
}

/** The bell's checks on read-side critical sections, as herd7 names its flags. */
function rscsFlags(b: Base, s: LkmmSets, rcu: Relation, srcu: Relation): string[] {
  const flags: string[] = [];
  const raise = (bad: boolean, name: string) => bad && flags.push(name);
  raise(!setDiff(s.fence['rcu-lock'], domain(rcu)).isEmpty(), 'unmatched-rcu-lock');
  raise(!setDiff(s.fence['rcu-unlock'], range(rcu)).isEmpty(), 'unmatched-rcu-unlock');
  if (s.SrcuLock.isEmpty() && s.SrcuUnlock.isEmpty() && s.SyncSrcu.isEmpty()) return flags;
  raise(!setDiff(s.SrcuLock, domain(srcu)).isEmpty(), 'unmatched-srcu-lock');
  raise(!setDiff(s.SrcuUnlock, range(srcu)).isEmpty(), 'unmatched-srcu-unlock');
  raise(!empty(diff(seq(inv(srcu), srcu), id(b.n))), 'multiple-srcu-matches');
  const po = b.po;
  raise(!empty(inter(rcu, seq(po, toid(s.SyncSrcu), po))), 'invalid-sleep');
  const events = b.x.sk.events;
  const badValue = [...srcu.pairs()].some(([l, u]) => events[l]!.value !== events[u]!.value);
  raise(badValue, 'srcu-bad-value-match');
  raise(mixedSrcuAccess(b, s), 'mixed-lock-accesses');
  return flags;
}

/** lock.cat's mixed-lock-accesses for an srcu_struct: another access to its location. */
function mixedSrcuAccess(b: Base, s: LkmmSets): boolean {
  const srcuEvents = union(toid(s.SrcuLock), toid(s.SrcuUnlock), toid(s.SyncSrcu));
  const other = toid(setDiff(setDiff(setDiff(b.M, b.IW), s.SrcuLock), s.SrcuUnlock));
  return !empty(seq(other, s.srcuLoc, srcuEvents));
}

function sameRelation(a: Relation, b: Relation): boolean {
  return a.rows.every((w, k) => w === b.rows[k]);
}
