// The search's early check of one location (search.ts): whether the reads-from chosen so far
// can still be coherent and atomic, whatever comes later. Every model the explorer serves (sc,
// tso, lkmm) requires, per location, that po-loc | rf | co | fr be acyclic and that no write
// come between an rmw's read and its write; these rules derive coherence edges that every
// completion must have, from the events and reads-from of the state alone:
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
// accepted execution passes through. Reads whose source is still a guess (lkmm) are left out.
// Spinlock locations are lock.ts's business and are not checked here.

/** A write's key: its thread and index in that thread's trace; the initial write is thread -1. */
export interface WriteKey {
  thread: number;
  index: number;
}

/** One event of the location, as the check needs it. */
export interface LocEvent {
  thread: number;
  index: number;
  dir: 'R' | 'W';
  /** A read's source (undefined: a guess, left out). */
  from?: WriteKey;
  /** For the read of an rmw: its write's index in the same thread. */
  rmwWrite?: number;
}

const keyOf = (w: WriteKey) => `${w.thread}:${w.index}`;

/** Whether the location's events, in each thread's order, can still be coherent and atomic. */
export function locationCanCohere(events: readonly LocEvent[]): boolean {
  const init = keyOf({ thread: -1, index: 0 });
  const edges = new Map<string, Set<string>>();
  const add = (a: string, b: string) => {
    if (a === b) return;
    let s = edges.get(a);
    if (!s) {
      s = new Set();
      edges.set(a, s);
    }
    s.add(b);
  };
  const byThread = new Map<number, LocEvent[]>();
  for (const e of events) {
    if (!byThread.has(e.thread)) byThread.set(e.thread, []);
    byThread.get(e.thread)!.push(e);
  }
  const readBy = new Set<string>();
  for (const list of byThread.values()) {
    list.sort((a, b) => a.index - b.index);
    let lastWrite: string | undefined;
    let lastReadFrom: string | undefined;
    for (const e of list) {
      if (e.dir === 'W') {
        const me = keyOf(e);
        add(init, me);
        if (lastWrite) add(lastWrite, me);
        if (lastReadFrom) add(lastReadFrom, me);
        lastWrite = me;
        continue;
      }
      if (!e.from) continue;
      const src = keyOf(e.from);
      // A read of a write its own thread makes later: rf against po.
      if (e.from.thread === e.thread && e.from.index > e.index) return false;
      if (lastWrite && lastWrite !== src) add(lastWrite, src);
      if (lastReadFrom && lastReadFrom !== src) add(lastReadFrom, src);
      lastReadFrom = src;
      if (e.rmwWrite !== undefined) {
        if (readBy.has(src)) return false;
        readBy.add(src);
        add(src, keyOf({ thread: e.thread, index: e.rmwWrite }));
      }
    }
  }
  return acyclic(edges);
}

function acyclic(edges: Map<string, Set<string>>): boolean {
  const state = new Map<string, 1 | 2>();
  const visit = (v: string): boolean => {
    const s = state.get(v);
    if (s === 2) return true;
    if (s === 1) return false;
    state.set(v, 1);
    for (const w of edges.get(v) ?? []) if (!visit(w)) return false;
    state.set(v, 2);
    return true;
  };
  for (const v of edges.keys()) if (!visit(v)) return false;
  return true;
}
