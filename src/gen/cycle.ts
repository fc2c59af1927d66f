// A relaxation cycle, as diy7 takes it: edge words separated by spaces ("Fre PodWR Fre PodWR"),
// each edge's target being the next edge's source, the last edge's target the first's source.
//
// parseCycle checks what makes a cycle a test: directions that meet, annotations that agree
// where two edges name the same access, at least one communication edge (else there is only
// one thread) and one edge inside a thread (else there is only one location), and every
// location reached by a communication edge. The result is the edges plus one annotation per
// access (Once where no edge names one). Building the test is build.ts's business.

import { UserError } from '../errors.ts';
import { ANNOT_DIRS, type Annot, type Edge, edgeWord, parseEdge } from './edges.ts';

export interface Cycle {
  edges: Edge[];
  /** annots[i]: the access edge i starts from (and edge i-1 ends at). */
  annots: Annot[];
}

const isCom = (e: Edge) => e.row.kind === 'com';

/** One location per edge inside a thread, named from build.ts's LOCATION_NAMES (x y z a … w). */
export const MAX_EDGES = 26;

export function parseCycle(text: string): Cycle {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0)
    throw new UserError('empty cycle: give edges such as "Fre PodWR Fre PodWR"');
  if (words.length > MAX_EDGES)
    throw new UserError(`a cycle of ${words.length} edges: smplab gen takes at most ${MAX_EDGES}`);
  return checkCycle(words.map(parseEdge));
}

/** The checks of the header, on edges already parsed; annotations resolved per access. */
export function checkCycle(edges: Edge[]): Cycle {
  const n = edges.length;
  const word = (i: number) => `edge ${i + 1} (${edgeWord(edges[i]!)})`;
  const access = (d: string) => (d === 'R' ? 'a read' : 'a write');
  for (let i = 0; i < n; i++) {
    const e = edges[i]!;
    const next = edges[(i + 1) % n]!;
    if (e.dst !== next.src) {
      throw new UserError(
        `${word(i)} ends at ${access(e.dst)} but ${word((i + 1) % n)} starts from ${access(next.src)}`,
      );
    }
  }
  if (!edges.some(isCom))
    throw new UserError(
      'the cycle has no communication edge (Rfe, Fre, Wse): it needs two threads',
    );
  if (edges.every(isCom))
    throw new UserError(
      'the cycle has no edge inside a thread (Pod, Fence, Dp): it needs two locations',
    );
  for (let i = 0; i < n; i++) {
    if (!isCom(edges[(i + n - 1) % n]!) && !isCom(edges[i]!)) {
      throw new UserError(
        `the access between ${word((i + n - 1) % n)} and ${word(i)} is alone on its location: ` +
          'every location needs a communication edge (Rfe, Fre, Wse)',
      );
    }
  }
  const annots = edges.map((e, i) => {
    const before = edges[(i + n - 1) % n]!.dstAnnot;
    const after = e.srcAnnot;
    if (before && after && before !== after) {
      throw new UserError(
        `${word((i + n - 1) % n)} makes its target ${before} but ${word(i)} makes the same access ${after}`,
      );
    }
    const annot = before ?? after ?? 'Once';
    if (!ANNOT_DIRS[annot].includes(e.src)) {
      throw new UserError(
        `the access between ${word((i + n - 1) % n)} and ${word(i)} is ${access(e.src)}, which cannot be ${annot}`,
      );
    }
    return annot;
  });
  return { edges, annots };
}

/** The cycle as diy7 writes it, every edge with both annotations (PodWWOnceRelease RfeReleaseOnce …). */
export function cycleText(c: Cycle): string {
  const n = c.edges.length;
  return c.edges
    .map((e, i) => edgeWord({ ...e, srcAnnot: c.annots[i], dstAnnot: c.annots[(i + 1) % n] }))
    .join(' ');
}

/** The same cycle started at edge k. */
export function rotate(c: Cycle, k: number): Cycle {
  const r = <T>(xs: T[]) => [...xs.slice(k), ...xs.slice(0, k)];
  return { edges: r(c.edges), annots: r(c.annots) };
}

/** Rotations that start a thread (the edge before them is a communication edge), in order. */
export function threadStarts(c: Cycle): number[] {
  const n = c.edges.length;
  return c.edges.flatMap((_, k) => (isCom(c.edges[(k + n - 1) % n]!) ? [k] : []));
}
