// Enumerating the candidate executions of a litmus test, as herd7 builds them.
//
// One trace per thread (events.ts), combined; then, location by location, every reads-from
// choice (a read takes its value from a write of that same value, or from the initial write)
// and every coherence order (the initial write first), kept only when that location alone is
// coherent (po-loc | rf | co | fr acyclic) and its rmws atomic — a check every model makes,
// done here early so that the product over locations stays small. Spinlock locations are
// built by lock.ts as lock.cat does. Skeletons of trace combinations come from shape.ts.
//
// This module decides nothing about a model's axioms beyond that per-location check; given a
// model's monotone check (EnumerateOptions.broken) it abandons prefixes of threads, and
// walk.ts prefixes of locations, that the check rejects (prefix.ts says which edges count).

import { UserError } from '../../errors.ts';
import type { Test } from '../../litmus/ir.ts';
import type { Budget } from '../core/budget.ts';
import type { EventSpec, Trace } from '../core/events.ts';
import type { Execution, LocationChoices, LocChoice, Skeleton } from '../core/execution.ts';
import { locChoices } from './coherence.ts';
import { lockChoices, lockWellFormed } from './lock.ts';
import { laterWrites, partialExecution } from './prefix.ts';
import { ShapeCache } from './shape.ts';
import { threadTraces } from './trace.ts';
import { valueDomains } from './values.ts';
import { walkChoices } from './walk.ts';

/** Which trace combinations to enumerate. */
export interface EnumerateOptions {
  /**
   * Asked about each prefix of a combination (traces of threads 0..k chosen, the rest
   * undefined): false skips every combination that extends it.
   */
  keep?: (chosen: readonly (Trace | undefined)[]) => boolean;
  /** Only this share of the combinations (parts of a split across workers). */
  share?: { part: number; parts: number };
  /**
   * A model's check of the monotone axioms (Model.broken): a prefix of threads whose fixed
   * edges (prefix.ts) it rejects is abandoned with every combination below it.
   */
  broken?: (x: Execution) => boolean;
  /**
   * Check only prefixes with at least this many combinations below them (default 1): a check
   * costs about one candidate's model run, so where little is below it cannot pay.
   */
  pruneMin?: number;
  /**
   * Each location's choices (default: the coherent ones, spinlocks as lock.ts builds them,
   * combinations lock.cat forbids left out). A cat model takes herd7's (cat/choices.ts).
   */
  choices?: LocationChoices;
  /**
   * The shapes to build skeletons with, kept by a caller that enumerates many combinations of
   * one test (the explorer judges each combination apart): shapes, and what a model derives
   * from a shape alone, are then shared across them. Made for `test` and its spinlocks.
   */
  shapes?: ShapeCache;
}

/**
 * Every candidate execution, passed to visit (which returns true to stop the enumeration);
 * returns how many were visited. Threads are chosen one by one, depth first, so that `keep`
 * can cut a prefix with everything below it; the budget's progress counts the combinations
 * done (cut ones included) out of all of them.
 */
export function forEachCandidate(
  test: Test,
  budget: Budget,
  visit: (x: Execution) => unknown,
  opts: EnumerateOptions = {},
): number {
  const domains = valueDomains(test, budget.tick);
  const perThread = test.threads.map((t) => threadTraces(test, t, domains, budget.tick));
  return forEachCombination(test, perThread, budget, visit, opts);
}

/**
 * forEachCandidate over given thread traces (each thread's list, in thread order): the seam
 * the scenario explorer (src/explore/) uses with traces it got by running code, not the IR.
 */
