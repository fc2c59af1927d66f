// The relaxation edges `smplab gen` builds cycles from, as diy7 spells them for the LKMM
// (the `Cycle=` lines of the kernel's diy7-made tests: PodWROnceAcquire, RfeReleaseOnce,
// FenceMbdRWOnceOnce, DpCtrldWOnceOnce …), one row per edge family.
//
// An edge joins two accesses of a cycle. Communication edges go from a write to the read
// that reads it (Rf), from a read to a write coherence-after the one it read (Fr), or from
// a write to a coherence-later one (Co; diy7 once spelt it Ws), all on one location, either
// to another thread (Rfe, Fre, Coe: external) or within one (Rfi, Fri, Coi: internal). The
// others stay in a thread, ordered by program order alone (Po), a fence between the two
// accesses (FenceMb …) or a dependency of the second on the value the first read (DpAddr,
// DpData, DpCtrl), and either move to a different location (d: Pod, FenceMbd, DpAddrd) or
// stay on the same one (s: Pos, FenceMbs, DpAddrs). The direction letters (WR: from a write
// to a read) and the two annotations (OnceAcquire) say what the accesses are. This module
// parses one edge word; check.ts checks a whole cycle.
//
// Not supported (a UserError lists what is): RMW edges, and fences other than smp_mb,
// smp_wmb and smp_rmb.

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
  /** diy7's name without directions and annotations: Rfe, Rfi, PodWW's Pod, FenceMbd, DpAddrs. */
  base: string;
  kind: 'com' | 'po' | 'fence' | 'dep';
  /** Directions the edge may join, as source+target pairs ('WR'). */
  dirs: readonly string[];
  /** com edges: the communication, and whether it goes to another thread (Rfe) or not (Rfi). */
  com?: 'rf' | 'fr' | 'co';
  external?: boolean;
  /** Whether the two accesses are to one location: every com edge, Pos, FenceMbs, DpAddrs. */
  sameLocation: boolean;
  fence?: FenceAnnot;
  dep?: Dep;
  /** The word diy7's test names use for this edge inside a thread (po, pos, fencemb, addr, rfi). */
  descriptor?: string;
  /** How many direction letters the word carries: 0 (Rfe), 1 (DpAddrdR: the target), 2 (PodWR). */
  dirLetters: 0 | 1 | 2;
}

const ALL = ['WW', 'WR', 'RW', 'RR'];

/** A row for each of the edge's two location variants: d (a different one) and s (the same). */
function both(
  base: string,
  row: Omit<EdgeRow, 'base' | 'sameLocation' | 'descriptor'>,
  descriptor: string,
): EdgeRow[] {
  return [
    { ...row, base: `${base}d`, sameLocation: false, descriptor },
    { ...row, base: `${base}s`, sameLocation: true, descriptor: `${descriptor}s` },
  ];
}

function com(base: string, c: 'rf' | 'fr' | 'co', dir: string, external: boolean): EdgeRow {
  const descriptor = external ? undefined : base.toLowerCase();
  const row: EdgeRow = {
    base,
    kind: 'com',
    com: c,
    external,
    sameLocation: true,
    dirs: [dir],
    dirLetters: 0,
  };
  return descriptor ? { ...row, descriptor } : row;
}

// One row per edge family; `smplab gen --cycle` accepts exactly these (and the aliases below).
export const EDGE_ROWS: readonly EdgeRow[] = [
  com('Rfe', 'rf', 'WR', true),
  com('Fre', 'fr', 'RW', true),
  com('Coe', 'co', 'WW', true),
  com('Rfi', 'rf', 'WR', false),
  com('Fri', 'fr', 'RW', false),
  com('Coi', 'co', 'WW', false),
  { base: 'Pod', kind: 'po', sameLocation: false, descriptor: 'po', dirs: ALL, dirLetters: 2 },
  { base: 'Pos', kind: 'po', sameLocation: true, descriptor: 'pos', dirs: ALL, dirLetters: 2 },
  ...both('FenceMb', { kind: 'fence', fence: 'mb', dirs: ALL, dirLetters: 2 }, 'fencemb'),
  ...both('FenceWmb', { kind: 'fence', fence: 'wmb', dirs: ['WW'], dirLetters: 2 }, 'fencewmb'),
  ...both('FenceRmb', { kind: 'fence', fence: 'rmb', dirs: ['RR'], dirLetters: 2 }, 'fencermb'),
  ...both('DpAddr', { kind: 'dep', dep: 'addr', dirs: ['RR', 'RW'], dirLetters: 1 }, 'addr'),
  ...both('DpData', { kind: 'dep', dep: 'data', dirs: ['RW'], dirLetters: 1 }, 'data'),
  ...both('DpCtrl', { kind: 'dep', dep: 'ctrl', dirs: ['RR', 'RW'], dirLetters: 1 }, 'ctrl'),
];

/** Older spellings of the coherence edges (diy7 before 7.56 wrote Ws for Co). */
const ALIASES: Record<string, string> = { Wse: 'Coe', Ws: 'Coe', Wsi: 'Coi' };

/** An edge from one thread to another: where a cycle's threads begin and end. */
export const isExternal = (row: EdgeRow): boolean => row.external === true;

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
      `(Wse and Wsi for Coe and Coi), each optionally followed by two annotations (${ANNOTS.join(', ')})`,
  );
}
