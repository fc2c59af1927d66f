// lkmm's value domain for guesses (docs/explore.md "lkmm's load buffering: guesses"): each
// value written in an accepted execution, per location and by which thread, and whether some
// such write was plain. The search asks it which values a read may guess, whether a pending
// guess can still be justified and whether its source may be plain (outside lkmm's
// happens-before: lock-handover.ts); explore.ts adds each accepted execution's writes.
//
// The search is complete for the domain it asked (the argument in docs/explore.md), so a round
// is the answer when no answer it was given would differ with the domain the round ended with:
// a round must run again only if a write was added at a location and thread asked about
// earlier in the round (the answers only grow with the domain). KeptGuesses keeps a domain's
// answers between its changes, since the search asks the same few questions at most states.
// This module neither searches nor judges.

import type { Value } from '../litmus/ir.ts';
import type { GuessDomain, WriteSeen } from './guess-resolution.ts';

export class SeenWrites implements GuessDomain {
  /** Per location, each value written there in an accepted execution, by which threads. */
  private readonly seen = new Map<number, Map<Value, Set<number>>>();
  /** The same, of the plain writes only (lkmm's hb holds only between marked events). */
  private readonly plainly = new Map<number, Map<Value, Set<number>>>();
  /**
   * Per `loc:thread:value` and `loc:thread` (any value), the most writes one accepted
   * execution made there (write-budget.ts: what a thread may still write).
   */
  private readonly most = new Map<string, number>();
  /** (location, thread) pairs asked about in this round. */
  private asked = new Set<string>();
  /** A write was added at a pair asked about earlier in this round. */
  private late = false;

  /**
   * Thread `thread` wrote `value` at `loc` in an accepted execution (`plain`: a plain write);
   * whether that was new (a new value or thread, or the first plain one).
   */
  wrote(loc: number, value: Value, thread: number, plain = false): boolean {
    const added = add(this.seen, loc, value, thread);
    const addedPlain = plain && add(this.plainly, loc, value, thread);
    if (!added && !addedPlain) return false;
    if (this.asked.has(`${loc}:${thread}`)) this.late = true;
    return true;
  }

  /**
   * An accepted execution's writes (each: location, value, thread, plain), initial writes and
   * lock events left out; whether the domain grew (a new value, a plain one, or more writes
   * at a location than any execution before made).
   */
  execution(writes: readonly WriteSeen[]): boolean {
    let grew = false;
    const counts = new Map<string, number>();
    const count = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const w of writes) {
      if (this.wrote(w.loc, w.value, w.thread, w.plain)) grew = true;
      count(`${w.loc}:${w.thread}:${w.value}`);
      count(`${w.loc}:${w.thread}`);
    }
    for (const [key, n] of counts) {
      if (n <= (this.most.get(key) ?? 0)) continue;
      this.most.set(key, n);
      grew = true;
      const [loc, thread] = key.split(':');
      if (this.asked.has(`${loc}:${thread}`)) this.late = true;
    }
    return grew;
  }

  times(u: number, loc: number, value?: Value): number {
    this.ask(loc, u);
    return this.most.get(value === undefined ? `${loc}:${u}` : `${loc}:${u}:${value}`) ?? 0;
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

  plain(u: number, loc: number, value: Value): boolean {
    this.ask(loc, u);
    return this.plainly.get(loc)?.get(value)?.has(u) ?? false;
  }

  private ask(loc: number, u: number): void {
    this.asked.add(`${loc}:${u}`);
  }
}

/** Adds (loc, value, thread) to a table of writes; whether it was not there. */
export function add(
  to: Map<number, Map<Value, Set<number>>>,
  loc: number,
  value: Value,
  thread: number,
) {
  let byValue = to.get(loc);
  if (!byValue) {
    byValue = new Map();
    to.set(loc, byValue);
  }
  let threads = byValue.get(value);
  if (!threads) {
    threads = new Set();
    byValue.set(value, threads);
  }
  if (threads.has(thread)) return false;
  threads.add(thread);
  return true;
}

/** times()'s key for writes of any value (no value is NaN). */
const ALL = Number.NaN;

/**
 * lkmm's guess domain (guesses.ts) as the search asks it: each answer kept until the domain may
 * have changed — an accepted execution's writes added, or a new round (whose questions must be
 * noted again) — since the search asks the same few questions at most of its states.
 */
export class KeptGuesses implements GuessDomain {
  /** values(), by location and the writers as a bit mask. */
  private readonly values_ = new Map<number, readonly Value[]>();
  /** writes(), by location, then value and thread. */
  private readonly writes_ = new Map<number, Map<number, boolean>>();
  /** plain() and times(), by location, then value (ALL: times() of any value) and thread. */
  private readonly plain_ = new Map<number, Map<Value, Map<number, boolean>>>();
  private readonly times_ = new Map<number, Map<Value, Map<number, number>>>();

  constructor(private readonly seen: GuessDomain) {}

  /** Only what the domain did not have changes its answers (most executions repeat it). */
  execution(writes: readonly WriteSeen[]): boolean {
    const grew = this.seen.execution(writes);
    if (grew) this.forget();
    return grew;
  }

  nextRound(): boolean {
    this.forget();
    return this.seen.nextRound();
  }

  values(loc: number, writers: readonly number[]): readonly Value[] {
    let mask = 0;
    for (const u of writers) mask += u < 30 ? 2 ** u : Number.NaN;
    if (Number.isNaN(mask)) return this.seen.values(loc, writers);
    const key = loc * 2 ** 30 + mask;
    let out = this.values_.get(key);
    if (!out) {
      out = this.seen.values(loc, writers);
      this.values_.set(key, out);
    }
    return out;
  }

  writes(u: number, loc: number, value: Value): boolean {
    if (u >= 64) return this.seen.writes(u, loc, value);
    let byValue = this.writes_.get(loc);
    if (!byValue) {
      byValue = new Map();
      this.writes_.set(loc, byValue);
    }
    const key = value * 64 + u;
    let out = byValue.get(key);
    if (out === undefined) {
      out = this.seen.writes(u, loc, value);
      byValue.set(key, out);
    }
    return out;
  }

  plain(u: number, loc: number, value: Value): boolean {
    return this.kept(this.plain_, u, loc, value, () => this.seen.plain(u, loc, value));
  }

  times(u: number, loc: number, value?: Value): number {
    return this.kept(this.times_, u, loc, value ?? ALL, () => this.seen.times(u, loc, value));
  }

  /** An answer by location, then value and thread (asked of the domain once, then kept). */
  private kept<T>(
    table: Map<number, Map<Value, Map<number, T>>>,
    u: number,
    loc: number,
    value: Value | typeof ALL,
    ask: () => T,
  ): T {
    let byValue = table.get(loc);
    if (!byValue) {
      byValue = new Map();
      table.set(loc, byValue);
    }
    let byThread = byValue.get(value);
    if (!byThread) {
      byThread = new Map();
      byValue.set(value, byThread);
    }
    let out = byThread.get(u);
    if (out === undefined) {
      out = ask();
      byThread.set(u, out);
    }
    return out;
  }

  private forget(): void {
    this.values_.clear();
    this.writes_.clear();
    this.plain_.clear();
    this.times_.clear();
  }
}
