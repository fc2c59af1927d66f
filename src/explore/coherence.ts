// The search's early check of per-location coherence (partial.ts, search.ts): whether the
// reads-from chosen so far can still be coherent and atomic, whatever comes later. Every model
// the explorer serves (sc, tso, lkmm) requires, per location, that po-loc | rf | co | fr be
// acyclic and that no write come between an rmw's read and its write; these rules derive
// coherence edges that every completion must have, from the events and reads-from of the state
// alone:
//
//   init    the initial write is co-before every other write;
//   coWW    w1 po-loc w2                        ⇒ w1 co w2
//   coRW    r reads w, r po-loc w2              ⇒ w co w2  (w ≠ w2; w2 = w is rf against po)
//   coWR    w2 po-loc r, r reads w ≠ w2         ⇒ w2 co w
//   coRR    r1 po-loc r2, they read w1 ≠ w2     ⇒ w1 co w2
//   rmw     r reads w, its write is w'          ⇒ w co w', and no other rmw reads w
//
// A cycle among these edges, a read of a write that program order puts after it in its own
// thread, or two rmws reading one write, and no completion of the state is coherent: the
// search abandons it. Events added later only add edges, so the check never rejects a state an
// accepted execution passes through; the edges are in the coherence order of every accepted
// completion, which is what partial.ts hands the model. Reads whose source is still a guess
// (lkmm) are left out. Spinlock locations are lock.ts's business and get no edges. Integers
// throughout: it runs at every state of the search.

/** A read's source for the check: the write's id, or NO_SOURCE (a guess: left out). */
export const NO_SOURCE = -1;

/**
 * One memory event of a thread, numbered as partial.ts numbers them: an id that does not
 * change as other threads grow (the initial write of location l: l).
 */
export interface CoherenceEvent {
  id: number;
  loc: number;
  dir: 'R' | 'W';
  /** A read's source write id, or NO_SOURCE; and whether that write is its own thread's. */
  from: number;
  fromOwn: boolean;
  /** For the read of an rmw: its write's id, or NO_SOURCE. */
  rmwWrite: number;
}

/**
 * What one thread's events and reads-from give: its coherence edges, the writes its rmws read.
 * Kept per thread prefix for a whole search (partial.ts), so a prefix holds only what its own
 * events add (`before` holds the rest): a copy of every list per prefix was most of an
 * uncapped lkmm search's heap.
 */
export interface ThreadCoherence {
  /** The same for the thread's events before these (a shorter prefix), if any. */
  readonly before: ThreadCoherence | undefined;
  /** The edges these events add: [from, to] pairs of write ids, flattened, in program order. */
  readonly edges: readonly number[];
  /** The location of each of these edges (of both its writes). */
  readonly locs: readonly number[];
  /** The writes these events' rmws read. */
  readonly rmwReads: readonly number[];
  /**
   * Per location these events touched: [location, the thread's last write there, the source of
   * its last read there] (NO_SOURCE: none yet), flattened: what a longer prefix goes on from
   * (a location these did not touch: see `before`).
   */
  readonly last: readonly number[];
}

const NONE: readonly number[] = Object.freeze([]);

/**
 * The coherence edges one thread's events (in program order, spinlock locations left out)
 * give every accepted completion; undefined when that thread alone makes every completion
 * incoherent or not atomic. A thread's edges depend on its own events and their sources only,
 * so partial.ts keeps them per thread prefix. `before`: the same for the thread's events
 * before these (a shorter prefix of it), which these go on from — so that a prefix one step
 * longer costs its new events only (and is `before` itself when they add nothing).
 */
