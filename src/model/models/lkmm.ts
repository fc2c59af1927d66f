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
// and the data-race flag for plain accesses that race (lkmm-plain.ts). SRCU's grace periods
// and read-side critical sections join RCU's in gp and rcu-order (lkmm-rcu.ts).

import { type Axiom, type Base, base, type Model, type ModelResult } from '../core/base.ts';
import { type Execution, memo } from '../core/execution.ts';
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
  setUnion,
  star,
  toid,
  union,
} from '../core/relation.ts';
import { lockFlags } from '../enumerate/lock.ts';
import { plainAccesses } from './lkmm-plain.ts';
import { rcuRelations } from './lkmm-rcu.ts';
import { type LkmmSets, lkmmSets } from './lkmm-sets.ts';

const LKMM_AXIOMS = {
  coherence: { name: 'coherence', check: 'acyclic', rel: 'po-loc | com' },
  atomic: { name: 'atomic', check: 'empty', rel: 'rmw & (fre ; coe)' },
  hb: { name: 'happens-before', check: 'acyclic', rel: 'hb' },
  pb: { name: 'propagation', check: 'acyclic', rel: 'pb' },
  rcu: { name: 'rcu', check: 'irreflexive', rel: 'rb' },
  plain: {
    name: 'plain-coherence',
    check: 'empty',
    rel: 'wr-incoh | rw-incoh | ww-incoh',
  },
} as const satisfies Record<string, Axiom>;

export const lkmm: Model = {
  name: 'lkmm',
  run(x: Execution, keep = false): ModelResult {
    return evaluate(x, keep, false);
  },
  // happens-before, propagation and rcu, as herd7 and GenMC prune. Every set here is fixed
  // per event (a thread's events are all there or none), and every relation is built from
  // po, rf, co, fr by union, sequence, ?, *, inverse, and intersection or difference with
  // fixed relations (int, ext, id, loc, the sets) — each only gains edges when rf, co or events
  // are added, so a cycle of hb or pb over a partial execution stays one in every completion.
  // rb too: rcu-rscs pairs lock and unlock within one thread (all of it is there), srcu-rscs
  // grows with rf, and rcu-order is the least fixpoint of operators that grow with rcu-link
  // (hb, pb, prop) and the rscs — a larger rcu-link gives a larger fixpoint, so a reflexive
  // pair of rb stays. plain-coherence (its bounds use differences of rf-built relations in
  // herd7's cat) is left to the full check.
  broken(x: Execution): boolean {
    const o = orders(x);
    if (!acyclic(o.hb)) return true;
    const pb = pbOf(o);
    if (!acyclic(pb)) return true;
    return !irreflexive(rcuRelations(o.b, o.s, { hb: o.hb, pb, prop: o.p.prop }).rb);
  },
};

/**
 * The rcu axiom alone, as sc and tso keep it: a grace period outlasts the critical sections it
 * overlaps, the API's guarantee rather than the hardware's. LKMM's relations up to rb are
 * computed for it, every axiom before `rcu` left unchecked. Undefined when the axiom holds or
 * the test has no synchronize_rcu(), synchronize_srcu() or call_rcu().
 */
export function rcuFailure(x: Execution, axiom: Axiom): ModelResult | undefined {
  const gp = (e: Execution['sk']['events'][number]) =>
    e.dir === 'F' && (e.annot === 'sync-rcu' || e.annot === 'sync-srcu' || e.gp === 'start');
  if (!x.sk.events.some(gp)) return undefined;
  const named = evaluate(x, true, true).named!;
  const rb = named.get('rb')!;
  return irreflexive(rb) ? undefined : { failed: { axiom, rel: rb }, flags: [], named };
}

/** The basic relations: release/acquire, the unlock-lock pair, the fences. */
interface Fences {
  'acq-po': Relation;
  'po-rel': Relation;
  'po-unlock-lock-po': Relation;
  rmb: Relation;
  wmb: Relation;
  mb: Relation;
  gp: Relation;
  'strong-fence': Relation;
  'nonrw-fence': Relation;
  fence: Relation;
}

