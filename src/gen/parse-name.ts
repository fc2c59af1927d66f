// A kernel-style test name read back as a cycle: `smplab gen MP+pooncerelease+poacquireonce`
// is the MP pattern with P0's edge po from a once write to a release one, and P1's edge po
// from an acquire read to a once one. The inverse of name.ts's testName, for the patterns of
// patterns.ts and the edges of edges.ts; a bare pattern (`MP`) is its skeleton, all Once.

import { didYouMean, UserError } from '../errors.ts';
import { type Cycle, checkCycle } from './cycle.ts';
import { ANNOTS, type Annot, EDGE_ROWS, type Edge } from './edges.ts';
import { threadsOf } from './name.ts';
import { PATTERN_NAMES, patternCycle } from './patterns.ts';

const DESCRIPTORS = EDGE_ROWS.flatMap((r) => (r.descriptor ? [r.descriptor] : []));

/** The pattern part of a name: the longest known pattern it starts with (2+2W has a '+'). */
function splitPattern(name: string): [string, string] {
  const p = [...PATTERN_NAMES]
    .sort((a, b) => b.length - a.length)
    .find(
      (p) =>
        name.toLowerCase() === p.toLowerCase() ||
        name.toLowerCase().startsWith(`${p.toLowerCase()}+`),
    );
  if (p === undefined) {
    const head = name.split('+')[0]!;
    patternCycle(head); // throws the unknown-pattern error
    throw new UserError(`'${name}' does not start with a known pattern`);
  }
  return [p, name.slice(p.length + 1)];
}

export function cycleOfName(name: string): Cycle {
  const [pattern, rest] = splitPattern(name);
  const skel = patternCycle(pattern).cycle;
  if (rest === '') return skel;
  const threads = threadsOf(skel);
  const multi = threads.filter((t) => t.length > 1);
  const singles = threads.filter((t) => t.length === 1);
  let words = rest.split('+');
  const suffix = singles.length > 0 ? words.pop()! : '';
  if (words.length === 1 && multi.length > 1 && words[0]!.endsWith('s'))
    words = multi.map(() => words[0]!.slice(0, -1));
  if (words.length !== multi.length) {
    throw new UserError(
      `${name}: ${pattern} has ${multi.length} thread(s) with several accesses, so ${multi.length} ` +
        `descriptor(s) such as poonceonce${singles.length > 0 ? ", then the single accesses' annotations (Once…)" : ''}`,
    );
  }
  const edges: Edge[] = skel.edges.map((e) => ({ ...e }));
  multi.forEach((accesses, k) => {
    const parts = words[k]!.split('-');
    if (parts.length !== accesses.length - 1)
      throw new UserError(
        `${name}: '${words[k]}' describes ${parts.length} edge(s), thread has ${accesses.length - 1}`,
      );
    parts.forEach((part, j) => {
      const i = accesses[j]!;
      edges[i] = descriptorEdge(name, part, edges[i]!);
    });
  });
  const annots = parseSingles(name, suffix, singles.length);
  singles.forEach(([i], k) => {
    const prev = edges[(i! + edges.length - 1) % edges.length]!;
    edges[i!] = { ...edges[i!]!, srcAnnot: annots[k] };
    edges[(i! + edges.length - 1) % edges.length] = { ...prev, dstAnnot: annots[k] };
  });
  return checkCycle(edges);
}

/** `pooncerelease` on a WW edge: Pod, from a Once write to a Release one. */
function descriptorEdge(name: string, word: string, skel: Edge): Edge {
  const m = new RegExp(
    `^(${DESCRIPTORS.join('|')})(once|acquire|release)(once|acquire|release)$`,
  ).exec(word);
  if (!m) {
    throw new UserError(
      `${name}: '${word}' is not an edge descriptor (one of ${DESCRIPTORS.join(', ')}, then two of once, acquire, release)${didYouMean(
        word,
        DESCRIPTORS.map((d) => `${d}onceonce`),
      )}`,
    );
  }
  const row = EDGE_ROWS.find((r) => r.descriptor === m[1])!;
  const dirs = skel.src + skel.dst;
  if (!row.dirs.includes(dirs))
    throw new UserError(`${name}: ${m[1]} cannot order the Pod${dirs} edge of ${word}`);
  const annot = (s: string) => ANNOTS.find((a) => a.toLowerCase() === s)!;
  return { ...skel, row, srcAnnot: annot(m[2]!), dstAnnot: annot(m[3]!) };
}

function parseSingles(name: string, suffix: string, count: number): Annot[] {
  const found = suffix.match(/Once|Acquire|Release/g) ?? [];
  if (found.join('') !== suffix || found.length !== count) {
    throw new UserError(
      `${name}: '${suffix}' should be the annotations of the ${count} single-access thread(s), e.g. ${'Once'.repeat(count)}`,
    );
  }
  return found as Annot[];
}
