// The search's early check of a whole state (search.ts): the part of every execution that
// completes it, judged by per-location coherence (coherence.ts) and by the model's monotone
// axioms (Model.broken, as the model's own enumeration prunes prefixes:
// src/model/enumerate/prefix.ts). A state is each thread's trace so far (a prefix, in program
// order, of the trace of every run that extends it: replay is deterministic) and the write
// each read takes its value from. Its partial execution holds those events, that reads-from (a
// guessed read has none yet) and the coherence edges every accepted completion has
// (coherence.ts), closed transitively; each of its relations is contained in the completion's
// over the same events (a thread's later events only add pairs: lkmm's sets are per event, its
// fences sit between events of one prefix, rcu-rscs matches the locks the prefix closes). So
// when `broken` rejects it, no completion is accepted and the search abandons the state with
// everything below it — GenMC's consistency check of each graph, for the axioms that more
// events and edges cannot repair.
//
// The model is asked only when the step added a read with a known source: events that end a
// thread's program order and read nothing (writes, fences) have no edge out of them in po, rf,
// co or fr, so they close no cycle. This module neither runs code nor chooses answers.

import type { Test } from '../litmus/ir.ts';
import type { Model } from '../model/core/base.ts';
import type { Trace } from '../model/core/events.ts';
import { plus, Relation } from '../model/core/relation.ts';
import { ShapeCache } from '../model/enumerate/shape.ts';
import {
  type CoherenceEvent,
  coherent,
  coherentStep,
  NO_SOURCE,
  type ThreadCoherence,
  threadCoherence,
} from './coherence.ts';
import { sourcedRead } from './lock-reads.ts';
import { MAX_THREAD_EVENTS } from './thread.ts';

/** The largest state (events, initial writes included) whose shape is kept for the next check. */
const KEPT_EVENTS = 128;

/** A write of the state: its thread and its index in that thread's trace (-1: the initial one). */
export interface WriteKey {
  thread: number;
  index: number;
}

/** Where a read's value comes from: a write of the state, or (lkmm) a guess. */
export type Source = WriteKey | 'guess';

/**
 * One thread of a state: its trace so far and its reads' sources, in the order answered. The
 * search hands each distinct prefix as one object (prefixes.ts), and PartialCheck keeps its
 * check on it (`checked`), so that each prefix is checked once.
 */
export interface PartialThread {
  trace: Trace;
  sources: readonly Source[];
  checked?: CheckedThread;
  /** The thread's prefix one step shorter, if any: its trace and sources are a prefix of these. */
  readonly parent?: PartialThread;
}

/** Ids of one thread's events: event i of thread t is (t + 1) * THREAD_IDS + i; below that, the initial writes by location. */
const THREAD_IDS = MAX_THREAD_EVENTS + 1;

/** Event `index` of thread `thread` as one integer that does not move as other threads grow. */
export const eventId = (thread: number, index: number): number => (thread + 1) * THREAD_IDS + index;

/**
 * One thread prefix checked: its coherence (undefined: none can be) and the reads-from its
 * events add, as [write, read] id pairs, flattened (`before` holds the rest). Kept for every
 * prefix of a search, so each holds only what its own events add, as ThreadCoherence does.
 */
export interface CheckedThread {
  coherence: ThreadCoherence | undefined;
  rf: readonly number[];
  /** The check of a shorter prefix of the thread, whose rf these go on from. */
  before: CheckedThread | undefined;
  /** The trace's events and the sources it covers (a longer prefix goes on from there). */
  events: number;
  reads: number;
}

const NO_RF: readonly number[] = Object.freeze([]);

/**
 * Thread th's memory events, numbered so that the numbers do not move as other threads grow;
 * from its parent prefix's check when there is one (the events before are the same).
 */
function checkThread(test: Test, th: number, t: PartialThread): CheckedThread {
  const { trace, sources } = t;
  const before = t.parent?.checked;
  // A thread incoherent alone stays so however it goes on.
  if (before && !before.coherence) return before;
  const base = eventId(th, 0);
  const memory: CoherenceEvent[] = [];
  // The k-th read of the trace (an LKR or LF apart: lock.ts gives them their rf) is the k-th
  // read answered. On a spinlock, its lock events (spin_is_locked()'s RL and RU with their
  // sources: lock-reads.ts) are checked as data accesses are; its data accesses are lock.ts's.
  let k = before?.reads ?? 0;
  const events = trace.events;
  for (let i = before?.events ?? 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.dir === 'F' || e.lock === 'LKR' || e.lock === 'LF') continue;
    const from = sourcedRead(e) ? sources[k++] : undefined;
    if (!e.lock && test.locations[e.loc]!.type === 'spinlock') continue;
    const known = from !== undefined && from !== 'guess';
    const rmw = e.dir === 'R' && e.rmw ? rmwWrite(trace, i) : -1;
    memory.push({
      id: base + i,
      loc: e.loc,
      dir: e.dir,
      from: known ? (from.thread < 0 ? e.loc : eventId(from.thread, from.index)) : NO_SOURCE,
      fromOwn: known && from.thread === th,
      rmwWrite: rmw >= 0 ? base + rmw : NO_SOURCE,
    });
  }
  const rf: number[] = [];
  for (const e of memory) if (e.dir === 'R' && e.from !== NO_SOURCE) rf.push(e.from, e.id);
  return {
    coherence: threadCoherence(memory, before?.coherence),
    // (copied to its length: kept for the whole search)
    rf: rf.length > 0 ? rf.slice() : NO_RF,
    before,
    events: events.length,
    reads: k,
  };
}

