// lkmm's guesses as the search (search.ts) meets them (docs/explore.md "lkmm's load buffering:
// guesses"): the domain a read guesses from (Guesses, kept by guesses.ts), the cap on guesses a
// path may make, and a pending guess's resolution — which writes made after it may be its
// source (resolutions), and whether some still can be, coherently and in lkmm's happens-before
// (justifiable; the coherence check is pending.ts, the lock hand-over lock-handover.ts).
//
// This module neither searches nor picks which read guesses what (search.ts, rounds.ts), nor
// keeps the domain (guesses.ts).

import type { Value } from '../litmus/ir.ts';
import type { Trace } from '../model/core/events.ts';
import { lockedPastGuess, marked, readIndex } from './lock-handover.ts';
import { lockWriteValue } from './lock-reads.ts';
import { eventId } from './partial.ts';
import { type PendingGuess, pendingCoherent, type WaitingRead } from './pending.ts';
import type { Guess, Prefixes } from './prefixes.ts';
import type { ThreadState } from './search-state.ts';
import { offersIn } from './search-state.ts';
import type { Space } from './thread.ts';
import { rmwGuessesFit, type WriteCounts, writesLeft } from './write-budget.ts';

/**
 * Guesses one search path may make (lkmm's cycles) unless told otherwise (a scenario's
 * `model.guesses`): no cap, since pending guesses are checked for coherence (pending.ts). A
 * path that needs more than a cap is cut.
 */
export const MAX_GUESSES = Number.POSITIVE_INFINITY;

/**
 * lkmm's guesses (docs/explore.md): which thread may write which value at a location — those
 * written in the executions accepted so far.
 */
export interface Guesses extends WriteCounts {
  /** The values a read of `loc` may guess, as some thread of `writers` may write them later. */
  values(loc: number, writers: readonly number[]): readonly Value[];
  /** Whether thread `u` may write `value` at `loc` (a write that can justify a guess). */
  writes(u: number, loc: number, value: Value): boolean;
  /** Whether such a write of `u` may be a plain one (outside lkmm's Marked). */
  plain(u: number, loc: number, value: Value): boolean;
}

/** An accepted execution's write, as the domain learns it (initial writes and lock events left out). */
export interface WriteSeen {
  loc: number;
  value: Value;
  thread: number;
  plain: boolean;
}

/**
 * A domain as explore.ts keeps it: learnt from accepted executions (guesses.ts SeenWrites), or
 * known before the search (static-guesses.ts).
 */
export interface GuessDomain extends Guesses {
  /** An accepted execution's writes; whether the domain grew. */
  execution(writes: readonly WriteSeen[]): boolean;
  /** A new round; whether the last one must run again (a write was added where it asked). */
  nextRound(): boolean;
}

/**
 * The state `states` as it is, then with pending guesses of other threads justified by the
 * writes thread t made past event `from` (each guess: left pending, or one of those writes as
 * its source), every combination.
 */
export function resolutions<R>(
  states: ThreadState<R>[],
  t: number,
  from: number,
  prefixes: Prefixes<R>,
): ThreadState<R>[][] {
  if (!states.some((x, u) => u !== t && x.p.guessed)) return [states];
  const events = states[t]!.p.trace.events;
  let out = [states];
  for (let index = from; index < events.length; index++) {
    const e = events[index]!;
    if (e.dir !== 'W') continue;
    for (const [u, x] of states.entries()) {
      if (u === t || !x.p.guessed) continue;
      for (const g of x.p.guessed) {
        // a lock read's guess is read from a lock write, a data read's from a data write
        const value = g.lock ? lockWriteValue(e) : e.lock ? undefined : e.value;
        if (g.loc !== e.loc || g.value !== value) continue;
        const source = { thread: t, index };
        out = out.concat(
          out.flatMap((s) => {
            const y = s[u]!;
            if (!y.p.guessed?.some((h) => h.read === g.read)) return [];
            const z: ThreadState<R> = { ...y, p: prefixes.resolved(y.p, g, source) };
            return [s.map((w, i) => (i === u ? z : w))];
          }),
        );
      }
    }
  }
  return out;
}

