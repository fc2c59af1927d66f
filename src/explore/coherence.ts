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

/** What one thread's events and reads-from give: its coherence edges, the writes its rmws read. */
export interface ThreadCoherence {
  /** [from, to] pairs of write ids, flattened, in the order the thread's events made them. */
  edges: number[];
  /** The location of each edge (of both its writes). */
  locs: number[];
  rmwReads: number[];
  /**
   * Per location the thread touched (`touched[j]`), its last write and the source of its last
   * read there (NO_SOURCE: none yet): what a longer prefix of the thread goes on from.
   */
  touched: number[];
  lastWrite: number[];
  lastReadFrom: number[];
}

/**
 * The coherence edges one thread's events (in program order, spinlock locations left out)
 * give every accepted completion; undefined when that thread alone makes every completion
 * incoherent or not atomic. A thread's edges depend on its own events and their sources only,
 * so partial.ts keeps them per thread prefix. `before`: the same for the thread's events
 * before these (a shorter prefix of it), whose edges these extend — so that a prefix one step
 * longer costs its new events only.
 */
export function threadCoherence(
  events: readonly CoherenceEvent[],
  before?: ThreadCoherence,
): ThreadCoherence | undefined {
  const edges = before ? before.edges.slice() : [];
  const locs = before ? before.locs.slice() : [];
  const rmwReads = before ? before.rmwReads.slice() : [];
  const touched = before ? before.touched.slice() : [];
  const lastWrite = before ? before.lastWrite.slice() : [];
  const lastReadFrom = before ? before.lastReadFrom.slice() : [];
  for (const e of events) {
    let j = touched.indexOf(e.loc);
    if (j < 0) {
      j = touched.push(e.loc) - 1;
      lastWrite.push(NO_SOURCE);
      lastReadFrom.push(NO_SOURCE);
    }
    const w = lastWrite[j]!;
    const r = lastReadFrom[j]!;
    if (e.dir === 'W') {
      edge(edges, locs, e.loc, e.loc, e.id);
      if (w !== NO_SOURCE) edge(edges, locs, e.loc, w, e.id);
      if (r !== NO_SOURCE) edge(edges, locs, e.loc, r, e.id);
      lastWrite[j] = e.id;
      continue;
    }
    const src = e.from;
    if (src === NO_SOURCE) continue;
    // A read of a write its own thread makes later: rf against po.
    if (e.fromOwn && src > e.id) return undefined;
    if (w !== NO_SOURCE) edge(edges, locs, e.loc, w, src);
    if (r !== NO_SOURCE) edge(edges, locs, e.loc, r, src);
    lastReadFrom[j] = src;
    if (e.rmwWrite !== NO_SOURCE) {
      if (rmwReads.includes(src)) return undefined;
      rmwReads.push(src);
      edge(edges, locs, e.loc, src, e.rmwWrite);
    }
  }
  return { edges, locs, rmwReads, touched, lastWrite, lastReadFrom };
}

/** Add the coherence edge a → b at `loc` (none from a write to itself). */
function edge(edges: number[], locs: number[], loc: number, a: number, b: number): void {
  if (a === b) return;
  edges.push(a, b);
  locs.push(loc);
}

/**
 * Whether the threads' coherence edges together can still be coherent and atomic: no write
 * read by two rmws, no cycle.
 */
export function coherent(threads: readonly ThreadCoherence[]): boolean {
  const readByRmw = new Set<number>();
  for (const t of threads)
    for (const w of t.rmwReads) {
      if (readByRmw.has(w)) return false;
      readByRmw.add(w);
    }
  return acyclic(threads.map((t) => t.edges));
}

/**
 * `coherent` for a state one thread extended from a coherent one: whether the edges and rmw
 * reads that thread added (its lists from `edgesBefore` and `rmwBefore` on) keep it so. A new
 * cycle goes through a new edge (a, b), so it is a path from b back to a, among the writes of
 * their location: only that location's edges are followed. It runs at most states of the
 * search, so it allocates nothing: the edges are few, and scanned where they are.
 */
export function coherentStep(
  threads: readonly ThreadCoherence[],
  stepped: number,
  edgesBefore: number,
  rmwBefore: number,
): boolean {
  const now = threads[stepped]!;
  for (let k = rmwBefore; k < now.rmwReads.length; k++) {
    const w = now.rmwReads[k]!;
    for (let i = 0; i < threads.length; i++)
      if (i !== stepped && threads[i]!.rmwReads.includes(w)) return false;
  }
  for (let k = edgesBefore; k < now.edges.length; k += 2)
    if (reaches(threads, now.locs[k / 2]!, now.edges[k + 1]!, now.edges[k]!)) return false;
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
    for (const t of threads) {
      const { locs, edges } = t;
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
