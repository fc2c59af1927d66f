// --ablate for a program scenario: each call of an ordering primitive the scenario makes,
// identified by its line in the scenario's source, weakened alone, and the variant explored
// again: the outcomes that become reachable are what that call was there for.
//
// A call site is weakened in the exploring memory (src/memory/explore.ts, Weakening), which asks
// here, at each event that orders, whether the call running now is the one ablated
// (call-site.ts reads the stack): its fences are dropped, its acquire and release accesses
// become ONCE, its fully ordered, acquire and release rmw become _relaxed — smp_rmb() is
// removed, smp_load_acquire() becomes READ_ONCE(), read_lock() keeps its atomics but loses
// their acquire. A spin_lock() or spin_trylock() the scenario calls is removed as a whole, with
// the spin_unlock() that releases it (lock.cat's events are the lock's ordering and its
// exclusion at once). The sites are found by the variant's own exploration, which asks the
// stack at each ordering event (ablateSites).
//
// This module finds and weakens sites and compares verdicts; run.ts runs the explorations.

import type { Scenario } from '../kernel/scenario.ts';
import type { Weakening } from '../memory/explore.ts';
import { type CallSite, callSite, siteKey } from './call-site.ts';
import type { ThreadWeakening } from './scenario.ts';
import type { ModelOutcome, ModelVariantResult, ScenarioAblationRow } from './scenario-result.ts';

/** One call site of an ordering primitive in the scenario's code: an ablation's element. */
export interface AblationSite extends CallSite {
  /** siteKey(): how the exploration that weakens it recognises it. */
  key: string;
  /** The ordering primitives the call made there: `smp_rmb`, `atomic_fetch_add_acquire`. */
  ops: string[];
  /** The threads that made it, by number. */
  threads: number[];
}

/** What weakening one site is: a call removed, or each primitive it makes weakened. */
export function changeOf(site: Pick<AblationSite, 'call' | 'ops'>): string {
  if (site.ops.includes(site.call) && LOCKS.has(site.call))
    return 'lock removed, with its spin_unlock()';
  if (site.ops.length === 1 && site.ops[0] === site.call) {
    const weaker = weakerForm(site.call);
    return weaker ? `${site.call} → ${weaker}` : 'removed';
  }
  return site.ops
    .map((op) => {
      const weaker = weakerForm(op);
      return weaker ? `${op} → ${weaker}` : `${op} removed`;
    })
    .join(', ');
}

/** The locks the scenario may take itself: removed whole. */
const LOCKS: ReadonlySet<string> = new Set(['spin_lock', 'spin_trylock']);

/** An ordering access's or rmw's unordered form; undefined for a fence (removed). */
function weakerForm(op: string): string | undefined {
  if (op === 'smp_load_acquire') return 'READ_ONCE';
  if (op === 'smp_store_release') return 'WRITE_ONCE';
  const m = /^(.*?)(?:_acquire|_release)?$/.exec(op)!;
  if (/^(?:atomic64_|atomic_|xchg|cmpxchg)/.test(op)) return `${m[1]}_relaxed`;
  return undefined;
}

/**
 * A Weakening per thread that weakens nothing and notes, at each ordering event, the call site
 * that made it: the elements of the variant's ablation. The loop's own barrier (cpu_relax(),
 * the kernel API's waits) is no element; barrier() called by the scenario is.
 */
export function siteFinder(): {
  weakening: (thread: number) => ThreadWeakening;
  sites: () => AblationSite[];
} {
  const found = new Map<string, AblationSite>();
  const weakening = (thread: number): ThreadWeakening => ({
    reset: () => {},
    weakens: (op, what) => {
      if (what === 'unlock') return false;
      const site = callSite(op);
      if (!site || !isElement(site, op, what)) return false;
      const key = siteKey(site);
      let s = found.get(key);
      if (!s) {
        s = { ...site, key, ops: [], threads: [] };
        found.set(key, s);
      }
      if (!s.ops.includes(op)) s.ops.push(op);
      if (!s.threads.includes(thread)) s.threads.push(thread);
      return false;
    },
  });
  const sites = () =>
    [...found.values()].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col,
    );
  return { weakening, sites };
}

function isElement(site: CallSite, op: string, what: 'order' | 'lock'): boolean {
  if (what === 'lock') return site.call === op;
  return op !== 'barrier' || site.call === 'barrier';
}

/** The Weakening of one site: its ordering events weakened, its locks removed with their unlocks. */
export function siteWeakening(
  site: Pick<AblationSite, 'key' | 'ops'>,
): (thread: number) => ThreadWeakening {
  const ops = new Set(site.ops);
  return () => {
    // Locks this run removed, by location: their spin_unlock() is removed too.
    const removed = new Set<number>();
    const weakening: Weakening = {
      weakens: (op, what, loc) => {
        if (what === 'unlock') return removed.delete(loc);
        // Only the primitives the site makes can be its events: ask the stack for those alone.
        if (!ops.has(op)) return false;
        const here = callSite(op);
        if (!here || siteKey(here) !== site.key || !isElement(here, op, what)) return false;
        if (what === 'lock') removed.add(loc);
        return true;
      },
    };
    return { ...weakening, reset: () => removed.clear() };
  };
}

/** One row: the weakened variant's verdicts against the variant's own. */
export function ablationRow(
  s: Scenario,
  base: ModelVariantResult,
  site: AblationSite,
  weakened: ModelVariantResult,
  element: string,
): ScenarioAblationRow {
  // How far the variant as written reaches each outcome: never, with a data race only, race-free.
  const level = (o: ModelOutcome) => (o.verdict !== 'reachable' ? 0 : o.raceFree > 0 ? 2 : 1);
  const before = new Map(base.outcomes.map((o) => [o.outcome, level(o)]));
  return {
    variant: base.variant,
    element,
    threads: site.threads.map((t) => s.threads[t]!.name),
    change: changeOf(site),
    newlyReachable: weakened.outcomes
      .filter((o) => level(o) > (before.get(o.outcome) ?? 0))
      .map((o) => ({
        outcome: o.outcome,
        grade: o.grade,
        ...(before.get(o.outcome) === 1 && { raceFree: true as const }),
      })),
    extent: weakened.extent,
    baseExtent: base.extent,
    executions: weakened.executions,
    elapsedSeconds: weakened.elapsedSeconds,
  };
}
