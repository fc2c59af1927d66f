// lkmm's value domain for guesses (docs/explore.md "lkmm's load buffering: guesses"): each
// value written in an accepted execution, per location and by which thread. The search asks it
// which values a read may guess and whether a pending guess can still be justified; explore.ts
// adds each accepted execution's writes.
//
// The search is complete for the domain it asked (the argument in docs/explore.md), so a round
// is the answer when no answer it was given would differ with the domain the round ended with:
// a round must run again only if a write was added at a location and thread asked about
// earlier in the round (the answers only grow with the domain). This module neither searches
// nor judges.

import type { Value } from '../litmus/ir.ts';
import type { Guesses } from './guess-resolution.ts';

export class SeenWrites implements Guesses {
  /** Per location, each value written there in an accepted execution, by which threads. */
  private readonly seen = new Map<number, Map<Value, Set<number>>>();
  /** (location, thread) pairs asked about in this round. */
  private asked = new Set<string>();
  /** A write was added at a pair asked about earlier in this round. */
  private late = false;

  /** Thread `thread` wrote `value` at `loc` in an accepted execution; whether that was new. */
  wrote(loc: number, value: Value, thread: number): boolean {
    let byValue = this.seen.get(loc);
    if (!byValue) {
      byValue = new Map();
      this.seen.set(loc, byValue);
    }
    let threads = byValue.get(value);
    if (!threads) {
      threads = new Set();
      byValue.set(value, threads);
    }
    if (threads.has(thread)) return false;
    threads.add(thread);
    if (this.asked.has(`${loc}:${thread}`)) this.late = true;
    return true;
  }

  /** A new round; returns whether the last one must run again (see the top). */
  nextRound(): boolean {
    const again = this.late;
    this.late = false;
    this.asked = new Set();
    return again;
  }

  values(loc: number, writers: readonly number[]): Value[] {
    for (const u of writers) this.ask(loc, u);
    return [...(this.seen.get(loc) ?? [])].flatMap(([v, by]) =>
      writers.some((u) => by.has(u)) ? [v] : [],
    );
  }

  writes(u: number, loc: number, value: Value): boolean {
    this.ask(loc, u);
    return this.seen.get(loc)?.get(value)?.has(u) ?? false;
  }

  private ask(loc: number, u: number): void {
    this.asked.add(`${loc}:${u}`);
  }
}
