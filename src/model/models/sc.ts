// Sequential consistency (Lamport): one interleaving of all accesses. As a cat model:
// program order, reads-from, coherence and from-read together are acyclic, and an rmw is
// atomic. Fences and annotations change nothing here. synchronize_rcu() keeps the API's
// guarantee, stated as LKMM's rcu axiom (a grace period outlasts the read-side critical
// sections it overlaps): without it, SC would allow what every kernel forbids.

import { type Axiom, base, type Model, type ModelResult } from '../core/base.ts';
import type { Execution } from '../core/execution.ts';
import { acyclic, empty, inter, restrict, seq, union } from '../core/relation.ts';
import { rcuFailure } from './lkmm.ts';

const AXIOMS = {
  sc: { name: 'sc', check: 'acyclic', rel: 'po | com' },
  atomic: { name: 'atomic', check: 'empty', rel: 'rmw & (fre ; coe)' },
  rcu: { name: 'rcu', check: 'irreflexive', rel: 'rb' },
} as const satisfies Record<string, Axiom>;

export const sc: Model = {
  name: 'sc',
  run(x: Execution, keep = false): ModelResult {
    const b = base(x);
    const com = union(b.rf, b.co, b.fr);
    const order = union(restrict(b.po, b.M, b.M), com);
    const named = keep
      ? new Map([
          ['po', b.po],
          ['rf', b.rf],
          ['co', b.co],
          ['fr', b.fr],
        ])
      : undefined;
    if (!acyclic(order)) return { failed: { axiom: AXIOMS.sc, rel: order }, flags: [], named };
    const atomicity = inter(x.sk.rmw, seq(b.fre, b.coe));
    if (!empty(atomicity))
      return { failed: { axiom: AXIOMS.atomic, rel: atomicity }, flags: [], named };
    return rcuFailure(x, AXIOMS.rcu) ?? { flags: [], named };
  },
  // po and com only grow as edges and events are added: a cycle in a part stays a cycle.
  broken(x: Execution): boolean {
    const b = base(x);
    return !acyclic(union(restrict(b.po, b.M, b.M), b.rf, b.co, b.fr));
  },
};
