// diy7's metadata lines, written after a test's description string, in diy7's order and form:
//
//   Cycle=WseOnceOnce PodWWOnceRelease WseReleaseOnce FenceMbdWWOnceOnce
//   Relax=WseReleaseOnce
//   Safe=WseOnceOnce FenceMbdWWOnceOnce PodWWOnceRelease
//   Prefetch=0:x=F,0:y=W,1:y=F,1:x=W
//   Com=Ws Ws
//   Orig=FenceMbdWWOnceOnce WseOnceOnce PodWWOnceRelease WseReleaseOnce
//
// Orig= is the cycle as the test is built (thread P0 first), as in the description string.
// Cycle= is the same cycle in diy7's normal rotation: the least in diy7's order on edges
// (edgeOrder). Relax= and Safe= split the cycle's distinct edges, each list in that order:
// diy7 takes the split from its command line (-relax, -safe); gen has none, so it uses the
// split of the runs that wrote the kernel's diy7 tests (../shared/lkmm-luc): relaxed are the
// communication edges with a release or acquire end (RelAcq) and smp_wmb/smp_rmb (WeakFence).
// Prefetch= names, for each thread of two or more accesses, its first location (F) and its
// last (W if written there, T if read). Com= is each communication edge's relation, in order.
// All of it is checked against the 1,870 luc tests whose cycles gen can build (test/gen).
// herd7 reads these lines as the test's metadata; no run uses them.

import { type Cycle, rotate } from './cycle.ts';
import { type Annot, edgeWord } from './edges.ts';
import { threadsOf } from './name.ts';

/** diy7 compares atoms as names (Acquire < Once < Release). */
const ANNOT_RANK: Record<Annot, number> = { Acquire: 0, Once: 1, Release: 2 };
/** diy7's edge variants in declaration order: Rf, Fr, Ws, …, Po, Fenced, Dp. */
const KIND_RANK = { rf: 0, fr: 1, co: 2, po: 5, fence: 6, dep: 7 } as const;
/** Fences by name (Mb < Rmb < Wmb); dependencies as diy7 declares them (Addr, Data, Ctrl). */
const SUB_RANK: Record<string, number> = { mb: 0, rmb: 1, wmb: 2, addr: 0, data: 1, ctrl: 2 };
/** diy7's direction type lists W before R. */
const DIR_RANK = { W: 0, R: 1 } as const;

/** Edge i of c (with its two accesses' annotations) as a tuple ordered as diy7 orders edges. */
function edgeKey(c: Cycle, i: number): number[] {
  const e = c.edges[i]!;
  const row = e.row;
  const kind = row.kind === 'com' ? row.com! : row.kind;
  const sub = row.fence ?? row.dep;
  return [
    ANNOT_RANK[c.annots[i]!],
    ANNOT_RANK[c.annots[(i + 1) % c.edges.length]!],
    KIND_RANK[kind],
    sub === undefined ? 0 : SUB_RANK[sub]!,
    DIR_RANK[e.src],
    DIR_RANK[e.dst],
  ];
}

function compareKeys(a: number[], b: number[]): number {
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return a.length - b.length;
}

/** Each edge's word, with both annotations (PodWWOnceRelease). */
function words(c: Cycle): string[] {
  const n = c.edges.length;
  return c.edges.map((e, i) =>
    edgeWord({ ...e, srcAnnot: c.annots[i], dstAnnot: c.annots[(i + 1) % n] }),
  );
}

/** The rotation whose edge sequence is least in diy7's order: its Cycle= line. */
function normalRotation(c: Cycle): Cycle {
  const n = c.edges.length;
  const keys = (r: Cycle) => r.edges.flatMap((_, i) => edgeKey(r, i));
  let best = c;
  for (let k = 1; k < n; k++) {
    const r = rotate(c, k);
    if (compareKeys(keys(r), keys(best)) < 0) best = r;
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
  const w = words(c);
  const seen = new Map<string, number[]>();
  c.edges.forEach((_, i) => {
    if (keep(i) && !seen.has(w[i]!)) seen.set(w[i]!, edgeKey(c, i));
  });
  return [...seen.entries()]
    .sort(([, a], [, b]) => compareKeys(a, b))
    .map(([word]) => word)
    .join(' ');
}

/** `0:x=F,0:y=W,…`: first and last location of every thread of two or more accesses. */
function prefetch(c: Cycle, locations: readonly string[]): string {
  return threadsOf(c)
    .flatMap((ids, t) => {
      if (ids.length < 2) return [];
      const last = ids.at(-1)!;
      const how = c.edges[last]!.src === 'W' ? 'W' : 'T';
      return [`${t}:${locations[ids[0]!]}=F`, `${t}:${locations[last]}=${how}`];
    })
    .join(',');
}

const COM_NAMES = { rf: 'Rf', fr: 'Fr', co: 'Ws' } as const;

/**
 * The metadata lines of a test built from c, a cycle that starts a thread (P0's first access);
 * locations[i] is the location of access i.
 */
export function metadataLines(c: Cycle, locations: readonly string[]): string[] {
  const com = c.edges.flatMap((e) => (e.row.kind === 'com' ? [COM_NAMES[e.row.com!]] : []));
  return [
    `Cycle=${words(normalRotation(c)).join(' ')}`,
    `Relax=${edgeSet(c, (i) => isRelaxed(c, i))}`,
    `Safe=${edgeSet(c, (i) => !isRelaxed(c, i))}`,
    `Prefetch=${prefetch(c, locations)}`,
    `Com=${com.join(' ')}`,
    `Orig=${words(c).join(' ')}`,
  ];
}