/** The write an rmw's read at `read` is paired with in the trace, or -1 (a failed rmw). */
function rmwWrite(trace: Trace, read: number): number {
  for (const [r, w] of trace.rmw) if (r === read) return w;
  return -1;
}

/**
 * Event `id` (eventId's numbering) as the model's skeleton numbers it, thread t's events from
 * first[t] on. (A function, not a closure in admits: see coherence.ts edge.)
 */
function skId(first: readonly number[], id: number): number {
  const thread = Math.floor(id / THREAD_IDS) - 1;
  return thread < 0 ? id : first[thread]! + (id % THREAD_IDS);
}

/** Whether a state can still complete into an execution the model accepts (see the top). */
export class PartialCheck {
  private kept?: { locations: number; cache: ShapeCache };
  private readonly coherences: ThreadCoherence[] = [];

  constructor(
    private readonly test: () => Test,
    private readonly broken:
      | ((x: Parameters<NonNullable<Model['broken']>>[0]) => boolean)
      | undefined,
    private readonly poll: () => void,
  ) {}

  /** Each thread prefix's check, kept on it (PartialThread.checked). */
  private checked(th: number, t: PartialThread): CheckedThread {
    // (the test asked for only when needed: a scenario's is made at each ask)
    t.checked ??= checkThread(this.test(), th, t);
    return t.checked;
  }

  /**
   * `model`: ask the model too (the step read from a known write), not only coherence. `step`:
   * the state is `before`'s (a state this check admitted) with one thread extended; only what
   * that thread added is checked for coherence.
   */
  admits(
    threads: readonly PartialThread[],
    model: boolean,
    step?: { thread: number; before: PartialThread },
  ): boolean {
    // (reused: the search asks at most of its states, and keeps neither list)
    const coherences = this.coherences;
    coherences.length = threads.length;
    for (let th = 0; th < threads.length; th++) {
      const c = this.checked(th, threads[th]!).coherence;
      if (!c) return false;
      coherences[th] = c;
    }
    const before = step?.before.checked;
    const ok =
      step && before?.coherence
        ? coherentStep(coherences, step.thread, before.coherence)
        : coherent(coherences);
    if (!ok) return false;
    if (!model || !this.broken) return true;
    const test = this.test();
    const checked = threads.map((t) => t.checked!);
    // Event ids as the model's skeleton numbers them: the initial writes, then thread by thread.
    const first: number[] = [];
    let n = test.locations.length;
    for (const t of threads) {
      first.push(n);
      n += t.trace.events.length;
    }
    const sk = this.shapes(test, n).skeleton(threads.map((t) => t.trace));
    const rf = Relation.none(sk.n);
    const co = Relation.none(sk.n);
    for (const c of checked) {
      for (let x: CheckedThread | undefined = c; x; x = x.before)
        for (let k = 0; k < x.rf.length; k += 2)
          rf.add(skId(first, x.rf[k]!), skId(first, x.rf[k + 1]!));
      for (let x: ThreadCoherence | undefined = c.coherence; x; x = x.before)
        for (let k = 0; k < x.edges.length; k += 2)
          co.add(skId(first, x.edges[k]!), skId(first, x.edges[k + 1]!));
    }
    return !this.broken({ sk, rf, co: plus(co), coOrder: [] });
  }

  /**
   * The shape cache for the test's locations now (code may name more as it runs); a state of
   * more than KEPT_EVENTS events gets a cache of its own, dropped after the check: a shape's
   * relations are quadratic in its events and the cache keeps thousands (a loop cut at
   * MAX_THREAD_EVENTS made the explorer run out of memory).
   */
  private shapes(test: Test, events: number): ShapeCache {
    const locations = test.locations.length;
    const spin = () => test.locations.map((l) => l.type === 'spinlock');
    if (events > KEPT_EVENTS) return new ShapeCache(test, spin(), this.poll);
    if (this.kept?.locations !== locations)
      this.kept = { locations, cache: new ShapeCache(test, spin(), this.poll) };
    return this.kept.cache;
  }
}
