// lkmm's guess domain known before the search (docs/explore.md "The guesses' domain of a litmus
// test"): every write each thread's code can make, read off a litmus test's IR. The model's
// interpreter gives every trace of a thread with its reads taking the values of the model's own
// domains (src/model/enumerate/values.ts, which both sides of every branch fed), so each write
// an execution the model judges can make is a write of one of those traces: a guess offered
// these values misses none, whatever cycle produced them (a load-buffering cycle through a plain
// access, which the domain of accepted executions, guesses.ts, cannot see). The explorer uses it
// where a plain access makes that other domain incomplete; it never grows, so one round.
//
// This module neither searches nor judges; it does not know the IR, only the traces.

import type { Value } from '../litmus/ir.ts';
import type { Trace } from '../model/core/events.ts';
import type { GuessDomain } from './guess-resolution.ts';
import { add } from './guesses.ts';
import { marked } from './lock-handover.ts';

/** A (location, value) pair some read of the model can return. */
export type Readable = (loc: number, value: Value) => boolean;

export class StaticWrites implements GuessDomain {
  /** Per location, each value a thread may write there that a read can return, by which threads. */
  private readonly seen = new Map<number, Map<Value, Set<number>>>();
  /** The same, of the plain writes only. */
  private readonly plainly = new Map<number, Map<Value, Set<number>>>();
  /** Per `loc:thread:value` and `loc:thread`, the most writes one trace of the thread makes there. */
  private readonly most = new Map<string, number>();

  /** `traces[u]`: every trace of thread u; a write of a value no read can return is no guess. */
  constructor(traces: readonly (readonly Trace[])[], readable: Readable) {
    for (const [u, ofThread] of traces.entries())
      for (const trace of ofThread) {
        const counts = new Map<string, number>();
        for (const e of trace.events) {
          if (e.dir !== 'W' || e.lock) continue;
          for (const key of [`${e.loc}:${u}:${e.value}`, `${e.loc}:${u}`])
            counts.set(key, (counts.get(key) ?? 0) + 1);
          if (!readable(e.loc, e.value)) continue;
          add(this.seen, e.loc, e.value, u);
          if (!marked(e)) add(this.plainly, e.loc, e.value, u);
        }
        for (const [key, n] of counts) if (n > (this.most.get(key) ?? 0)) this.most.set(key, n);
      }
  }

  /** Nothing an execution writes is new here. */
  execution(): boolean {
    return false;
  }

  /** Known from the start: a round never needs to run again. */
  nextRound(): boolean {
    return false;
  }

  values(loc: number, writers: readonly number[]): Value[] {
    return [...(this.seen.get(loc) ?? [])].flatMap(([v, by]) =>
      writers.some((u) => by.has(u)) ? [v] : [],
    );
  }

  writes(u: number, loc: number, value: Value): boolean {
    return this.seen.get(loc)?.get(value)?.has(u) ?? false;
  }

  plain(u: number, loc: number, value: Value): boolean {
    return this.plainly.get(loc)?.get(value)?.has(u) ?? false;
  }

  times(u: number, loc: number, value?: Value): number {
    return this.most.get(value === undefined ? `${loc}:${u}` : `${loc}:${u}:${value}`) ?? 0;
  }
}