export function forEachCombination(
  test: Test,
  perThread: Trace[][],
  budget: Budget,
  visit: (x: Execution) => unknown,
  opts: EnumerateOptions = {},
): number {
  const spin = test.locations.map((l) => l.type === 'spinlock');
  for (const traces of perThread) for (const t of traces) checkSpinUse(test, spin, t.events);
  const progress = budget.progress;
  // below[k]: how many combinations extend one prefix of threads 0..k-1.
  const below = perThread.map(() => 1);
  for (let k = perThread.length - 2; k >= 0; k--)
    below[k] = below[k + 1]! * perThread[k + 1]!.length;
  const shapes = opts.shapes ?? new ShapeCache(test, spin, budget.check);
  const split = opts.share && splitDepth(perThread, opts.share.parts);
  progress.combinations += combinationsOf(perThread, below, split, opts.share);
  let prefixes = 0;
  const later = opts.broken && laterWrites(perThread);
  // Whether the chosen threads 0..k, with the later threads that have one trace only, already
  // leave no accepted completion (prefix.ts). Not at the last thread: the model decides there.
  const abandon = (k: number): boolean => {
    if (!later || k === perThread.length - 1 || below[k]! < (opts.pruneMin ?? 1)) return false;
    const fixed = perThread.slice(k + 1).filter((ts) => ts.length === 1);
    const known = [...(chosen.slice(0, k + 1) as Trace[]), ...fixed.map((ts) => ts[0]!)];
    const x = partialExecution(shapes.skeleton(known), later[k]!);
    return x === undefined || opts.broken!(x);
  };
  const chosen: (Trace | undefined)[] = perThread.map(() => undefined);
  const descend = (k: number): boolean => {
    budget.tick();
    if (k === perThread.length) {
      progress.combinationsDone++;
      return visitCombination(shapes.skeleton(chosen as Trace[]), budget, visit, opts);
    }
    for (const t of perThread[k]!) {
      chosen[k] = t;
      const mine =
        split === undefined || k !== split || prefixes++ % opts.share!.parts === opts.share!.part;
      if (!mine) continue;
      if (opts.keep && !opts.keep(chosen)) progress.combinationsDone += below[k]!;
      else if (abandon(k)) {
        progress.combinationsDone += below[k]!;
        progress.pruned = (progress.pruned ?? 0) + 1;
      } else if (descend(k + 1)) return true;
    }
    chosen[k] = undefined;
    return false;
  };
  const before = progress.candidates;
  descend(0);
  return progress.candidates - before;
}

/** The rf/co choices of one combination of traces (walk.ts); true when visit asked to stop. */
function visitCombination(
  sk: Skeleton,
  budget: Budget,
  visit: (x: Execution) => unknown,
  opts: EnumerateOptions,
): boolean {
  const choices = opts.choices;
  if (!choices && !lockWellFormed(sk)) return false;
  const perLoc: LocChoice[][] = sk.byLoc.map((_, l) =>
    choices ? choices(sk, l, budget) : sk.spin[l] ? lockChoices(sk, l) : locChoices(sk, l, budget),
  );
  return walkChoices(sk, perLoc, budget, visit, {
    broken: opts.broken,
    pruneMin: opts.pruneMin ?? 1,
  });
}

/** How many combinations this enumeration covers: all of them, or its share's. */
function combinationsOf(
  perThread: Trace[][],
  below: number[],
  split: number | undefined,
  share: EnumerateOptions['share'],
): number {
  if (perThread.length === 0) return 1;
  if (split === undefined || !share) return below[0]! * perThread[0]!.length;
  let prefixes = 1;
  for (let k = 0; k <= split; k++) prefixes *= perThread[k]!.length;
  const mine = Math.floor(prefixes / share.parts) + (share.part < prefixes % share.parts ? 1 : 0);
  return mine * below[split]!;
}

/**
 * The thread at which a split into `parts` happens: the first one whose prefixes number at
 * least a few per part, so that each worker gets a similar share.
 */
function splitDepth(perThread: Trace[][], parts: number): number {
  let prefixes = 1;
  for (let k = 0; k < perThread.length; k++) {
    prefixes *= perThread[k]!.length;
    if (prefixes >= parts * 4) return k;
  }
  return Math.max(0, perThread.length - 1);
}

/**
 * Lock primitives touch only spinlocks (a spinlock may also be used as data: lock.ts, and
 * herd7's mixed-lock-accesses flag).
 */
function checkSpinUse(test: Test, spin: boolean[], events: EventSpec[]): void {
  for (const e of events) {
    if (e.loc < 0 || e.lock === undefined || spin[e.loc]) continue;
    const name = test.locations[e.loc]!.name;
    throw new UserError(
      `${name} is not declared spinlock_t: the model needs lock primitives on spinlocks only`,
      test.file,
      e.instr.pos,
    );
  }
}
