// Test names as diy7 7.58 gives them (gen/namer.ml), which is how the kernel names its tests
// (tools/memory-model/litmus-tests/README, "Naming"): the family (families.ts), then one word
// per thread that has edges inside it — each edge's descriptor (po, pos, fencemb, addr, rfi …)
// and the annotations of the two accesses it joins (pooncerelease: WRITE_ONCE then
// smp_store_release), joined by '-' when a thread has several (rfionceonce-poonceonce), with
// the target's direction after the descriptor where neither the edge nor the next one says
// it (poRonceonce-posonceonce). When every thread has the same word it is written once with
// an 's' (SB+poonceonces). The annotations of the threads with a single access come last,
// capitalised and run together (IRIW+fencembonceonces+OnceOnce).
//
// The cycle is first started where diy7 starts it (normalise.ts), so a cycle written from any
// thread gets the same name.

import { type Cycle, threadsOf } from './cycle.ts';
import type { Annot, EdgeRow } from './edges.ts';
import { familyName } from './families.ts';
import { normalise } from './normalise.ts';

/** diy7's rotation of a cycle, its family and its name. */
export function canonical(c: Cycle): { family: string; cycle: Cycle; name: string } {
  const cycle = normalise(c);
  const family = familyName(cycle);
  return { family, cycle, name: testName(family, cycle) };
}

/** The name of a cycle that starts a thread, in its family. */
export function testName(family: string, c: Cycle): string {
  const words = threadsOf(c).flatMap((ids) => (ids.length > 1 ? [threadWord(c, ids)] : []));
  const singles = threadsOf(c)
    .flatMap((ids) => (ids.length === 1 ? [c.annots[ids[0]!]!] : []))
    .join('');
  const same = words.length >= 2 && words.every((w) => w === words[0]);
  const parts = [family, ...(same ? [`${words[0]}s`] : words)];
  if (singles) parts.push(singles);
  return parts.join('+');
}

/** A thread's word: its inner edges' descriptors and annotations (see the header). */
function threadWord(c: Cycle, ids: number[]): string {
  const inner = ids.slice(0, -1);
  return inner
    .map((i, k) => {
      const e = c.edges[i]!;
      const next = k + 1 < inner.length ? c.edges[inner[k + 1]!] : undefined;
      const dir = next && ambiguousTarget(e.row) && ambiguousSource(next.row) ? e.dst : '';
      return `${e.row.descriptor}${dir}${lower(c.annots[i]!)}${lower(c.annots[i + 1]!)}`;
    })
    .join('-');
}

const lower = (a: Annot) => a.toLowerCase();

/** Whether an edge's descriptor leaves its target's direction open (po, fence and dependencies). */
export const ambiguousTarget = (row: EdgeRow): boolean => row.kind !== 'com';
/** Whether it leaves its source's direction open (po and fences; a dependency starts at a read). */
export const ambiguousSource = (row: EdgeRow): boolean => row.kind === 'po' || row.kind === 'fence';
