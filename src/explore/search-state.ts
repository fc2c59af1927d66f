// What a state of the search (search.ts) is: each thread's interned prefix (prefixes.ts), what
// it waits past and how many reads it guessed; the state's key, by which a state met before is
// known; and what a state's traces say: the writes a read may take there, a lock's releases and
// holder.
//
// This module makes no state and chooses no branch: search.ts does.

import type { Value } from '../litmus/ir.ts';
import type { Trace } from '../model/core/events.ts';
import type { WriteKey } from './partial.ts';
import { keyOf, type Prefix, type Wait } from './prefixes.ts';
import { packKey, writesIn } from './thread.ts';

export interface ThreadState<R> {
  /**
   * Its answers and reads' sources (in the order answered), interned (prefixes.ts), with its
   * replay (done or asking) and its guesses still pending: each is to read from a write
   * another thread makes after the guess (guess-resolution.ts resolutions()).
   */
  p: Prefix<R>;
  /** Waiting at its read for a write (or at a lock for a release) not in these keys. */
  waiting?: Wait;
  /** lkmm: how many of its reads guessed (pending or not). */
  guesses: number;
}

/** A write a read may take its value from: its key, the key as one number (keyOf), its value. */
export interface Offer {
  key: WriteKey;
  id: number;
  value: Value;
}

/** Each replayed trace's writes by location, as Offers (a trace is never changed once replayed). */
const offersByTrace = new WeakMap<Trace, Map<number, Offer[]>>();

/** The writes (lock events apart) of `loc` in thread `thread`'s trace, in program order. */
export function offersIn(trace: Trace, thread: number, loc: number): readonly Offer[] {
  let byLoc = offersByTrace.get(trace);
  if (!byLoc) {
    byLoc = new Map();
    offersByTrace.set(trace, byLoc);
  }
  let out = byLoc.get(loc);
  if (!out) {
    out = writesIn(trace, loc).map((index) => {
      const key = { thread, index };
      return { key, id: keyOf(key), value: trace.events[index]!.value };
    });
    byLoc.set(loc, out);
  }
  return out;
}

/** The releases (spin_unlock's UL events) of lock `loc` done in a state, as keys. */
export function unlocksAt<R>(states: ThreadState<R>[], loc: number): number[] {
  const out: number[] = [];
  states.forEach((s, thread) => {
    s.p.replay.trace.events.forEach((e, index) => {
      if (e.loc === loc && e.lock === 'UL') out.push(keyOf({ thread, index }));
    });
  });
  return out;
}

/** The thread holding lock `loc` in a state (its last LKW of it not released), or -1. */
export function holder<R>(states: ThreadState<R>[], loc: number): number {
  for (const [thread, s] of states.entries()) {
    let held = false;
    for (const e of s.p.replay.trace.events)
      if (e.loc === loc && (e.lock === 'LKW' || e.lock === 'UL')) held = e.lock === 'LKW';
    if (held) return thread;
  }
  return -1;
}

/**
 * A state's key: per thread its prefix (answers and reads' sources, as its interned id:
 * prefixes.ts) and what it waits past (waiting with nothing offered yet, a lock no one
 * released, is not going on). A few characters a thread: a search keeps one key per state it
 * visited (hundreds of thousands), and the prefixes are far fewer than the states (their
 * product).
 */
export function stateKey<R>(states: ThreadState<R>[]): string {
  let key = '';
  for (const s of states) key += packKey2(s.p.id, s.waiting?.id ?? 0);
  return key;
}

/** packKey([a, b]), without the array: stateKey runs at every state. */
function packKey2(a: number, b: number): string {
  return a < 0xf000 && b < 0xf000 ? String.fromCharCode(a, b) : packKey([a, b]);
}
