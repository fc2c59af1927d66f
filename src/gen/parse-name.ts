// A test name read back as its cycle, the inverse of name.ts: `smplab gen
// MP+pooncerelease+poacquireonce` is MP (WW+RR: a thread writing then writing, one reading
// then reading) whose first thread's edge is po from a once write to a release one and whose
// second's is po from an acquire read to a once one. The family gives each thread's first and
// last access, hence the communications between threads (W to R: Rfe, R to W: Fre, W to W:
// Coe); each thread's word gives its edges (rfionceonce-poonceonce: Rfi then Po), a
// direction where neither edge says it (poRonceonce-posonceonce); the trailing capitalised
// word, the single-access threads' annotations. A bare family (`MP`) is its skeleton, all Once.

import { didYouMean, UserError } from '../errors.ts';
import { checkCycle } from './check.ts';
import type { Cycle } from './cycle.ts';
import {
  ANNOTS,
  type Annot,
  type Dir,
  EDGE_ROWS,
  type Edge,
  type EdgeRow,
  parseEdge,
} from './edges.ts';
import { communication, FAMILY_KEYS, FAMILY_NAMES, findFamily, skeletonEdges } from './families.ts';
import { ambiguousSource, ambiguousTarget } from './name.ts';

/** The descriptors a thread's word is made of, longest first (pos before po). */
const DESCRIBED = EDGE_ROWS.filter((r) => r.descriptor !== undefined).sort(
  (a, b) => b.descriptor!.length - a.descriptor!.length,
);
const EDGE_TOKEN = new RegExp(
  `^(${DESCRIBED.map((r) => r.descriptor).join('|')})([RW]?)(once|acquire|release)(once|acquire|release)$`,
);

/** The family part of a name (2+2W has a '+', a key such as WW+RR+WW+RR several) and the rest. */
function splitFamily(name: string): { family: string; key: string; rest: string[] } {
  const parts = name.split('+');
  for (const f of [...FAMILY_NAMES].sort((a, b) => b.length - a.length)) {
    const n = f.split('+').length;
    if (parts.slice(0, n).join('+').toLowerCase() === f.toLowerCase())
      return { family: f, key: FAMILY_KEYS[f]!, rest: parts.slice(n) };
  }
  let n = 0;
  while (n < parts.length && /^[RW]{1,2}$/.test(parts[n]!)) n++;
  const { name: family, key } = findFamily(n === 0 ? parts[0]! : parts.slice(0, n).join('+'));
  return { family, key, rest: parts.slice(n) };
}

export function cycleOfName(name: string): Cycle {
  const { family, key, rest } = splitFamily(name);
  if (rest.length === 0) return checkCycle(skeletonEdges(key));
  const points = key.split('+');
  const multi = points.filter((p) => p.length === 2).length;
  const singles = points.length - multi;
  let words = rest;
  const suffix = singles > 0 ? words.pop()! : '';
  if (words.length === 1 && multi > 1 && words[0]!.endsWith('s'))
    words = Array.from({ length: multi }, () => words[0]!.slice(0, -1));
  if (words.length !== multi) {
    throw new UserError(
      `${name}: ${family} has ${multi} thread(s) with several accesses, so ${multi} ` +
        `descriptor(s) such as poonceonce${singles > 0 ? ", then the single accesses' annotations (Once…)" : ''}`,
    );
  }
  const singleAnnots = parseSingles(name, suffix, singles);
  const threads = points.map((p) =>
    p.length === 2
      ? threadEdges(name, words.shift()!, p)
      : { edges: [], annots: [singleAnnots.shift()!] },
  );
  // Each thread's edges, then the communication to the next thread's first access.
  const edges: Edge[] = [];
  const annots: Annot[] = [];
  threads.forEach((t, i) => {
    edges.push(...t.edges);
    annots.push(...t.annots);
    edges.push(
      communication(key, points[i]!.at(-1) as Dir, points[(i + 1) % points.length]![0] as Dir),
    );
  });
  return checkCycle(
    edges.map((e, i) => ({ ...e, srcAnnot: annots[i], dstAnnot: annots[(i + 1) % edges.length] })),
  );
}

/** A thread's edges from its word, from first to last access as its points say (WR). */
function threadEdges(
  name: string,
  word: string,
  points: string,
): { edges: Edge[]; annots: Annot[] } {
  const tokens = word.split('-').map((tok) => {
    const m = EDGE_TOKEN.exec(tok);
    if (!m) {
      throw new UserError(
        `${name}: '${tok}' is not an edge descriptor (one of ${DESCRIBED.map((r) => r.descriptor).join(', ')}, ` +
          `then two of once, acquire, release)${didYouMean(
            tok,
            DESCRIBED.map((r) => `${r.descriptor}onceonce`),
          )}`,
      );
    }
    const row = DESCRIBED.find((r) => r.descriptor === m[1])!;
    return { tok, row, dir: m[2] as Dir | '', annots: [annot(m[3]!), annot(m[4]!)] as const };
  });
  const edges: Edge[] = [];
  let src = points[0] as Dir;
  tokens.forEach((t, k) => {
    const next = tokens[k + 1];
    const dst: Dir =
      k === tokens.length - 1 ? (points[1] as Dir) : t.dir || targetOf(name, t, next!);
    const word = `${t.row.base}${t.row.dirLetters === 2 ? src + dst : t.row.dirLetters === 1 ? dst : ''}`;
    if (!t.row.dirs.includes(src + dst))
      throw new UserError(`${name}: ${t.tok} cannot join ${dirName(src)} to ${dirName(dst)}`);
    edges.push(parseEdge(word));
    src = dst;
  });
  const annots = [...tokens.map((t) => t.annots[0]), tokens.at(-1)!.annots[1]];
  tokens.forEach((t, k) => {
    if (k > 0 && tokens[k - 1]!.annots[1] !== t.annots[0])
      throw new UserError(
        `${name}: '${word}' gives the access between ${tokens[k - 1]!.tok} and ${t.tok} two annotations`,
      );
  });
  return { edges, annots };
}

interface Token {
  tok: string;
  row: EdgeRow;
}

/** Where a word says no direction: the edge's own target, or the next edge's fixed source. */
function targetOf(name: string, t: Token, next: Token): Dir {
  if (ambiguousTarget(t.row) && ambiguousSource(next.row)) {
    const withDir = (d: Dir) => t.tok.replace(/(once|acquire|release)/, `${d}$1`);
    throw new UserError(
      `${name}: '${t.tok}' needs the direction of its target (${withDir('R')} or ${withDir('W')}) before ${next.tok}`,
    );
  }
  if (t.row.kind === 'com') return t.row.dirs[0]![1] as Dir;
  return next.row.dirs[0]![0] as Dir;
}

const annot = (s: string) => ANNOTS.find((a) => a.toLowerCase() === s)!;
const dirName = (d: Dir) => (d === 'R' ? 'a read' : 'a write');

function parseSingles(name: string, suffix: string, count: number): Annot[] {
  const found = suffix.match(/Once|Acquire|Release/g) ?? [];
  if (found.join('') !== suffix || found.length !== count) {
    throw new UserError(
      `${name}: '${suffix}' should be the annotations of the ${count} single-access thread(s), e.g. ${'Once'.repeat(count)}`,
    );
  }
  return found as Annot[];
}
