// Which lkmm guesses the search may drop (docs/explore.md "lkmm's load buffering: guesses"):
// a guess that adds nothing (repeatsView: a read guessing the value of the write it saw last
// there), and a state whose pending guesses cannot all read from writes made after it without
// breaking per-location coherence (pendingCoherent).
//
// A pending guess g — read r of thread t at location x — reads, in every execution the search
// may reach from the state, a write F_g that another thread u makes after the state: so F_g is
// none of the state's writes, and it follows every event u has made so far in program order.
// Per location, F_g is then a node of the coherence graph of coherence.ts with the edges that
// every such completion has (co is a strict order; each rule is coherence.ts's, with F_g as the
// write):
//
//   into F_g   the initial write; t's writes at x before r and the sources of t's reads at x
//              before r (coWR, coRR); when u is known (the only thread that can still write
//              it), u's writes at x, the sources of u's reads at x (coWW, coRW) — a pending
//              read of u among them, through its own F (another thread's write, so not F_g)
//   out of F_g t's first write at x after r (coRW: an rmw's own write among them) and the
//              sources of t's reads at x between r and that write (coRR)
//
// A thread u waiting at a read of x reads a write not offered to it yet, which is co-before
// every write u makes later: the F of each guess only u can resolve among them. When no
// candidate source of that read (each fresh write, or a later write of another thread, as an
// F) fits without a cycle, the state goes too (waitingReadable).
//
// A cycle, and no completion resolves every pending guess coherently: the search abandons the
// state with everything below it. A thread u for which F_g alone closes a cycle cannot be the
// one that resolves g; when none can, the guess has no source. Sources of pending reads after r
// are left out (they may be F_g itself: no strict edge). Every edge is one every completion
// reached below the state has, so the check never drops a state an accepted execution passes
// through (lkmm, like sc and tso, requires po-loc | rf | co | fr acyclic).
//
// Only coherence: lkmm's happens-before and propagation would need F_g's annotation and fences,
// which the state does not know (a plain write, a release...), and were measured to prune
// little more. Spinlock locations are lock.ts's business, as in partial.ts. This module neither
// searches nor chooses values (search.ts and guesses.ts do).

import type { Value } from '../litmus/ir.ts';
import type { Trace } from '../model/core/events.ts';
import { type CoherenceEvent, NO_SOURCE, threadCoherence } from './coherence.ts';
import { sourcedRead } from './lock-reads.ts';
import { eventId, type PartialThread, type Source } from './partial.ts';

/** A guess waiting for its source: read `read` (its index among t's answered reads) of `loc`. */
export interface PendingGuess {
  thread: number;
  loc: number;
  read: number;
  /** The threads that may still write its value there (unfinished, not its own). */
  writers: readonly number[];
}

/**
 * A thread waiting at a read of `loc` (not a lock's): it reads a write not offered to it yet —
 * one of `fresh` (event ids: writes made since it was last offered the location's writes) or
 * one that some thread of `writers` (the other unfinished ones) makes after the state.
 */
export interface WaitingRead {
  thread: number;
  loc: number;
  fresh: readonly number[];
  writers: readonly number[];
}

/** One thread's events at a location, as coherence.ts takes them, and which read each is. */
interface AtLocation {
  events: CoherenceEvent[];
  /** For each event, its index among the thread's answered reads (-1: a write). */
  reads: number[];
  /** Their coherence edges (coherence.ts), undefined when they alone are incoherent. */
  edges?: readonly number[] | undefined;
  /** seen()'s answer, kept (an AtLocation is kept per prefix and asked at many states). */
  seen?: number[];
}

/**
 * eventsAt's answers by trace, then sources, then location: a thread prefix is met in many
 * states (the states are products of the threads' prefixes), and its events do not change.
 * Only for traces of at most KEPT_EVENTS events: each prefix of a long run keeping its own
 * copy grows with the square of the run (mmu-lock-yield's yield-no-guard under lkmm, whose
 * loop runs long: 2.39 GB after 100 s, 2.07 GB with the bound).
 */
let kept = new Map<Trace, Map<readonly Source[], Map<number, AtLocation>>>();
/** Prefixes whose events are kept before starting afresh (the search keeps every prefix it met). */
const KEPT_PREFIXES = 20_000;
let keptPrefixes = 0;
const KEPT_EVENTS = 128;

