// The candidate executions herd7 hands a cat model, location by location: each ordinary read
// (not a lock event) reads from any ordinary write of its location that wrote the value it read
// — the initial write included, a later write of its own thread included (herd7 leaves
// coherence to the model: minimal.cat has none), its own rmw's write excluded — and, for a
// location the test's final state observes, one of its writes is the final one (FW). No
// coherence order: the model enumerates its own (`with co from generate_cos(...)`, lock.cat).
//
// execution.ts enumerates the trace combinations and takes the product of these choices.

import type { LocChoice, Skeleton } from '../core/execution.ts';
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
