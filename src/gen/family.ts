// Every variant of a pattern over the kernel's orderings: each edge inside a thread becomes, in
// turn, each way the kernel can order its two accesses — plain po with READ_ONCE/WRITE_ONCE,
// po with a release store as its target or an acquire load as its source (or both), smp_mb(),
// smp_wmb() (write to write), smp_rmb() (read to read), and an addr, data or ctrl dependency
// (from a read; data and ctrl to a write) — and the family is every combination. Run through
// `check`, it is the map of which barrier is enough for the pattern. Rotations of a symmetric
// pattern are the same test (SB+fencembonceonce+poonceonce once, not twice).

import { type Cycle, checkCycle } from './cycle.ts';
import { type Annot, EDGE_ROWS, type Edge } from './edges.ts';
import { canonical } from './name.ts';
import { patternCycle } from './patterns.ts';

/** The ways to order one edge inside a thread, for its two accesses' directions. */
export function edgeOptions(skel: Edge): Edge[] {
  const dirs = skel.src + skel.dst;
  const annots: [Annot, Annot][] = [['Once', 'Once']];
  if (skel.dst === 'W') annots.push(['Once', 'Release']);
  if (skel.src === 'R') annots.push(['Acquire', 'Once']);
  if (skel.src === 'R' && skel.dst === 'W') annots.push(['Acquire', 'Release']);
  const po = EDGE_ROWS.find((r) => r.kind === 'po')!;
  const options: Edge[] = annots.map(([a, b]) => ({ ...skel, row: po, srcAnnot: a, dstAnnot: b }));
  for (const row of EDGE_ROWS) {
    if ((row.kind === 'fence' || row.kind === 'dep') && row.dirs.includes(dirs)) {
      options.push({ ...skel, row, srcAnnot: 'Once', dstAnnot: 'Once' });
    }
  }
  return options;
}

/** The family's cycles, one per distinct test, in the order of their names. */
export function familyCycles(pattern: string): Cycle[] {
  const skel = patternCycle(pattern).cycle;
  let partial: Edge[][] = [[]];
  for (const e of skel.edges) {
    const choices = e.row.kind === 'com' ? [e] : edgeOptions(e);
    partial = partial.flatMap((prefix) => choices.map((c) => [...prefix, c]));
  }
  const byName = new Map<string, Cycle>();
  for (const edges of partial) {
    const c = checkCycle(edges);
    byName.set(canonical(c).name, c);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
}