/** Whether every pending guess can still read from a later write coherently (see the top). */
export function pendingCoherent(
  threads: readonly PartialThread[],
  guesses: readonly PendingGuess[],
  isLock: (loc: number) => boolean,
  waiting: readonly WaitingRead[] = [],
): boolean {
  for (let i = 0; i < guesses.length; i++) {
    const loc = guesses[i]!.loc;
    if (isLock(loc) || guesses.findIndex((g) => g.loc === loc) < i) continue;
    const at = threads.map((p, th) => eventsAt(p, th, loc));
    const graph = new Graph();
    for (const a of at) {
      if (!a.edges) return false;
      graph.addAll(a.edges);
    }
    // The write each pending guess here reads from: -2, -3, ... (never an event id).
    const here = guesses.flatMap((g, k) => (g.loc === loc ? [{ g, id: -2 - k }] : []));
    const virtual: { id: number; u: number; preds: number[]; succs: number[] }[] = [];
    for (const { g, id } of here) {
      const { preds, succs } = around(at[g.thread]!, g.read, loc);
      const writers = g.writers.filter((u) => !graph.reaches(succs, [...preds, ...seen(at[u]!)]));
      if (writers.length === 0) return false;
      const u = writers.length === 1 ? writers[0]! : -1;
      virtual.push({
        id,
        u,
        preds: u < 0 ? preds : [...preds, ...seen(at[u]!), ...ownIds(here, u)],
        succs,
      });
    }
    // A waiting read of a thread u comes before u's later writes, so its source comes before
    // the F of every guess here that only u can resolve (coRW).
    const waits = waiting.flatMap((w) => {
      const later = virtual.filter((v) => v.u === w.thread).map((v) => v.id);
      return w.loc === loc && later.length > 0 ? [{ w, later }] : [];
    });
    if (virtual.length < 2 && waits.length === 0) continue;
    for (const v of virtual) {
      for (const p of v.preds) graph.add(p, v.id);
      for (const s of v.succs) graph.add(v.id, s);
    }
    // The state's own graph is acyclic (partial.ts admitted it): a cycle goes through an F.
    for (const v of virtual) if (graph.reaches(v.succs, [v.id])) return false;
    for (const { w, later } of waits) if (!waitingReadable(graph, at, here, w, later)) return false;
  }
  return true;
}

/**
 * Whether waiting read w can still read some write coherently: a fresh one, or one a thread of
 * w.writers makes later (its F, after everything that thread did at the location, its pending
 * reads' Fs included), with w's thread's events at the location before it and the Fs `later`
 * after it (docs/explore.md "A waiting read before a pending guess's source").
 */
function waitingReadable(
  graph: Graph,
  at: readonly AtLocation[],
  here: readonly { g: PendingGuess; id: number }[],
  w: WaitingRead,
  later: readonly number[],
): boolean {
  const preds = [w.loc, ...seen(at[w.thread]!)];
  for (const s of w.fresh)
    if (!graph.reaches([s], preds) && !graph.reaches(later, [s, ...preds])) return true;
  return w.writers.some(
    (u) => !graph.reaches(later, [...preds, ...seen(at[u]!), ...ownIds(here, u)]),
  );
}

/**
 * Whether the guess of read number `read` of a thread (its trace and sources, the read
 * answered) adds no combination of runs: the read is not an rmw's, and its value is that of
 * the write its thread last saw at that location — its own last write there, the known source
 * of its last read there, or the initial write when it has not touched the location. Reading
 * that write instead gives the same value, so the same runs, and every coherence edge that
 * source adds is in the coherence order of the execution with the guess (that write is
 * co-before the later one the guess reads: coWR, coRR, or the initial write); the search takes
 * it when it is offered (docs/explore.md, "A guess of what a read saw last").
 */
export function repeatsView(
  trace: Trace,
  sources: readonly Source[],
  read: number,
  init: (loc: number) => Value,
): boolean {
  const events = trace.events;
  let k = 0;
  let at = -1;
  const readOf: number[] = [];
  for (let i = 0; i < events.length && at < 0; i++) {
    const e = events[i]!;
    if (!sourcedRead(e)) continue;
    readOf[i] = k;
    if (k++ === read) at = i;
  }
  const r = events[at];
  // (a lock read's value is held or free, not its event's: not pruned here)
  if (!r || r.rmw === 'pair' || r.lock) return false;
  for (let i = at - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.dir === 'F' || e.lock || e.loc !== r.loc) continue;
    if (e.dir === 'R' && sources[readOf[i]!] === 'guess') return false;
    return e.value === r.value;
  }
  return r.value === init(r.loc);
}

/** Thread th's memory events at loc, numbered as partial.ts numbers them (kept). */
function eventsAt(p: PartialThread, th: number, loc: number): AtLocation {
  if (p.trace.events.length > KEPT_EVENTS) return withEdges(eventsAtNow(p, th, loc));
  let bySources = kept.get(p.trace);
  let byLoc = bySources?.get(p.sources);
  if (!byLoc) {
    if (++keptPrefixes > KEPT_PREFIXES) {
      // (the search keeps its prefixes: a cache keyed by them would be kept for good)
      kept = new Map();
      keptPrefixes = 0;
      bySources = undefined;
    }
    if (!bySources) {
      bySources = new Map();
      kept.set(p.trace, bySources);
    }
    byLoc = new Map();
    bySources.set(p.sources, byLoc);
  }
  let at = byLoc.get(loc);
  if (!at) {
    at = withEdges(eventsAtNow(p, th, loc));
    byLoc.set(loc, at);
  }
  return at;
}