function fences(b: Base, s: LkmmSets): Fences {
  const { rf, M } = b;
  // po-unlock-lock-po = po ; [UL] ; (po | rf) ; [LKR] ; po, and mb's term with it, split by
  // the union into the shape's part (made once per shape: shapeFences) and rf's.
  const shape = memo(b.x.sk, 'lkmm-fences', () => shapeFences(b, s));
  const unlockRfLock = seq(shape.poUnlock, rf, shape.lockPo);
  const poUnlockLockPo = union(shape.poUnlockLockPo, unlockRfLock);
  const m = toid(M);
  const mb = union(shape.mb, seq(m, unlockRfLock, shape.afterUnlockLock));
  const strongFence = union(mb, shape.gp);
  const nonrwFence = union(strongFence, shape.poRel, shape.acqPo);
  return {
    'acq-po': shape.acqPo,
    'po-rel': shape.poRel,
    'po-unlock-lock-po': poUnlockLockPo,
    rmb: shape.rmb,
    wmb: shape.wmb,
    mb,
    gp: shape.gp,
    'strong-fence': strongFence,
    'nonrw-fence': nonrwFence,
    fence: union(nonrwFence, shape.wmb, shape.rmb),
  };
}

/**
 * What fences() takes from the shape alone: the fences but for rf's part of the unlock-lock
 * pairs, and the pieces that part is composed with. One lookup per execution instead of one
 * per operation of the cached terms (some sixty).
 */
function shapeFences(b: Base, s: LkmmSets) {
  const { po, M, R, W } = b;
  const m = toid(M);
  const R4rmb = setDiff(R, s.Noreturn);
  const poUnlockLockPo = seq(po, toid(s.UL), po, toid(s.LKR), po);
  return {
    acqPo: restrict(po, s.Acquire, M),
    poRel: restrict(po, M, s.Release),
    rmb: restrict(fencerel(po, s.fence.rmb), R4rmb, R4rmb),
    wmb: restrict(fencerel(po, s.fence.wmb), W, W),
    gp: seq(po, toid(setUnion(s.fence['sync-rcu'], s.SyncSrcu)), opt(po)),
    poUnlockLockPo,
    mb: mbRelation(b, s, { 'po-unlock-lock-po': poUnlockLockPo }),
    poUnlock: seq(po, toid(s.UL)),
    lockPo: seq(toid(s.LKR), po),
    afterUnlockLock: seq(toid(s.fence['after-unlock-lock']), po, m),
  };
}

/** Preserved program order: dependencies, overwrites within a CPU, fences, unlock-lock. */
function preservedProgramOrder(b: Base, s: LkmmSets, f: Fences): Relation {
  const { co, fr, rfi, int, R, W } = b;
  const dep = union(s.addr, s.data);
  const rwdep = seq(union(dep, s.ctrl), toid(W));
  const overwrite = union(co, fr);
  const toW = union(rwdep, inter(overwrite, int), seq(s.addr, toid(s.Plain), f.wmb));
  const toR = union(seq(s.addr, toid(R)), seq(dep, toid(s.Marked), rfi));
  return union(toR, toW, inter(f.fence, int), inter(f['po-unlock-lock-po'], int));
}

/** Propagation: ordering from release operations and strong fences. */
function propagation(b: Base, s: LkmmSets, f: Fences) {
  const { rf, rfe, co, fr, ext } = b;
  const mark = toid(s.Marked);
  const aCumul = (r: Relation) => seq(opt(seq(rfe, mark)), r);
  const rmwSequence = star(seq(rf, s.rmw));
  const cumulFence = seq(
    mark,
    union(aCumul(union(f['strong-fence'], f['po-rel'])), f.wmb, f['po-unlock-lock-po']),
    mark,
    rmwSequence,
  );
  const overwriteExt = inter(union(co, fr), ext);
  const prop = seq(mark, opt(overwriteExt), star(cumulFence), mark, opt(rfe), mark);
  return { 'rmw-sequence': rmwSequence, 'cumul-fence': cumulFence, prop };
}

/** The relations up to hb: base, sets, fences, ppo, propagation. */
function orders(x: Execution) {
  const b = base(x);
  const s = lkmmSets(b);
  const o = ordersToPpo(b, s);
  return hbFrom(o);
}

/** Instruction execution ordering: the relations up to ppo. */
function ordersToPpo(b: Base, s: LkmmSets) {
  const mark = toid(s.Marked);
  const f = fences(b, s);
  return { b, s, mark, f, ppo: preservedProgramOrder(b, s, f) };
}

/** Propagation ordering, and hb. */
function hbFrom(o: ReturnType<typeof ordersToPpo>) {
  const { b, mark, ppo } = o;
  const p = propagation(b, o.s, o.f);
  const hb = seq(mark, union(ppo, b.rfe, inter(diff(p.prop, id(b.n)), b.int)), mark);
  return { ...o, p, hb };
}

