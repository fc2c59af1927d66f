// The Linux-kernel memory model (LKMM): tools/memory-model/linux-kernel.cat of the kernel,
// with linux-kernel.bell (lkmm-sets.ts) and lock.cat (lock.ts), restated in our algebra in
// the published order and with the published names, so that the two read side by side.
//
//   coherence        po-loc and communication agree: one order of writes per location
//   atomic           nothing slips between the read and the write of an rmw
//   happens-before   hb (preserved program order, external reads-from, prop within a CPU) is acyclic
//   propagation      pb: a write and a strong fence propagate in order — acyclic
//   rcu              rb: a grace period outlasts every critical section it overlaps — irreflexive
//   plain-coherence  plain accesses respect coherence where they are bounded by marked ones
// and the data-race flag for plain accesses that race (lkmm-plain.ts).
//
// SRCU is not supported (the parser refuses it), so its relations are empty here.

import { type Axiom, base, type Model, type ModelResult } from './base.ts';
import type { Execution } from './execution.ts';
import { plainAccesses } from './lkmm-plain.ts';
import { rcuRelations } from './lkmm-rcu.ts';
import { type LkmmSets, lkmmSets } from './lkmm-sets.ts';
import {
  acyclic,
  diff,
  empty,
  fencerel,
  id,
  inter,
  irreflexive,
  opt,
  type Relation,
  restrict,
  seq,
  setDiff,
  setInter,
  star,
  toid,
  union,
} from './relation.ts';

export const LKMM_AXIOMS = {
  coherence: { name: 'coherence', check: 'acyclic' },
  atomic: { name: 'atomic', check: 'empty' },
  hb: { name: 'happens-before', check: 'acyclic' },
  pb: { name: 'propagation', check: 'acyclic' },
  rcu: { name: 'rcu', check: 'irreflexive' },
  plain: { name: 'plain-coherence', check: 'empty' },
} as const satisfies Record<string, Axiom>;

export const lkmm: Model = {
  name: 'lkmm',
  axioms: Object.values(LKMM_AXIOMS),
  run(x: Execution, keep = false): ModelResult {
    return evaluate(x, keep, false);
  },
};

/**
 * LKMM's relations up to rb for an execution, every axiom before `rcu` left unchecked: how sc and tso take
 * the RCU guarantee (a grace period outlasts the critical sections it overlaps), which is
 * the API's, not the hardware's. Undefined when the test has no synchronize_rcu().
 */
export function lkmmRcu(x: Execution): Map<string, Relation> | undefined {
  if (!x.sk.events.some((e) => e.dir === 'F' && e.annot === 'sync-rcu')) return undefined;
  return evaluate(x, true, true).named;
}

