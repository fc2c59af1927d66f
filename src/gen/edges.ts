// The relaxation edges `smplab gen` builds cycles from, as diy7 spells them for the LKMM
// (the `Cycle=` lines of the kernel's diy7-made tests: PodWROnceAcquire, RfeReleaseOnce,
// FenceMbdRWOnceOnce, DpCtrldWOnceOnce …), one row per edge family.
//
// An edge joins two accesses of a cycle. Communication edges (Rfe, Fre, Wse) go from one
// thread to the next on one location; the others stay in a thread and move to a different
// location ('d'), ordered by program order alone (Pod), a fence between them (FenceMbd …) or
// a dependency of the second on the value the first read (DpAddrd, DpDatad, DpCtrld). The
// direction letters (WR: from a write to a read) and the two annotations (OnceAcquire) say
// what the accesses are. This module parses one edge word; cycle.ts checks a whole cycle.
//
// Not supported (a UserError lists what is): edges within one location inside a thread
// (Rfi, Fri, Wsi, Pos**, Dp**s), RMW edges, and fences other than smp_mb/smp_wmb/smp_rmb.

import { didYouMean, UserError } from '../errors.ts';
import type { FenceAnnot } from '../litmus/ir.ts';

export type Dir = 'R' | 'W';
/** An access's annotation, as diy7 names it: READ_ONCE/WRITE_ONCE, acquire load, release store. */
export type Annot = 'Once' | 'Acquire' | 'Release';
export const ANNOTS: readonly Annot[] = ['Once', 'Acquire', 'Release'];
/** Which accesses an annotation applies to. */
export const ANNOT_DIRS: Record<Annot, readonly Dir[]> = {
  Once: ['R', 'W'],
  Acquire: ['R'],
  Release: ['W'],
};

export type Dep = 'addr' | 'data' | 'ctrl';

export interface EdgeRow {
  /** diy7's name without directions and annotations: Rfe, PodWW's Pod, FenceMbd, DpAddrd. */
  base: string;
  kind: 'com' | 'po' | 'fence' | 'dep';
  /** Directions the edge may join, as source+target pairs ('WR'). */
  dirs: readonly string[];
  /** com edges: the communication; fence edges: the fence's annotation; dep: the dependency. */
  com?: 'rf' | 'fr' | 'co';
  fence?: FenceAnnot;
  dep?: Dep;
  /** The word the kernel's test names use for this edge inside a thread (fencemb, addr). */
  descriptor?: string;
  /** How many direction letters the word carries: 0 (Rfe), 1 (DpAddrdR: the target), 2 (PodWR). */
  dirLetters: 0 | 1 | 2;
}

const ALL = ['WW', 'WR', 'RW', 'RR'];

// One row per edge family; `smplab gen --cycle` accepts exactly these (and Coe/Ws for Wse).
export const EDGE_ROWS: readonly EdgeRow[] = [
  { base: 'Rfe', kind: 'com', com: 'rf', dirs: ['WR'], dirLetters: 0 },
  { base: 'Fre', kind: 'com', com: 'fr', dirs: ['RW'], dirLetters: 0 },
  { base: 'Wse', kind: 'com', com: 'co', dirs: ['WW'], dirLetters: 0 },
  { base: 'Pod', kind: 'po', descriptor: 'po', dirs: ALL, dirLetters: 2 },
  { base: 'FenceMbd', kind: 'fence', fence: 'mb', descriptor: 'fencemb', dirs: ALL, dirLetters: 2 },
  {
    base: 'FenceWmbd',
    kind: 'fence',
    fence: 'wmb',
    descriptor: 'fencewmb',
    dirs: ['WW'],
    dirLetters: 2,
  },
  {
    base: 'FenceRmbd',
    kind: 'fence',
    fence: 'rmb',
    descriptor: 'fencermb',
    dirs: ['RR'],
    dirLetters: 2,
  },
  {
    base: 'DpAddrd',
    kind: 'dep',
    dep: 'addr',
    descriptor: 'addr',
    dirs: ['RR', 'RW'],
    dirLetters: 1,
  },
  { base: 'DpDatad', kind: 'dep', dep: 'data', descriptor: 'data', dirs: ['RW'], dirLetters: 1 },
  {
    base: 'DpCtrld',
    kind: 'dep',
    dep: 'ctrl',
    descriptor: 'ctrl',
    dirs: ['RR', 'RW'],
    dirLetters: 1,
  },
];

