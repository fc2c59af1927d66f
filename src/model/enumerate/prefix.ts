// Partial executions of a prefix of threads, for axiom-directed pruning (herd7 and GenMC cut
// a candidate as soon as the part already built breaks an axiom). When the traces of threads
// 0..k are chosen, some communication edges are already fixed in every execution that
// completes the prefix, whatever the later threads do and whatever rf/co choices follow:
//
//   rf  a read whose value only one known write of its location holds, and which no later
//       thread can write there in any of its traces, reads from that write;
//   co  the initial write is co-before every other write of its location, and a thread's
//       writes to one location are co-ordered as po orders them (coWW: every model rejects
//       an execution that breaks it, so no accepted completion lacks the edge);
//   fr  rf⁻¹ ; co over those (base.ts derives it), each edge in every completion's fr.
//
// The partial execution holds the initial writes, the chosen threads' events and those of
// the later threads that have a single trace (the same in every completion), and only edges
// of the kinds above, so it is a part of every completion (its events renumbered): each of
// its relations is contained in the completion's relation over the same events. A model's `broken` check (base.ts) looks only at axioms that a superset of
// edges cannot repair; a prefix it rejects is abandoned with every combination below it.
// Spinlock locations get no edges here: lock.ts gives their reads a lock.cat meaning.

import type { Value } from '../../litmus/ir.ts';
import type { Trace } from '../core/events.ts';
import type { Execution, Skeleton } from '../core/execution.ts';
import { Relation } from '../core/relation.ts';

/**
 * For each depth k, whether some thread after k with more than one trace may write a value
 * to a location in one of them (then a read of that value there has no fixed source yet).
 * A thread with one trace is known before it is chosen: the partial execution includes it.
 */
export function laterWrites(perThread: Trace[][]): ((loc: number, v: Value) => boolean)[] {
  const out: ((loc: number, v: Value) => boolean)[] = [];
  let later = new Set<string>();
  for (let k = perThread.length - 1; k >= 0; k--) {
    const seen = later;
    out[k] = (loc, v) => seen.has(`${loc}:${v}`);
    if (perThread[k]!.length === 1) continue;
    later = new Set(later);
    for (const t of perThread[k]!)
      for (const e of t.events) if (e.dir === 'W' && e.loc >= 0) later.add(`${e.loc}:${e.value}`);
  }
  return out;
}

/**
 * The fixed part of every execution that completes sk's threads (see the top of this file);
 * undefined when some read of a non-spinlock location has no write of its value at all (no
 * completion exists: the combination has no candidate).
 */
export function partialExecution(
  sk: Skeleton,
  later: (loc: number, v: Value) => boolean,
): Execution | undefined {
  const rf = Relation.none(sk.n);
  const co = Relation.none(sk.n);
  for (const [l, ids] of sk.byLoc.entries()) {
    if (sk.spin[l]) continue;
    const evs = ids.map((id) => sk.events[id]!);
    const init = sk.init[l]!;
    for (const w of evs) {
      if (w.dir !== 'W' || w.id === init) continue;
      co.add(init, w.id);
      for (const w2 of evs)
        if (w2.dir === 'W' && w2.id !== init && sk.po.has(w.id, w2.id)) co.add(w.id, w2.id);
    }
    for (const r of evs) {
      if (r.dir !== 'R' || later(l, r.value)) continue;
      const from = evs.filter((w) => w.dir === 'W' && w.value === r.value);
      if (from.length === 0) return undefined;
      if (from.length === 1) rf.add(from[0]!.id, r.id);
    }
  }
  return { sk, rf, co, coOrder: [] };
}
