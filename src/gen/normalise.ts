// Which thread a cycle's test starts at, as diy7 chooses it (herdtools7 7.58, gen/normaliser.ml),
// so that a cycle written from any thread gets diy7's name (LB+dataonceonce+ctrlonceonce, not
// LB+ctrlonceonce+dataonceonce) and its threads diy7's order.
//
// Of the rotations that start a thread, diy7 keeps the least by three keys in turn:
// 1. the threads' points (first and last access) in the order W, WW, RR, RW, WR, R — so MP
//    starts at its writer (WW+RR), WRC at its lone write;
// 2. how many edges the first thread has inside it (fewer first);
// 3. the edges one by one, fences before dependencies before po and rf, the rest in the order
//    of diy7's edge type, and within one kind by its parts (a location kept before a
//    location changed, W before R; fences mb < rmb < wmb; addr < data < ctrl), then the
//    annotations of the two accesses (Acquire < Once < Release): smp_mb first, then
//    dependencies with data before ctrl, and an acquire's po before a plain one.

import { type Cycle, rotate, threadStarts } from './cycle.ts';
import type { Annot, Edge } from './edges.ts';
import { familyKey } from './families.ts';

/** The points of a thread, in diy7's order (its fence points F have no place here). */
const POINTS_RANK: Record<string, number> = { W: 0, WW: 1, RR: 2, RW: 6, WR: 8, R: 10 };

/** The rotation of c diy7 names and builds. */
export function normalise(c: Cycle): Cycle {
  const starts = threadStarts(c).map((k) => rotate(c, k));
  return starts.reduce((best, r) => (compareRotations(r, best) < 0 ? r : best));
}

function compareRotations(a: Cycle, b: Cycle): number {
  const pa = familyKey(a).split('+');
  const pb = familyKey(b).split('+');
  for (let i = 0; i < pa.length; i++) {
    const d = POINTS_RANK[pa[i]!]! - POINTS_RANK[pb[i]!]!;
    if (d !== 0) return d;
  }
  const d = firstThreadEdges(a) - firstThreadEdges(b);
  if (d !== 0) return d;
  for (let i = 0; i < a.edges.length; i++) {
    const e = compareEdges(at(a, i), at(b, i));
    if (e !== 0) return e;
  }
  return 0;
}

/** Edges inside the first thread: those before the first edge to another thread. */
function firstThreadEdges(c: Cycle): number {
  return c.edges.findIndex((e) => e.row.external === true);
}

interface EdgeAt {
  edge: Edge;
  a1: Annot;
  a2: Annot;
}

const at = (c: Cycle, i: number): EdgeAt => ({
  edge: c.edges[i]!,
  a1: c.annots[i]!,
  a2: c.annots[(i + 1) % c.edges.length]!,
});

/** diy7's kinds of edge, in the order of its type's constructors. */
const TYPE_RANK = { rf: 0, fr: 1, co: 2, po: 3, fence: 4, dep: 5 } as const;
const FENCE_RANK: Record<string, number> = { mb: 0, rmb: 1, wmb: 2 };
const DEP_RANK: Record<string, number> = { addr: 0, data: 1, ctrl: 2 };
const DIR_RANK = { W: 0, R: 1 } as const;
const typeOf = (e: Edge) => (e.row.kind === 'com' ? e.row.com! : e.row.kind);

/** Fences, then dependencies, before po and rf; otherwise the edges' parts in order. */
function compareEdges(a: EdgeAt, b: EdgeAt): number {
  const rank = (e: Edge) => {
    const t = typeOf(e);
    return t === 'fence' ? 0 : t === 'dep' ? 1 : t === 'po' || t === 'rf' ? 2 : undefined;
  };
  const [ra, rb] = [rank(a.edge), rank(b.edge)];
  if (ra !== undefined && rb !== undefined && ra !== rb) return ra - rb;
  return compareLists(parts(a), parts(b));
}

/** An edge as diy7's type holds it, each part a rank: the kind, then its fields, then annotations. */
function parts({ edge, a1, a2 }: EdgeAt): number[] {
  return [...typeParts(edge), ANNOT_RANK[a1], ANNOT_RANK[a2]];
}

/** An edge without its annotations as diy7's type holds it: the kind, then its fields, as ranks. */
export function typeParts(e: Edge): number[] {
  const t = typeOf(e);
  const loc = e.row.sameLocation ? 0 : 1;
  const fields =
    t === 'po'
      ? [loc, DIR_RANK[e.src], DIR_RANK[e.dst]]
      : t === 'fence'
        ? [FENCE_RANK[e.row.fence!]!, loc, DIR_RANK[e.src], DIR_RANK[e.dst]]
        : t === 'dep'
          ? [DEP_RANK[e.row.dep!]!, loc, DIR_RANK[e.dst]]
          : [e.row.external ? 1 : 0];
  return [TYPE_RANK[t], ...fields];
}

/** How diy7 orders annotations: as their names (Acquire < Once < Release). */
export const ANNOT_RANK: Record<Annot, number> = { Acquire: 0, Once: 1, Release: 2 };

export function compareLists(a: number[], b: number[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return a.length - b.length;
}
