// The candidate executions herd7 hands a cat model, location by location: each ordinary read
// (not a lock event) reads from any ordinary write of its location that wrote the value it read
// — the initial write included, a later write of its own thread included (herd7 leaves
// coherence to the model: minimal.cat has none), its own rmw's write excluded — and, for a
// location the test's final state observes, one of its writes is the final one (FW). No
// coherence order: the model enumerates its own (`with co from generate_cos(...)`, lock.cat).
//
// execution.ts enumerates the trace combinations and takes the product of these choices. A
// candidate whose values would depend on themselves through reads-from (`LB` with data
// dependencies, each thread writing what it read) is none: herd7's solver cannot make its
// values concrete and drops it (herd/mem.ml's when_unsolved), whatever the model.

import type { Execution, LocChoice, Skeleton } from '../core/execution.ts';
import { memo } from '../core/execution.ts';
import { acyclic, Relation, union } from '../core/relation.ts';
import { product } from '../enumerate/product.ts';
import { isMemory } from './env.ts';

/** The choices of one location; `observed`: whether the final state shows its value. */
export function herdChoices(sk: Skeleton, l: number, observed: boolean): LocChoice[] {
  const evs = sk.byLoc[l]!.map((id) => sk.events[id]!).filter(isMemory);
  const writes = evs.filter((e) => e.dir === 'W');
  const perRead: [number, number][][] = [];
  for (const r of evs) {
    if (r.dir !== 'R') continue;
    const own = [...sk.rmw.successors(r.id)];
    const from = writes.filter((w) => w.value === r.value && !own.includes(w.id));
    if (from.length === 0) return [];
    perRead.push(from.map((w) => [w.id, r.id]));
  }
  // The initial write can be final only when nothing else writes there (herd7's pco check).
  const finals = !observed
    ? [undefined]
    : writes.length > 1
      ? writes.filter((w) => w.thread >= 0).map((w) => w.id)
      : writes.map((w) => w.id);
  const out: LocChoice[] = [];
  for (const rf of product(perRead))
    for (const final of finals) out.push({ rf, co: [], ...(final !== undefined && { final }) });
  return out;
}

/**
 * Whether a candidate's values are determined: no cycle of reads-from and of the dependencies
 * of a value on a read (data, and an atomic add's write on its own read). An address that
 * depends on a read makes no such cycle: herd7 solves `LB` with addr dependencies (`Sometimes`
 * under minimal.cat) and not `LB` with data ones (`Never`).
 */
export function valuesSolvable(x: Execution): boolean {
  const flow = memo(x.sk, 'cat-value-flow', () => {
    const { sk } = x;
    const rmwSum = Relation.none(sk.n);
    for (const [r, w] of sk.rmw.pairs()) {
      const i = sk.events[w]!.instr;
      if (i.kind === 'rmw' && (i.op === 'add' || i.op === 'sub' || i.op === 'add_unless'))
        rmwSum.add(r, w);
    }
    return union(sk.data, rmwSum);
  });
  return acyclic(union(flow, x.rf));
}
