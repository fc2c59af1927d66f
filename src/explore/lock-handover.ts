// lkmm: a state the search may drop because a thread waits at spin_lock() past a pending guess
// only it can resolve (docs/explore.md "A lock waited for past a pending guess").
//
// Thread u waits at spin_lock(l), offered every release of l made so far: it takes the lock
// from a release (spin_unlock's UL) another thread w makes after the state, and everything u
// does later follows that LKR in program order. If w has a pending guess g only u can resolve,
// g reads a write F that u makes later, and
//
//   g --po--> UL (w)  --rfe--> LKR (u)  --po--> F (u)  --rfe--> g
//
// is a cycle of lkmm's happens-before, hb = [Marked] ; (ppo | rfe | ...) ; [Marked]
// (linux-kernel.cat), when g and F are marked: po-rel ([M] ; po ; [Release], a UL is a
// Release) and acq-po ([Acquire] ; po ; [M], an LKR is an Acquire: lock.cat) are in ppo, and
// rf between two threads' marked events is rfe. So when every thread that may still make that
// release has such a guess, no execution below the state is one lkmm accepts; when none may,
// u never takes the lock and never writes F. g's annotation is in its thread's trace; F's is
// the domain's answer (guesses.ts: whether u wrote g's value there plainly in an accepted
// execution), as its value is. A lock held by u itself or by a finished thread is left alone:
// that is a deadlock, which the search reports where it meets it (deadlocked-state.ts).
//
// This module neither searches nor decides which guesses are pending (guess-resolution.ts).

import type { EventSpec, Trace } from '../model/core/events.ts';
import { sourcedRead } from './lock-reads.ts';
import { holder, type ThreadState, unlocksAt } from './search-state.ts';

/**
 * Per thread w, the threads u such that w has a marked pending guess only u can resolve, with
 * the trace index of w's earliest such guess.
 */
export type OnlyResolvers = ReadonlyMap<number, ReadonlyMap<number, number>>;

/** Whether some thread's later writes follow, in hb, a pending guess they must resolve (the top). */
export function lockedPastGuess<R>(states: ThreadState<R>[], only: OnlyResolvers): boolean {
  return waitsPastLock(states, only) || holdsPastGuess(states, only);
}

/** Whether some thread waits at a lock past a pending guess only it can resolve. */
function waitsPastLock<R>(states: ThreadState<R>[], only: OnlyResolvers): boolean {
  for (const [u, x] of states.entries()) {
    const r = x.p.replay;
    if (!x.waiting || r.kind !== 'asks' || r.question.kind !== 'lock') continue;
    const l = r.question.loc;
    const by = holder(states, l);
    if (by === u || (by >= 0 && states[by]!.p.replay.kind !== 'asks')) continue;
    if (!unlocksAt(states, l).every((k) => x.waiting!.keys.has(k))) continue;
    const releasers = states.flatMap((y, w) => (w !== u && y.p.replay.kind === 'asks' ? [w] : []));
    if (releasers.every((w) => only.get(w)?.has(u))) return true;
  }
  return false;
}

/**
 * Whether some thread u holds a lock that thread w released after a pending guess only u can
 * resolve: u's critical section comes after w's, so u's LKR follows w's UL in hb (rfe, or a
 * chain of critical sections: acq-po and po-rel between their LKR and UL), and so does every
 * later write of u.
 */
function holdsPastGuess<R>(states: ThreadState<R>[], only: OnlyResolvers): boolean {
  for (const [w, byU] of only)
    for (const [u, at] of byU) {
      const events = states[w]!.p.trace.events;
      for (let i = at + 1; i < events.length; i++) {
        const e = events[i]!;
        if (e.lock === 'UL' && holder(states, e.loc) === u) return true;
      }
    }
  return false;
}

/** Whether an event is in lkmm's Marked (linux-kernel.bell: every access but a plain one). */
export function marked(e: EventSpec): boolean {
  return e.annot !== 'plain' || e.rmw !== undefined || e.lock !== undefined;
}

/** The trace index of a trace's answered read number `read` (its index among the sourced reads). */
export function readIndex(trace: Trace, read: number): number {
  let k = 0;
  const events = trace.events;
  for (let i = 0; i < events.length; i++) if (sourcedRead(events[i]!) && k++ === read) return i;
  return -1;
}