function withEdges(at: AtLocation): AtLocation {
  at.edges = threadCoherence(at.events)?.edges;
  return at;
}

function eventsAtNow({ trace, sources }: PartialThread, th: number, loc: number): AtLocation {
  const out: AtLocation = { events: [], reads: [] };
  // The k-th sourced read of the trace is the k-th read answered (lock-reads.ts sourcedRead).
  let k = 0;
  const events = trace.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.dir === 'F') continue;
    const read = sourcedRead(e) ? k++ : -1;
    if (e.lock || e.loc !== loc) continue;
    const from = read >= 0 ? sources[read] : undefined;
    const known = from !== undefined && from !== 'guess';
    out.events.push({
      id: eventId(th, i),
      loc,
      dir: e.dir,
      from: known ? (from.thread < 0 ? loc : eventId(from.thread, from.index)) : NO_SOURCE,
      fromOwn: known && from.thread === th,
      rmwWrite: read >= 0 ? rmwWriteOf(trace, i, th) : NO_SOURCE,
    });
    out.reads.push(read);
  }
  return out;
}

/** The id of the write paired with the rmw read at index `read`, or NO_SOURCE. */
function rmwWriteOf(trace: Trace, read: number, th: number): number {
  for (const [r, w] of trace.rmw) if (r === read) return eventId(th, w);
  return NO_SOURCE;
}

/** The writes a thread's events at a location put co-before a write it makes later. */
function seen(a: AtLocation): number[] {
  a.seen ??= known(a.events.map((e) => (e.dir === 'W' ? e.id : e.from)));
  return a.seen;
}

/** The F ids of the pending guesses of thread u among `here`. */
function ownIds(here: readonly { g: PendingGuess; id: number }[], u: number): number[] {
  const out: number[] = [];
  for (const h of here) if (h.g.thread === u) out.push(h.id);
  return out;
}

/**
 * What t's events at loc put co-before (preds: the initial write too) and co-after (succs) the
 * write its read number `read` reads, when that write is none of the state's.
 */
function around(a: AtLocation, read: number, loc: number): { preds: number[]; succs: number[] } {
  const at = a.reads.indexOf(read);
  if (at < 0) return { preds: [loc], succs: [] };
  const preds = [loc, ...seen({ events: a.events.slice(0, at), reads: [] })];
  const succs: number[] = [];
  for (const e of a.events.slice(at + 1)) {
    if (e.dir === 'W') {
      succs.push(e.id);
      break;
    }
    succs.push(e.from);
  }
  return { preds, succs: known(succs) };
}

const known = (ids: number[]) => ids.filter((i) => i !== NO_SOURCE);

/**
 * A directed graph of integer nodes, as lists of [from, to] pairs (flattened), scanned where
 * they are: a location's edges are few, and the check runs at many states of the search.
 */
class Graph {
  private readonly lists: (readonly number[])[] = [];
  private readonly own: number[] = [];

  constructor() {
    this.lists.push(this.own);
  }

  /** Every edge of a list of pairs (kept, not copied: the lists are never changed). */
  addAll(edges: readonly number[]): void {
    if (edges.length > 0) this.lists.push(edges);
  }

  add(a: number, b: number): void {
    this.own.push(a, b);
  }

  /** Whether some node of `to` is reachable (in zero or more steps) from some node of `from`. */
  reaches(from: readonly number[], to: readonly number[]): boolean {
    // reached[0..n) are the nodes reached; those from `next` on are still to be followed
    // (no closure: one made per call cost more than the search's own work here)
    const reached = scratch;
    let n = 0;
    for (const f of from) n = reach(reached, n, f);
    for (let next = 0; next < n; next++) {
      const x = reached[next]!;
      if (to.includes(x)) return true;
      for (const edges of this.lists)
        for (let k = 0; k < edges.length; k += 2)
          if (edges[k] === x) n = reach(reached, n, edges[k + 1]!);
    }
    return false;
  }
}

/** Graph.reaches's nodes reached (reused: it allocates nothing). */
const scratch: number[] = [];

/** Node y added to reached[0..n) unless there; the new n. */
function reach(reached: number[], n: number, y: number): number {
  for (let j = 0; j < n; j++) if (reached[j] === y) return n;
  reached[n] = y;
  return n + 1;
}