/**
 * Whether every pending guess of the state can still be justified: some other unfinished
 * thread may still write its value there (`guesses` says), and a write made after the state can
 * be its source with per-location coherence kept (pending.ts).
 */
export function justifiable<R>(
  states: ThreadState<R>[],
  guesses: Guesses,
  opts: { space: Space; guessPruning?: boolean; allMarked?: boolean },
): boolean {
  const pruning = opts.guessPruning !== false;
  // writes left needs every access marked (docs/explore.md "Known gap")
  const counts = pruning && opts.allMarked !== false;
  const pending: PendingGuess[] = [];
  // per thread, the threads that alone can resolve one of its guesses, in lkmm's hb
  const only = new Map<number, Map<number, number>>();
  // the guesses of rmws' reads that one thread alone can resolve (write-budget.ts)
  const rmwOnly: { loc: number; value: Value; u: number }[] = [];
  for (const [t, s] of states.entries())
    for (const g of s.p.guessed ?? []) {
      // (a lock read's: any other unfinished thread may still take or release the lock)
      const writers = states.flatMap((x, u) =>
        u !== t &&
        x.p.replay.kind === 'asks' &&
        (g.lock || canWrite(guesses, counts, x.p.trace, u, g))
          ? [u]
          : [],
      );
      if (writers.length === 0) return false;
      pending.push({ thread: t, loc: g.loc, read: g.read, writers });
      const u = writers[0]!;
      const at = readIndex(s.p.trace, g.read);
      const read = s.p.trace.events[at]!;
      if (writers.length > 1) continue;
      if (!g.lock && read.rmw === 'pair') rmwOnly.push({ loc: g.loc, value: g.value, u });
      // (a lock read's source is an LKW or a UL: marked)
      if (!marked(read) || (!g.lock && guesses.plain(u, g.loc, g.value))) continue;
      if (!only.has(t)) only.set(t, new Map());
      const byU = only.get(t)!;
      byU.set(u, Math.min(at, byU.get(u) ?? at));
    }
  if (pending.length === 0 || !pruning) return true;
  const traces = states.map((x) => x.p.trace);
  if (counts && rmwOnly.length > 1 && !rmwGuessesFit(traces, rmwOnly, guesses)) return false;
  if (only.size > 0 && lockedPastGuess(states, only)) return false;
  const isLock = opts.space.isLock.bind(opts.space);
  return pendingCoherent(
    states.map((x) => x.p),
    pending,
    isLock,
    waitingReads(states, isLock),
  );
}

/**
 * Whether thread u (its trace so far) may still write guess g's value there: the domain has it,
 * and (counts) u has not yet made as many such writes as one accepted execution did.
 */
function canWrite(guesses: Guesses, counts: boolean, trace: Trace, u: number, g: Guess) {
  return (
    guesses.writes(u, g.loc, g.value) && (!counts || writesLeft(trace, u, g.loc, g.value, guesses))
  );
}

/** The threads of the state waiting at a read of a data location (pending.ts WaitingRead). */
function waitingReads<R>(
  states: ThreadState<R>[],
  isLock: (loc: number) => boolean,
): WaitingRead[] {
  const out: WaitingRead[] = [];
  for (const [t, x] of states.entries()) {
    const r = x.p.replay;
    if (!x.waiting || r.kind !== 'asks' || r.question.kind !== 'read') continue;
    const loc = r.question.loc;
    if (r.question.lock || isLock(loc)) continue;
    const fresh: number[] = [];
    const writers: number[] = [];
    for (const [u, y] of states.entries()) {
      for (const w of offersIn(y.p.trace, u, loc))
        if (!x.waiting.keys.has(w.id)) fresh.push(eventId(u, w.key.index));
      if (u !== t && y.p.replay.kind === 'asks') writers.push(u);
    }
    out.push({ thread: t, loc, fresh, writers });
  }
  return out;
}
