// RCU in the LKMM: the rcu-rscs pairs of linux-kernel.bell (each rcu_read_lock() with the
// rcu_read_unlock() that closes it, innermost first), and linux-kernel.cat's rcu-link,
// rcu-order (any chain with at least as many grace periods as critical sections acts as a
// strong fence), rcu-fence and rb, whose irreflexivity is the `rcu` axiom.

import type { Base } from './base.ts';
import type { LkmmSets } from './lkmm-sets.ts';
import { inv, opt, Relation, seq, star, toid, union } from './relation.ts';

export interface RcuRelations {
  rcuFence: Relation;
  rb: Relation;
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

export function rcuRelations(
  b: Base,
  s: LkmmSets,
  r: { hb: Relation; pb: Relation; prop: Relation },
): RcuRelations {
  const { po } = b;
  const rcuGpSet = s.fence['sync-rcu'];
  if (rcuGpSet.isEmpty()) {
    // No grace period: rcu-order, rcu-fence and rb are empty.
    return { rcuFence: Relation.none(b.n), rb: Relation.none(b.n) };
  }
  const rcuGp = toid(rcuGpSet);
  const rcuRscsi = inv(rcuRscs(b, s));
  const rcuLink = seq(opt(po), star(r.hb), star(r.pb), r.prop, po);
  // rcu-order, the least fixpoint of its recursive definition. The terms' constant ends are
  // composed once, outside the iteration: gp ; link, rscs^-1 ; link, link ; rscs^-1, link ; gp.
  const gpLink = seq(rcuGp, rcuLink);
  const rscsLink = seq(rcuRscsi, rcuLink);
  const linkRscs = seq(rcuLink, rcuRscsi);
  const linkGp = seq(rcuLink, rcuGp);
  const base = union(rcuGp, seq(gpLink, rcuRscsi), seq(rscsLink, rcuGp));
  let rcuOrder = rcuGp;
  for (;;) {
    const next = union(
      base,
      seq(gpLink, rcuOrder, linkRscs),
      seq(rscsLink, rcuOrder, linkGp),
      seq(rcuOrder, rcuLink, rcuOrder),
    );
    if (sameRelation(next, rcuOrder)) break;
    rcuOrder = next;
  }
  const rcuFence = seq(po, rcuOrder, opt(po));
  const rb = seq(r.prop, rcuFence, star(r.hb), star(r.pb), toid(s.Marked));
  return { rcuFence, rb };
}

function sameRelation(a: Relation, b: Relation): boolean {
  return a.rows.every((w, k) => w === b.rows[k]);
}