export function threadCoherence(
  events: readonly CoherenceEvent[],
  before?: ThreadCoherence,
): ThreadCoherence | undefined {
  const edges: number[] = [];
  const locs: number[] = [];
  const rmwReads: number[] = [];
  // per location these events touch, as ThreadCoherence.last
  const last: number[] = [];
  for (const e of events) {
    // this location's entry in `last`, copied from before's on its first event here
    let j = 0;
    while (j < last.length && last[j] !== e.loc) j += 3;
    if (j === last.length) pushLast(last, before, e.loc);
    const w = last[j + 1]!;
    const r = last[j + 2]!;
    if (e.dir === 'W') {
      edge(edges, locs, e.loc, e.loc, e.id);
      if (w !== NO_SOURCE) edge(edges, locs, e.loc, w, e.id);
      if (r !== NO_SOURCE) edge(edges, locs, e.loc, r, e.id);
      last[j + 1] = e.id;
      continue;
    }
    const src = e.from;
    if (src === NO_SOURCE) continue;
    // A read of a write its own thread makes later: rf against po.
    if (e.fromOwn && src > e.id) return undefined;
    if (w !== NO_SOURCE) edge(edges, locs, e.loc, w, src);
    if (r !== NO_SOURCE) edge(edges, locs, e.loc, r, src);
    last[j + 2] = src;
    if (e.rmwWrite !== NO_SOURCE) {
      if (rmwReads.includes(src) || readByRmw(before, src)) return undefined;
      rmwReads.push(src);
      edge(edges, locs, e.loc, src, e.rmwWrite);
    }
  }
  if (before && edges.length === 0 && rmwReads.length === 0 && !changed(last, before))
    return before;
  return {
    before,
    edges: kept(edges),
    locs: kept(locs),
    rmwReads: kept(rmwReads),
    last: kept(last),
  };
}

/**
 * Add the coherence edge a → b at `loc` (none from a write to itself). A function of its own,
 * not a closure: the build keeps function names (call-site.ts), which costs a closure made
 * at each call a defineProperty.
 */
function edge(edges: number[], locs: number[], loc: number, a: number, b: number): void {
  if (a === b) return;
  edges.push(a, b);
  locs.push(loc);
}

/** Where `c` (or a coherence before it) has `loc`'s entry in `last`: [that part, index]. */
function lastAt(c: ThreadCoherence | undefined, loc: number): ThreadCoherence | undefined {
  for (let x = c; x; x = x.before) if (indexAt(x.last, loc) >= 0) return x;
  return undefined;
}

/** The index of `loc`'s entry in a `last` list, or -1. */
function indexAt(last: readonly number[], loc: number): number {
  for (let j = 0; j < last.length; j += 3) if (last[j] === loc) return j;
  return -1;
}

/** Push `loc`'s entry as `c` has it (none yet: NO_SOURCE twice) onto `last`. */
function pushLast(last: number[], c: ThreadCoherence | undefined, loc: number): void {
  const x = lastAt(c, loc);
  const j = x ? indexAt(x.last, loc) : -1;
  last.push(loc, x ? x.last[j + 1]! : NO_SOURCE, x ? x.last[j + 2]! : NO_SOURCE);
}

/** A list to keep, copied to its length (one grown by push has room for more), or NONE. */
const kept = (list: number[]): readonly number[] => (list.length > 0 ? list.slice() : NONE);

/** Whether `last` (entries of some locations) says other than `c` does of them. */
function changed(last: readonly number[], c: ThreadCoherence): boolean {
  for (let j = 0; j < last.length; j += 3) {
    const x = lastAt(c, last[j]!);
    const i = x ? indexAt(x.last, last[j]!) : -1;
    const w = x ? x.last[i + 1] : NO_SOURCE;
    const r = x ? x.last[i + 2] : NO_SOURCE;
    if (w !== last[j + 1] || r !== last[j + 2]) return true;
  }
  return false;
}

/** Whether some rmw of the thread (its coherence `c` and before) read write `w`. */
function readByRmw(c: ThreadCoherence | undefined, w: number): boolean {
  for (let x = c; x; x = x.before) if (x.rmwReads.includes(w)) return true;
  return false;
}

