// diy7's metadata lines, written after a test's description string, in diy7 7.58's order and
// form (7.58 spells coherence Coe and Co, where the kernel archive's older diy7 wrote Wse, Ws):
//
//   Cycle=CoeOnceOnce PodWWOnceRelease CoeReleaseOnce FenceMbdWWOnceOnce
//   Relax=CoeReleaseOnce
//   Safe=CoeOnceOnce FenceMbdWWOnceOnce PodWWOnceRelease
//   Prefetch=0:x=F,0:y=W,1:y=F,1:x=W
//   Com=Co Co
//   Orig=FenceMbdWWOnceOnce CoeOnceOnce PodWWOnceRelease CoeReleaseOnce
//
// Orig= is the cycle as the test is built (thread P0 first), as in the description string.
// Cycle= is the same cycle in diy7's normal rotation: the least in diy7's order on edges
// (edgeKey: the annotations, then the edge). Relax= and Safe= split the cycle's distinct edges, each list in that order:
// diy7 takes the split from its command line (-relax, -safe); gen has none, so it uses the
// split of the runs that wrote the kernel's diy7 tests (../shared/lkmm-luc): relaxed are the
// communication edges with a release or acquire end (RelAcq) and smp_wmb/smp_rmb (WeakFence).
// Prefetch= names, for each thread whose first and last accesses are to different locations,
// its first location (F) and its last (W if written there, T if read). Com= is the relation of each communication between threads, in order.
// All of it is checked against the 1,870 luc tests whose cycles gen can build (test/gen).
// herd7 reads these lines as the test's metadata; no run uses them.

import { type Cycle, edgeWords, rotate, threadsOf } from './cycle.ts';
import { isExternal } from './edges.ts';
import { ANNOT_RANK, compareLists, typeParts } from './normalise.ts';

/** Edge i of c as diy7 orders edges here: both annotations first, then the edge's own parts. */
function edgeKey(c: Cycle, i: number): number[] {
  const n = c.edges.length;
  return [ANNOT_RANK[c.annots[i]!], ANNOT_RANK[c.annots[(i + 1) % n]!], ...typeParts(c.edges[i]!)];
}

/** The rotation whose edge sequence is least in diy7's order: its Cycle= line. */
function normalRotation(c: Cycle): Cycle {
  const n = c.edges.length;
  const keys = (r: Cycle) => r.edges.flatMap((_, i) => edgeKey(r, i));
  let best = c;
  for (let k = 1; k < n; k++) {
    const r = rotate(c, k);
    if (compareLists(keys(r), keys(best)) < 0) best = r;
  }
  return best;
}

/** Relaxed, as the luc runs of diy7 chose: see the header. */
function isRelaxed(c: Cycle, i: number): boolean {
  const e = c.edges[i]!;
  if (e.row.kind === 'fence') return e.row.fence === 'wmb' || e.row.fence === 'rmb';
  if (e.row.kind !== 'com') return false;
  return c.annots[i] !== 'Once' || c.annots[(i + 1) % c.edges.length] !== 'Once';
}

/** The distinct edges i of c that pass `keep`, in diy7's order. */
function edgeSet(c: Cycle, keep: (i: number) => boolean): string {
  const w = edgeWords(c);
  const seen = new Map<string, number[]>();
  c.edges.forEach((_, i) => {
    if (keep(i) && !seen.has(w[i]!)) seen.set(w[i]!, edgeKey(c, i));
  });
  return [...seen.entries()]
    .sort(([, a], [, b]) => compareLists(a, b))
    .map(([word]) => word)
    .join(' ');
}

/** `0:x=F,0:y=W,…`: first and last location of every thread that changes location. */
function prefetch(c: Cycle, locations: readonly string[]): string {
  return threadsOf(c)
    .flatMap((ids, t) => {
      const last = ids.at(-1)!;
      if (locations[ids[0]!] === locations[last]) return [];
      const how = c.edges[last]!.src === 'W' ? 'W' : 'T';
      return [`${t}:${locations[ids[0]!]}=F`, `${t}:${locations[last]}=${how}`];
    })
    .join(',');
}

const COM_NAMES = { rf: 'Rf', fr: 'Fr', co: 'Co' } as const;

/**
 * The metadata lines of a test built from c, a cycle that starts a thread (P0's first access);
 * locations[i] is the location of access i.
 */
export function metadataLines(c: Cycle, locations: readonly string[]): string[] {
  const com = c.edges.flatMap((e) => (isExternal(e.row) ? [COM_NAMES[e.row.com!]] : []));
  return [
    `Cycle=${edgeWords(normalRotation(c)).join(' ')}`,
    `Relax=${edgeSet(c, (i) => isRelaxed(c, i))}`,
    `Safe=${edgeSet(c, (i) => !isRelaxed(c, i))}`,
    `Prefetch=${prefetch(c, locations)}`,
    `Com=${com.join(' ')}`,
    `Orig=${edgeWords(c).join(' ')}`,
  ];
}
