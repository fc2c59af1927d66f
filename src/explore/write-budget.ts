// lkmm: how many more writes a thread may make at a location, as the accepted executions bound
// it (docs/explore.md "Writes left"). The domain (guesses.ts) keeps, per thread and location, the
// most writes one accepted execution made there, of each value and in all; a pending guess
// whose value a thread has already written there that many times cannot be resolved by it, and
// k pending guesses of rmws' reads that only thread u can resolve need k distinct writes of u
// (two rmws never read one write: lkmm's atomicity, rmw & (fre ; coe) empty, and coherence
// within a thread), so u must have that many left, of each value and in all.
//
// This module neither decides which guesses are pending nor searches (guess-resolution.ts does).

import type { Value } from '../litmus/ir.ts';
import type { Trace } from '../model/core/events.ts';

/** What this module asks of the domain (guess-resolution.ts Guesses has it). */
export interface WriteCounts {
  /** The most writes `u` made at `loc` (of `value`, or of any) in one accepted execution. */
  times(u: number, loc: number, value?: Value): number;
}

/** A trace's writes so far at a location: of each value, and in all. */
interface Made {
  ofValue: Map<Value, number>;
  inAll: number;
}

/** Each trace's writes by location (a trace never changes once replayed). */
const madeByTrace = new WeakMap<Trace, Map<number, Made>>();

/** A trace's data writes at `loc` (of `value`, or of any value). */
function made(trace: Trace, loc: number, value?: Value): number {
  let byLoc = madeByTrace.get(trace);
  if (!byLoc) {
    byLoc = new Map();
    for (const e of trace.events) {
      if (e.dir !== 'W' || e.lock) continue;
      let m = byLoc.get(e.loc);
      if (!m) {
        m = { ofValue: new Map(), inAll: 0 };
        byLoc.set(e.loc, m);
      }
      m.inAll++;
      m.ofValue.set(e.value, (m.ofValue.get(e.value) ?? 0) + 1);
    }
    madeByTrace.set(trace, byLoc);
  }
  const m = byLoc.get(loc);
  if (!m) return 0;
  return value === undefined ? m.inAll : (m.ofValue.get(value) ?? 0);
}

/** Whether thread u (its trace so far) may still write `value` at `loc`, and `more` in all there. */
export function writesLeft(
  trace: Trace,
  u: number,
  loc: number,
  value: Value,
  guesses: WriteCounts,
  more = { ofValue: 1, inAll: 1 },
): boolean {
  return (
    made(trace, loc, value) + more.ofValue <= guesses.times(u, loc, value) &&
    made(trace, loc) + more.inAll <= guesses.times(u, loc)
  );
}

/**
 * Whether the pending guesses of rmws' reads that one thread alone can resolve (each: its
 * location, value and that thread) leave that thread writes enough, one each.
 */
export function rmwGuessesFit(
  traces: readonly Trace[],
  only: readonly { loc: number; value: Value; u: number }[],
  guesses: WriteCounts,
): boolean {
  const need = new Map<string, number>();
  for (const g of only) {
    for (const key of [`${g.u}:${g.loc}:${g.value}`, `${g.u}:${g.loc}`])
      need.set(key, (need.get(key) ?? 0) + 1);
  }
  for (const g of only) {
    const more = {
      ofValue: need.get(`${g.u}:${g.loc}:${g.value}`)!,
      inAll: need.get(`${g.u}:${g.loc}`)!,
    };
    if (!writesLeft(traces[g.u]!, g.u, g.loc, g.value, guesses, more)) return false;
  }
  return true;
}