/** Every edge of a thread's coherence, [from, to] pairs flattened, in program order. */
export function allEdges(c: ThreadCoherence): number[] {
  const parts: (readonly number[])[] = [];
  for (let x: ThreadCoherence | undefined = c; x; x = x.before) parts.push(x.edges);
  return parts.reverse().flat();
}

/**
 * Whether the threads' coherence edges together can still be coherent and atomic: no write
 * read by two rmws, no cycle.
 */
export function coherent(threads: readonly ThreadCoherence[]): boolean {
  const readByRmw = new Set<number>();
  const lists: (readonly number[])[] = [];
  for (const t of threads)
    for (let x: ThreadCoherence | undefined = t; x; x = x.before) {
      for (const w of x.rmwReads) {
        if (readByRmw.has(w)) return false;
        readByRmw.add(w);
      }
      lists.push(x.edges);
    }
  return acyclic(lists);
}

/**
 * `coherent` for a state one thread extended from a coherent one: whether the edges and rmw
 * reads that thread added (its coherence down to `before`, the coherence it had in that state)
 * keep it so. A new cycle goes through a new edge (a, b), so it is a path from b back to a,
 * among the writes of their location: only that location's edges are followed. It runs at
 * most states of the search, so it allocates nothing: the edges are few, and scanned where
 * they are.
 */
export function coherentStep(
  threads: readonly ThreadCoherence[],
  stepped: number,
  before: ThreadCoherence,
): boolean {
  for (let x: ThreadCoherence | undefined = threads[stepped]; x && x !== before; x = x.before)
    for (const w of x.rmwReads)
      for (let i = 0; i < threads.length; i++)
        if (i !== stepped && readByRmw(threads[i], w)) return false;
  for (let x: ThreadCoherence | undefined = threads[stepped]; x && x !== before; x = x.before) {
    const { edges, locs } = x;
    for (let k = 0; k < edges.length; k += 2)
      if (reaches(threads, locs[k / 2]!, edges[k + 1]!, edges[k]!)) return false;
  }
  return true;
}

/** The writes reached so far by `reaches` (a stack, then the ones seen), reused: see coherentStep. */
const scratch: number[] = [];

/** Whether `to` is reachable from `from` along the threads' coherence edges at `loc`. */
function reaches(
  threads: readonly ThreadCoherence[],
  loc: number,
  from: number,
  to: number,
): boolean {
  // scratch[0..seen) are the writes seen; those from `next` on are still to be followed
  let seen = 0;
  scratch[seen++] = from;
  for (let next = 0; next < seen; next++) {
    const n = scratch[next]!;
    if (n === to) return true;
    for (const t of threads)
      for (let x: ThreadCoherence | undefined = t; x; x = x.before) {
        const { locs, edges } = x;
        for (let k = 0; k < locs.length; k++) {
          if (locs[k] !== loc || edges[2 * k] !== n) continue;
          const m = edges[2 * k + 1]!;
          let known = false;
          for (let j = 0; j < seen; j++)
            if (scratch[j] === m) {
              known = true;
              break;
            }
          if (!known) scratch[seen++] = m;
        }
      }
  }
  return false;
}

/** Whether the graph of [from, to] pairs (in lists) has no cycle (depth first, iteratively). */
function acyclic(lists: readonly (readonly number[])[]): boolean {
  const out = new Map<number, number[]>();
  for (const edges of lists)
    for (let k = 0; k < edges.length; k += 2) {
      const list = out.get(edges[k]!);
      if (list) list.push(edges[k + 1]!);
      else out.set(edges[k]!, [edges[k + 1]!]);
    }
  // 1: on the current path, 2: done.
  const state = new Map<number, 1 | 2>();
  for (const root of out.keys()) {
    if (state.has(root)) continue;
    const stack: [number, number][] = [[root, 0]];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])?.[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
        continue;
      }
      const s = state.get(next);
      if (s === 1) return false;
      if (s === undefined) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  return true;
}
