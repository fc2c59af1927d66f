// The rf/co choices of one combination of traces, location by location, depth first — the
// product over locations, in its order (the last location varies fastest) — with the same
// axiom-directed pruning as between threads (prefix.ts): once the locations 0..l are chosen,
// their rf and co, together with the edges every completion has at the other locations,
// form a part of every execution below; a model's `broken` (base.ts) that rejects it
// abandons every choice of the remaining locations.

import type { Budget } from '../core/budget.ts';
import type { Execution, LocChoice, Skeleton } from '../core/execution.ts';
import { Relation } from '../core/relation.ts';
import { partialExecution } from './prefix.ts';

export interface WalkOptions {
  broken?: ((x: Execution) => boolean) | undefined;
  /** Check a prefix of locations only with at least this many choices below it. */
  pruneMin: number;
}

/** Each candidate of the combination, to visit; true when visit asked to stop. */
export function walkChoices(
  sk: Skeleton,
  perLoc: LocChoice[][],
  budget: Budget,
  visit: (x: Execution) => unknown,
  opts: WalkOptions,
): boolean {
  const L = perLoc.length;
  if (perLoc.some((cs) => cs.length === 0)) return false;
  // below[l]: how many choices of the locations after l there are.
  const below = perLoc.map(() => 1);
  for (let l = L - 2; l >= 0; l--) below[l] = below[l + 1]! * perLoc[l + 1]!.length;
  const fixed =
    opts.broken && below.some((b) => b >= opts.pruneMin)
      ? partialExecution(sk, () => false)
      : undefined;
  const chosen: LocChoice[] = [];
  const descend = (l: number): boolean => {
    if (l === L) {
      budget.tick();
      budget.progress.candidates++;
      return visit(assemble(sk, chosen)) === true;
    }
    for (const c of perLoc[l]!) {
      chosen[l] = c;
      if (fixed && l < L - 1 && below[l]! >= opts.pruneMin) {
        budget.tick();
        const x = assemble(sk, chosen, fixed);
        if (opts.broken!(x)) {
          budget.progress.pruned = (budget.progress.pruned ?? 0) + 1;
          continue;
        }
      }
      if (descend(l + 1)) return true;
    }
    chosen.length = l;
    return false;
  };
  return descend(0);
}

/**
 * The execution of the chosen locations' rf and co; with `base`, a partial one: those over
 * base's edges (prefix.ts), the coherence orders left out (they only serve final values).
 */
function assemble(sk: Skeleton, choice: LocChoice[], base?: Execution): Execution {
  const rf = Relation.none(sk.n);
  const co = Relation.none(sk.n);
  if (base) {
    for (const [a, b] of base.rf.pairs()) rf.add(a, b);
    for (const [a, b] of base.co.pairs()) co.add(a, b);
  }
  for (const c of choice) {
    for (const [w, r] of c.rf) rf.add(w, r);
    for (let i = 0; i < c.co.length; i++)
      for (let j = i + 1; j < c.co.length; j++) co.add(c.co[i]!, c.co[j]!);
  }
  const herd = choice.some((c) => c.final !== undefined);
  return {
    sk,
    rf,
    co,
    coOrder: base ? [] : choice.map((c) => c.co),
    ...(herd && { final: choice.map((c) => c.final) }),
  };
}