function evaluate(x: Execution, keep: boolean, rbOnly: boolean): ModelResult {
  const named = new Map<string, Relation>();
  const let_ = (name: string, r: Relation): Relation => {
    if (keep) named.set(name, r);
    return r;
  };
  const fail = (axiom: Axiom, rel: Relation): ModelResult => ({
    failed: { axiom, rel },
    flags: [],
    ...(keep && { named }),
  });
  const b = base(x);
  const s = lkmmSets(b);
  const { po, rf, co, fr, rfe, rfi, int, ext, M, R, W } = b;
  const mark = toid(s.Marked);

  // Basic relations: release/acquire, the unlock-lock pair, fences.
  const acqPo = let_('acq-po', restrict(po, s.Acquire, M));
  const poRel = let_('po-rel', restrict(po, M, s.Release));
  const poUnlockLockPo = let_(
    'po-unlock-lock-po',
    seq(po, toid(s.UL), union(po, rf), toid(s.LKR), po),
  );
  const R4rmb = setDiff(R, s.Noreturn);
  const rmb = let_('rmb', restrict(fencerel(po, s.fence.rmb), R4rmb, R4rmb));
  const wmb = let_('wmb', restrict(fencerel(po, s.fence.wmb), W, W));
  const mb = let_('mb', mbRelation(b, s));
  const gp = let_('gp', seq(po, toid(s.fence['sync-rcu']), opt(po)));
  const strongFence = let_('strong-fence', union(mb, gp));
  const nonrwFence = union(strongFence, poRel, acqPo);
  const fence = union(nonrwFence, wmb, rmb);

  // Fundamental coherence ordering.
  const com = union(rf, co, fr);
  const coherence = union(b.poLoc, com);
  if (!rbOnly && !acyclic(coherence)) return fail(LKMM_AXIOMS.coherence, coherence);
  const atomic = inter(s.rmw, seq(b.fre, b.coe));
  if (!rbOnly && !empty(atomic)) return fail(LKMM_AXIOMS.atomic, atomic);

  // Preserved program order.
  const dep = union(s.addr, s.data);
  const rwdep = seq(union(dep, s.ctrl), toid(W));
  const overwrite = union(co, fr);
  const toW = union(rwdep, inter(overwrite, int), seq(s.addr, toid(s.Plain), wmb));
  const toR = union(seq(s.addr, toid(R)), seq(dep, mark, rfi));
  const ppo = let_('ppo', union(toR, toW, inter(fence, int), inter(poUnlockLockPo, int)));

  // Propagation: ordering from release operations and strong fences.
  const aCumul = (r: Relation) => seq(opt(seq(rfe, mark)), r);
  const rmwSequence = let_('rmw-sequence', star(seq(rf, s.rmw)));
  const cumulFence = let_(
    'cumul-fence',
    seq(mark, union(aCumul(union(strongFence, poRel)), wmb, poUnlockLockPo), mark, rmwSequence),
  );
  const prop = let_(
    'prop',
    seq(mark, opt(inter(overwrite, ext)), star(cumulFence), mark, opt(rfe), mark),
  );

  // Happens before: ordering from the passage of time.
  const hb = let_('hb', seq(mark, union(ppo, rfe, inter(diff(prop, id(b.n)), int)), mark));
  if (!rbOnly && !acyclic(hb)) return fail(LKMM_AXIOMS.hb, hb);

  // Write and fence propagation: each non-rf link needs a strong fence.
  const pb = let_('pb', seq(prop, strongFence, star(hb), mark));
  if (!rbOnly && !acyclic(pb)) return fail(LKMM_AXIOMS.pb, pb);

  // RCU: grace periods against read-side critical sections.
  const rcu = rcuRelations(b, s, { hb, pb, prop });
  if (keep || rbOnly) {
    named.set('rb', rcu.rb);
    named.set('rcu-fence', rcu.rcuFence);
  }
  if (rbOnly) return { flags: [], named };
  if (!irreflexive(rcu.rb)) return fail(LKMM_AXIOMS.rcu, rcu.rb);

  // Plain accesses and data races.
  const plain = plainAccesses(b, s, {
    hb,
    pb,
    rb: rcu.rb,
    cumulFence,
    rmwSequence,
    nonrwFence,
    fence: union(fence, rcu.rcuFence),
    strongFence: union(strongFence, rcu.rcuFence),
  });
  if (!empty(plain.incoherence)) return fail(LKMM_AXIOMS.plain, plain.incoherence);
  return { flags: plain.flags, ...(keep && { named }) };
}

/** mb: smp_mb(), fully ordered rmws, and the smp_mb__*() that strengthen their neighbours. */
function mbRelation(b: ReturnType<typeof base>, s: LkmmSets): Relation {
  const { po, M, R, W, co } = b;
  const m = toid(M);
  return union(
    restrict(fencerel(po, s.Mb), M, M),
    seq(m, po, toid(setInter(s.Mb, R))),
    seq(toid(setInter(s.Mb, W)), po, m),
    seq(m, fencerel(po, s.fence['before-atomic']), toid(s.RMW), opt(po), m),
    seq(m, opt(po), toid(s.RMW), fencerel(po, s.fence['after-atomic']), m),
    seq(m, opt(po), toid(s.LKW), fencerel(po, s.fence['after-spinlock']), m),
    seq(
      m,
      po,
      toid(s.UL),
      union(co, po),
      toid(s.LKW),
      fencerel(po, s.fence['after-unlock-lock']),
      m,
    ),
  );
}
