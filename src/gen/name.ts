// Test names in the kernel's convention (tools/memory-model/litmus-tests/README, "Naming"): the
// pattern, then one word per thread built from the edges inside it — the edge's descriptor
// (po, fencemb, addr …) and the annotations of the two accesses it joins (pooncerelease:
// WRITE_ONCE then smp_store_release) — joined by '-' when a thread has several edges. When
// every such thread has the same word it is written once with an 's' (SB+poonceonces).
// Threads with a single access come last, as their annotations capitalised and run together
// (IRIW+fencembonceonces+OnceOnce).
//
// Of the rotations of a cycle that fit the pattern's row, the one whose thread words sort
// first (fences, then dependencies, then po; then alphabetically) is used, as the kernel's
// tests do for symmetric patterns: LB+fencembonceonce+ctrlonceonce, LB+poacquireonce+
// pooncerelease. diy7's own names pick differently in some IRIW-like cases.

import { type Cycle, rotate, threadStarts } from './cycle.ts';
import { PATTERN_NAMES, PATTERNS, skeleton } from './patterns.ts';

/** The pattern name used for cycles that are none of PATTERNS. */
export const UNNAMED_PATTERN = 'Cycle';

/** Accesses of each thread of a cycle that starts a thread, as indexes into c.annots. */
export function threadsOf(c: Cycle): number[][] {
  const threads: number[][] = [[]];
  c.edges.forEach((e, i) => {
    threads.at(-1)!.push(i);
    if (e.row.kind === 'com' && i < c.edges.length - 1) threads.push([]);
  });
  return threads;
}

/** The name's per-thread words (several-access threads) and single-access annotations. */
function nameParts(c: Cycle): { words: string[]; singles: string } {
  const words: string[] = [];
  let singles = '';
  for (const accesses of threadsOf(c)) {
    if (accesses.length === 1) {
      singles += c.annots[accesses[0]!]!;
      continue;
    }
    const inner = accesses.slice(0, -1).map((i) => {
      const d = c.edges[i]!.row.descriptor!;
      return `${d}${c.annots[i]!.toLowerCase()}${c.annots[i + 1]!.toLowerCase()}`;
    });
    words.push(inner.join('-'));
  }
  return { words, singles };
}

export function testName(pattern: string, c: Cycle): string {
  const { words, singles } = nameParts(c);
  const same = words.length >= 2 && words.every((w) => w === words[0]);
  const parts = [pattern, ...(same ? [`${words[0]}s`] : words)];
  if (singles) parts.push(singles);
  return parts.join('+');
}

/** Fences first, then dependencies, then plain po (LB+fencembonceonce+ctrlonceonce). */
const WORD_RANK: Record<string, number> = { fence: 0, addr: 1, data: 1, ctrl: 1, po: 2 };

/** How rotations of a symmetric pattern are ordered: by ranked words, then alphabetically. */
function rotationKey(c: Cycle): string {
  const { words, singles } = nameParts(c);
  const rank = (w: string) => WORD_RANK[/^(fence|addr|data|ctrl|po)/.exec(w)![1]!];
  return `${words.map((w) => `${rank(w)}${w}`).join('+')}+${singles}`;
}

/** The rotation to build and the name to give it: see the header. */
export function canonical(c: Cycle): { pattern: string; cycle: Cycle; name: string } {
  const starts = threadStarts(c).map((k) => rotate(c, k));
  for (const pattern of PATTERN_NAMES) {
    const fits = starts.filter((r) => skeleton(r) === PATTERNS[pattern]);
    if (fits.length === 0) continue;
    const cycle = fits.reduce((best, r) => (rotationKey(r) < rotationKey(best) ? r : best));
    return { pattern, cycle, name: testName(pattern, cycle) };
  }
  const cycle = starts[0]!;
  return { pattern: UNNAMED_PATTERN, cycle, name: testName(UNNAMED_PATTERN, cycle) };
}