/** Other spellings diy7 has used for the same edge. */
const ALIASES: Record<string, string> = { Coe: 'Wse', Ws: 'Wse' };

/** One edge of a cycle as written: its row, directions and the annotations it names, if any. */
export interface Edge {
  row: EdgeRow;
  src: Dir;
  dst: Dir;
  srcAnnot?: Annot;
  dstAnnot?: Annot;
}

/** Every edge word without annotations, for "did you mean" and the error listing them. */
export const EDGE_WORDS: readonly string[] = EDGE_ROWS.flatMap((row) =>
  row.dirs.map((d) => row.base + (row.dirLetters === 2 ? d : row.dirLetters === 1 ? d[1] : '')),
);

/** diy7's word for an edge: PodWR, RfeOnceAcquire (annotations only when both are known). */
export function edgeWord(e: Edge): string {
  const dirs = e.row.dirLetters === 2 ? e.src + e.dst : e.row.dirLetters === 1 ? e.dst : '';
  const annots = e.srcAnnot && e.dstAnnot ? e.srcAnnot + e.dstAnnot : '';
  return e.row.base + dirs + annots;
}

const lower = (s: string) => s.toLowerCase();

/**
 * Parses one edge word, case-insensitively in its name (FencembdWW is FenceMbdWW); the
 * direction letters and annotations must be those the edge allows.
 */
export function parseEdge(word: string): Edge {
  const bases = [...EDGE_ROWS.map((r) => r.base), ...Object.keys(ALIASES)].sort(
    (a, b) => b.length - a.length,
  );
  const base = bases.find((b) => lower(word).startsWith(lower(b)));
  if (base === undefined) throw unknownEdge(word);
  const row = EDGE_ROWS.find((r) => r.base === (ALIASES[base] ?? base))!;
  let rest = word.slice(base.length);
  const letters = rest.slice(0, row.dirLetters).toUpperCase();
  rest = rest.slice(row.dirLetters);
  const dirs = row.dirLetters === 2 ? letters : row.dirLetters === 1 ? `R${letters}` : row.dirs[0]!;
  if (!/^[RW]*$/.test(letters) || letters.length < row.dirLetters) throw unknownEdge(word);
  if (!row.dirs.includes(dirs)) {
    const forms = EDGE_WORDS.filter((w) => w.slice(0, -row.dirLetters) === row.base);
    throw new UserError(`unknown edge '${word}': ${row.base} comes as ${forms.join(', ')} only`);
  }
  const annots = parseAnnots(word, rest);
  const edge: Edge = { row, src: dirs[0] as Dir, dst: dirs[1] as Dir };
  if (annots) [edge.srcAnnot, edge.dstAnnot] = annots;
  return edge;
}

/** '' → no annotations; 'OnceAcquire' → both; anything else is an error. */
function parseAnnots(word: string, text: string): [Annot, Annot] | undefined {
  if (text === '') return undefined;
  const m = /^(once|acquire|release)(once|acquire|release)$/i.exec(text);
  if (!m) {
    throw new UserError(
      `${word}: '${text}' is not two annotations (each one of ${ANNOTS.join(', ')}, e.g. OnceAcquire)`,
    );
  }
  const annot = (s: string) => ANNOTS.find((a) => lower(a) === lower(s))!;
  return [annot(m[1]!), annot(m[2]!)];
}

function unknownEdge(word: string): UserError {
  return new UserError(
    `unknown edge '${word}'${didYouMean(word, EDGE_WORDS)}; smplab gen supports ${EDGE_WORDS.join(' ')} ` +
      `(Coe or Ws for Wse), each optionally followed by two annotations (${ANNOTS.join(', ')})`,
  );
}
