// x86-TSO (Owens, Sarkar, Sewell), as herd7's x86tso.cat states it, for kernel code compiled
// for x86-64: every access is in order except a write followed by a read (the store buffer);
// smp_mb() and synchronize_rcu() are MFENCE; every locked instruction — each rmw, successful
// or failed, and spin_lock / spin_trylock — is a full fence. smp_rmb(), smp_wmb(), barrier(),
// release and acquire compile to plain moves and add nothing TSO does not already give.
//
// Axioms, in x86tso.cat's order: sc-per-location (uniproc), atomic, tso; then rcu, the
// API's grace-period guarantee stated as LKMM's rcu axiom (see sc.ts).

import { type Axiom, type Base, base, type Model, type ModelResult } from '../core/base.ts';
import type { Execution } from '../core/execution.ts';
import {
  acyclic,
  cross,
  diff,
  empty,
  fencerel,
  inter,
  type Relation,
  restrict,
  seq,
  setUnion,
  union,
} from '../core/relation.ts';
import { rcuFailure } from './lkmm.ts';

const AXIOMS = {
  uniproc: { name: 'sc-per-location', check: 'acyclic', rel: 'po-loc | com' },
  atomic: { name: 'atomic', check: 'empty', rel: 'rmw & (fre ; coe)' },
  tso: { name: 'tso', check: 'acyclic', rel: 'ghb' },
  rcu: { name: 'rcu', check: 'irreflexive', rel: 'rb' },
} as const satisfies Record<string, Axiom>;

export const tso: Model = {
  name: 'tso',
  run(x: Execution, keep = false): ModelResult {
    const b = base(x);
    const com = union(b.rf, b.co, b.fr);
    const named = keep ? new Map<string, Relation>() : undefined;
    const uniproc = union(b.poLoc, com);
    if (!acyclic(uniproc))
      return { failed: { axiom: AXIOMS.uniproc, rel: uniproc }, flags: [], named };
    const atomicity = inter(x.sk.rmw, seq(b.fre, b.coe));
    if (!empty(atomicity))
      return { failed: { axiom: AXIOMS.atomic, rel: atomicity }, flags: [], named };
    const parts = ghbParts(b);
    if (named) for (const [k, v] of Object.entries(parts)) named.set(k, v);
    const ghb = union(...Object.values(parts));
    if (!acyclic(ghb)) return { failed: { axiom: AXIOMS.tso, rel: ghb }, flags: [], named };
    return rcuFailure(x, AXIOMS.rcu) ?? { flags: [], named };
  },
  // ghb's po-derived parts are fixed per event and rfe, fr, co only gain edges as the
  // execution is completed: a cycle of ghb over a part is a cycle of the whole.
  broken(x: Execution): boolean {
    return !acyclic(union(...Object.values(ghbParts(base(x)))));
  },
};

/** The parts of x86tso.cat's ghb, by the names --explain shows. */
function ghbParts(b: Base): Record<string, Relation> {
  // Locked instructions: the events of rmw instructions and of lock acquisitions.
  const X = b.where(
    (e) => e.rmw !== undefined || e.lock === 'LKR' || e.lock === 'LKW' || e.lock === 'LF',
  );
  const MFENCE = setUnion(b.fence('mb'), b.fence('sync-rcu'));
  return {
    ppo: diff(restrict(b.po, b.M, b.M), inter(b.po, cross(b.W, b.R))),
    mfence: restrict(fencerel(b.po, MFENCE), b.M, b.M),
    implied: union(restrict(b.po, b.W, X), restrict(b.po, X, b.R)),
    rfe: b.rfe,
    fr: b.fr,
    co: b.co,
  };
}