/**
 * hb without its prop term, [Marked] ; (ppo | rfe) ; [Marked], already has a cycle in most
 * candidates a search judges (pf-invalidate-race: three in four): they fail hb without prop,
 * the costliest term (cumul-fence*), and hb itself is made only if its relation is read.
 * Undefined when that part is acyclic (hb may still fail).
 */
function hbFailsWithoutProp(o: ReturnType<typeof ordersToPpo>): ModelResult | undefined {
  if (acyclic(seq(o.mark, union(o.ppo, o.b.rfe), o.mark))) return undefined;
  let hb: Relation | undefined;
  return {
    failed: {
      axiom: LKMM_AXIOMS.hb,
      get rel() {
        hb ??= hbFrom(o).hb;
        return hb;
      },
    },
    flags: [],
  };
}

/** pb: prop ; strong-fence ; hb* ; [Marked] */
function pbOf(o: Pick<ReturnType<typeof orders>, 'p' | 'f' | 'hb' | 'mark'>): Relation {
  return seq(o.p.prop, o.f['strong-fence'], star(o.hb), o.mark);
}

function evaluate(x: Execution, keep: boolean, rbOnly: boolean): ModelResult {
  const named = new Map<string, Relation>();
  const fail = (axiom: Axiom, rel: Relation): ModelResult => ({
    failed: { axiom, rel },
    flags: [],
    ...(keep && { named }),
  });
  const check = (ok: boolean) => rbOnly || ok;
  const b = base(x);
  const s = lkmmSets(b);

  // Fundamental coherence ordering.
  const coherence = union(b.poLoc, b.rf, b.co, b.fr);
  if (!check(acyclic(coherence))) return fail(LKMM_AXIOMS.coherence, coherence);
  const atomic = inter(s.rmw, seq(b.fre, b.coe));
  if (!check(empty(atomic))) return fail(LKMM_AXIOMS.atomic, atomic);

  const o = ordersToPpo(b, s);
  const early = keep || rbOnly ? undefined : hbFailsWithoutProp(o);
  if (early) return early;
  const { mark, f, ppo, p, hb } = hbFrom(o);

  if (keep || rbOnly) for (const [k, r] of Object.entries({ ...f, ...p, ppo, hb })) named.set(k, r);
  if (!check(acyclic(hb))) return fail(LKMM_AXIOMS.hb, hb);
  const pb = pbOf({ p, f, hb, mark });
  named.set('pb', pb);
  if (!check(acyclic(pb))) return fail(LKMM_AXIOMS.pb, pb);

  // RCU: grace periods against read-side critical sections.
  const rcu = rcuRelations(b, s, { hb, pb, prop: p.prop });
  named.set('rb', rcu.rb);
  named.set('rcu-fence', rcu.rcuFence);
  if (rbOnly) return { flags: [], named };
  if (!irreflexive(rcu.rb)) return fail(LKMM_AXIOMS.rcu, rcu.rb);

  // Plain accesses and data races (fence and strong-fence now include rcu-fence).
  const plain = plainAccesses(b, s, {
    hb,
    pb,
    rb: rcu.rb,
    cumulFence: p['cumul-fence'],
    rmwSequence: p['rmw-sequence'],
    nonrwFence: f['nonrw-fence'],
    fence: union(f.fence, rcu.rcuFence),
    strongFence: union(f['strong-fence'], rcu.rcuFence),
  });
  if (!empty(plain.incoherence)) return fail(LKMM_AXIOMS.plain, plain.incoherence);
  return { flags: [...lockFlags(x.sk), ...rcu.flags, ...plain.flags], ...(keep && { named }) };
}

/** mb: smp_mb(), fully ordered rmws, and the smp_mb__*() that strengthen their neighbours. */
function mbRelation(b: Base, s: LkmmSets, f: Pick<Fences, 'po-unlock-lock-po'>): Relation {
  const { po, M, R, W } = b;
  const m = toid(M);
  return union(
    restrict(fencerel(po, s.Mb), M, M),
    seq(m, po, toid(setInter(s.Mb, R))),
    seq(toid(setInter(s.Mb, W)), po, m),
    seq(m, fencerel(po, s.fence['before-atomic']), toid(s.RMW), opt(po), m),
    seq(m, opt(po), toid(s.RMW), fencerel(po, s.fence['after-atomic']), m),
    seq(m, opt(po), toid(s.LKW), fencerel(po, s.fence['after-spinlock']), m),
    seq(m, f['po-unlock-lock-po'], toid(s.fence['after-unlock-lock']), po, m),
    seq(m, opt(po), toid(s.SrcuUnlock), fencerel(po, s.fence['after-srcu-read-unlock']), m),
  );
}
