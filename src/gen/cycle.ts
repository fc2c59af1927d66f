// A relaxation cycle as a value: its edges in order, each edge's target being the next one's
// source, and one annotation per access. The helpers here only look at it (its words, its
// rotations, its threads); check.ts makes one from text and refuses what diy7 refuses,
// name.ts names it, build.ts turns it into a test.

import { type Annot, type Edge, edgeWord, isExternal } from './edges.ts';

export interface Cycle {
  edges: Edge[];
  /** annots[i]: the access edge i starts from (and edge i-1 ends at). */
  annots: Annot[];
}

/** diy7's location names, in the order a cycle reaches them. */
export const LOCATION_NAMES = ['x', 'y', 'z', ...'abcdefghijklmnopqrstuvw'];

/**
 * The location of each access (index i: the access edge i starts from), as diy7 gives them to
 * a cycle that starts a thread: a new one after every edge that changes location, x first,
 * and the run after the last such edge back on the first's.
 */
export function accessLocations(c: Cycle): string[] {
  const index: number[] = [];
  let loc = 0;
  for (const e of c.edges) {
    index.push(loc);
    if (!e.row.sameLocation) loc += 1;
  }
  return index.map((i) => LOCATION_NAMES[i === loc ? 0 : i]!);
}

/** The cycle as diy7 writes it, every edge with both annotations (PodWWOnceRelease RfeReleaseOnce …). */
export function cycleText(c: Cycle): string {
  return edgeWords(c).join(' ');
}

/** Each edge's word, with both annotations (PodWWOnceRelease). */
export function edgeWords(c: Cycle): string[] {
  const n = c.edges.length;
  return c.edges.map((e, i) =>
    edgeWord({ ...e, srcAnnot: c.annots[i], dstAnnot: c.annots[(i + 1) % n] }),
  );
}

/** The same cycle started at edge k. */
export function rotate(c: Cycle, k: number): Cycle {
  const r = <T>(xs: T[]) => [...xs.slice(k), ...xs.slice(0, k)];
  return { edges: r(c.edges), annots: r(c.annots) };
}

/** Rotations that start a thread (the edge before them goes to another thread), in order. */
export function threadStarts(c: Cycle): number[] {
  const n = c.edges.length;
  return c.edges.flatMap((_, k) => (isExternal(c.edges[(k + n - 1) % n]!.row) ? [k] : []));
}

/** Accesses of each thread of a cycle that starts a thread, as indexes into c.annots. */
export function threadsOf(c: Cycle): number[][] {
  const threads: number[][] = [[]];
  c.edges.forEach((e, i) => {
    threads.at(-1)!.push(i);
    if (isExternal(e.row) && i < c.edges.length - 1) threads.push([]);
  });
  return threads;
}
