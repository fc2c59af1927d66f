// Whether a run cut at the loop bound with its last pass repeating the one before it (thread.ts)
// is evidence of a livelock: a loop that retries without bound *while the others make no
// progress* (issue 15). A repeating pass alone is not: `while (READ_ONCE(flag) == 0)
// cpu_relax();` repeats while the CPU that sets the flag has not run yet, or while its write has
// not reached this CPU, and any fair schedule ends it. So the search (search.ts) asks, in the
// state where it cut the run, whether anything the other threads can still do changes what the
// repeating pass reads (docs/explore.md "Possible livelock"):
//
// - every other thread has finished, waits for good (at an await no write done lets out, at a
//   lock another holds), or goes round a repeating pass of its own (its last two passes alike);
// - every read of the pass reads what memory settles at: the value of every thread's last write
//   there (this thread's own before the pass), or the initial value when none wrote there. A
//   read of the pass's own earlier write, and a location another repeating thread writes, are
//   the cycle's own.
//
// Sound neither way (a label, never a verdict): a pass counter outside the explorer's view can
// make alike passes differ (a delay loop with reads taken for one going round; one whose pass
// reads nothing the search runs on past the bound first: search.ts endsOnItsOwn), and a state
// may be met where a write not yet made would break the cycle only after the cut. The extent still says
// "within loop bound B": nothing here makes an answer exhaustive.

import type { Value } from '../litmus/ir.ts';
import type { TracedEvent } from '../memory/explore.ts';
import type { EventSpec, Trace } from '../model/core/events.ts';
import { holder, type ThreadState } from './search-state.ts';
import { writesIn } from './thread.ts';

/** A run cut at the loop bound whose last pass (the trace's last events) repeats the one before. */
export interface RepeatingCut {
  trace: Trace;
  cycle: readonly TracedEvent[];
}

/**
 * Whether thread t, cut in state `states` with the repeating pass `cut`, goes round while the
 * others make no progress. `blocked(u)`: thread u is at an await that every write it may read
 * leaves blocked (search.ts).
 */
export function livelocked<R>(
  states: readonly ThreadState<R>[],
  t: number,
  cut: RepeatingCut,
  init: (loc: number) => Value,
  blocked: (u: number) => boolean,
): boolean {
  const events = cut.trace.events;
  const start = events.length - cut.cycle.length;
  const going = new Set<number>();
  for (const [u, s] of states.entries()) {
    const r = s.p.replay;
    if (u === t || r.kind === 'done') continue;
    // (a run cut before its first question: the search's roots)
    if ((r.kind === 'asks' && r.repeats) || (r.kind === 'cut' && r.cycle)) going.add(u);
    else if (!waitsForGood(states, u, t, events.slice(start), blocked)) return false;
  }
  for (let i = start; i < events.length; i++) {
    const e = events[i]!;
    if (e.dir !== 'R' || e.lock || wroteBetween(events, start, i, e.loc)) continue;
    if ([...going].some((u) => writesIn(states[u]!.p.trace, e.loc).length > 0)) continue;
    const last = lastWrites(states, t, events, start, e.loc, going);
    if (!(last.length > 0 ? last.every((v) => v === e.value) : init(e.loc) === e.value))
      return false;
  }
  return true;
}

/**
 * Thread u waits for good while t goes round: at an await no write lets out, or at spin_lock()
 * of a lock another thread holds (t only if its pass never releases it). A spin_trylock() could
 * fail instead and go on.
 */
function waitsForGood<R>(
  states: readonly ThreadState<R>[],
  u: number,
  t: number,
  pass: readonly EventSpec[],
  blocked: (u: number) => boolean,
): boolean {
  const r = states[u]!.p.replay;
  if (r.kind !== 'asks') return false;
  const q = r.question;
  if (q.kind === 'choice') return false;
  if (q.kind === 'read') return blocked(u);
  if (q.attempt) return false;
  const by = holder(states as ThreadState<R>[], q.loc);
  if (by < 0) return false;
  return by !== t || !pass.some((e) => e.loc === q.loc && e.lock === 'UL');
}

/** Whether events[from..to) write `loc` (lock events apart). */
function wroteBetween(
  events: readonly EventSpec[],
  from: number,
  to: number,
  loc: number,
): boolean {
  for (let i = from; i < to; i++) {
    const e = events[i]!;
    if (e.dir === 'W' && !e.lock && e.loc === loc) return true;
  }
  return false;
}

/**
 * The value of each thread's last write of `loc`: t's before its pass, the others' in the state
 * (not those going round: their writes are the cycle's). Memory settles at one of them.
 */
function lastWrites<R>(
  states: readonly ThreadState<R>[],
  t: number,
  events: readonly EventSpec[],
  start: number,
  loc: number,
  going: ReadonlySet<number>,
): Value[] {
  const out: Value[] = [];
  for (let i = start - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.dir === 'W' && !e.lock && e.loc === loc) {
      out.push(e.value);
      break;
    }
  }
  for (const [u, s] of states.entries()) {
    if (u === t || going.has(u)) continue;
    const writes = writesIn(s.p.trace, loc);
    if (writes.length > 0) out.push(s.p.trace.events[writes.at(-1)!]!.value);
  }
  return out;
}
