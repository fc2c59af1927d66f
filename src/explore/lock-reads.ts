// The lock reads of the search: spin_is_locked() asked as a read of the lock's location
// (src/memory/explore.ts Tracer.held), answered from the lock writes of the state as lock.cat
// lets an RL or RU read (src/model/enumerate/lock.ts lockReadChoices, the same rules): an RL
// (held, answer 1) reads from an LKW, an RU (free, answer 0) from a UL or the initial write.
// Inside its own critical section a thread reads its own LKW and nothing else (rfi-lf,
// nested-is-locked); outside it, an RL reads another thread's LKW and an RU its own last UL,
// another thread's UL or the initial write.
//
// With a source, a lock read is checked for coherence early as a data read is (partial.ts):
// held then free with nothing released between, in one walk, is the cycle
// LKW -rf-> RL -po-> RU -fr-> LKW, pruned at once where it used to be found only by the model
// at the end (docs/explore.md, "Why yield-no-guard..."). The model still chooses every lock
// read's rf when it judges a combination: the search's source only prunes.
//
// This module neither searches nor judges: it says what a lock read may read now.

import type { Value } from '../litmus/ir.ts';
import type { EventSpec, Trace } from '../model/core/events.ts';

/** A write a lock read may read from: its thread (-1: the initial write) and trace index. */
interface LockSource {
  key: { thread: number; index: number };
  value: Value;
}

/** A lock read's answer: held (RL) or free (RU). */
export const HELD: Value = 1;
export const FREE: Value = 0;

/**
 * Whether the search answers event `e` with a source: every read but an LKR or LF (lock.ts gives
 * them their rf). The k-th such event of a trace is its k-th source (partial.ts, pending.ts).
 */
export function sourcedRead(e: EventSpec): boolean {
  return e.dir === 'R' && e.lock !== 'LKR' && e.lock !== 'LF';
}

/** What a lock write says to a lock read that reads from it: an LKW held, a UL free; else undefined. */
export function lockWriteValue(e: EventSpec): Value | undefined {
  if (e.lock === 'LKW') return HELD;
  if (e.lock === 'UL') return FREE;
  return undefined;
}

/**
 * The writes a lock read by thread `t` of lock `loc` may read from in a state whose threads'
 * traces so far are `traces`: each with the answer it gives (HELD, FREE).
 */
export function lockWritesAt(traces: readonly Trace[], t: number, loc: number): LockSource[] {
  const own = ownLockWrites(traces[t]!, loc);
  if (own.open >= 0) return [{ key: { thread: t, index: own.open }, value: HELD }];
  const out: LockSource[] = [{ key: { thread: -1, index: 0 }, value: FREE }];
  if (own.lastUnlock >= 0) out.push({ key: { thread: t, index: own.lastUnlock }, value: FREE });
  traces.forEach((trace, thread) => {
    if (thread === t) return;
    trace.events.forEach((e, index) => {
      const value = e.loc === loc ? lockWriteValue(e) : undefined;
      if (value !== undefined) out.push({ key: { thread, index }, value });
    });
  });
  return out;
}

/** A thread's LKW of `loc` not yet released (-1: none) and its last UL of `loc` (-1: none). */
function ownLockWrites(trace: Trace, loc: number): { open: number; lastUnlock: number } {
  let open = -1;
  let lastUnlock = -1;
  trace.events.forEach((e, index) => {
    if (e.loc !== loc) return;
    if (e.lock === 'LKW') open = index;
    else if (e.lock === 'UL') {
      open = -1;
      lastUnlock = index;
    }
  });
  return { open, lastUnlock };
}
