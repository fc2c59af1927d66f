// Every variant of a pattern over the kernel's orderings: each edge inside a thread becomes, in
// turn, each way the kernel can order its two accesses — plain po with READ_ONCE/WRITE_ONCE,
// po with a release store as its target or an acquire load as its source (or both), smp_mb(),
// smp_wmb() (write to write), smp_rmb() (read to read), and an addr, data or ctrl dependency
// (from a read; data and ctrl to a write) — and the family is every combination. Run through
// `check`, it is the map of which barrier is enough for the pattern. Rotations of a symmetric
// pattern are the same test (SB+fencembonceonce+poonceonce once, not twice).

import { checkCycle } from './check.ts';
import type { Cycle } from './cycle.ts';
import { type Annot, EDGE_ROWS, type Edge, isExternal } from './edges.ts';
import { skeletonEdges } from './families.ts';
import { canonical } from './name.ts';

/** The ways to order one edge inside a thread, for its two accesses' directions. */
export function edgeOptions(skel: Edge): Edge[] {
  const dirs = skel.src + skel.dst;
  const annots: [Annot, Annot][] = [['Once', 'Once']];
  if (skel.dst === 'W') annots.push(['Once', 'Release']);
  if (skel.src === 'R') annots.push(['Acquire', 'Once']);
  if (skel.src === 'R' && skel.dst === 'W') annots.push(['Acquire', 'Release']);
  const po = EDGE_ROWS.find((r) => r.base === 'Pod')!;
  const options: Edge[] = annots.map(([a, b]) => ({ ...skel, row: po, srcAnnot: a, dstAnnot: b }));
  for (const row of EDGE_ROWS) {
    const orders = row.kind === 'fence' || row.kind === 'dep';
    if (orders && row.sameLocation === skel.row.sameLocation && row.dirs.includes(dirs)) {
      options.push({ ...skel, row, srcAnnot: 'Once', dstAnnot: 'Once' });
    }
  }
  return options;
}

/** The family's cycles (its key, as families.ts has it), one per distinct test, by name. */
export function familyCycles(key: string): Cycle[] {
  let partial: Edge[][] = [[]];
  for (const e of skeletonEdges(key)) {
    const choices = isExternal(e.row) ? [e] : edgeOptions(e);
    partial = partial.flatMap((prefix) => choices.map((c) => [...prefix, c]));
  }
  const byName = new Map<string, Cycle>();
  for (const edges of partial) {
    const c = checkCycle(edges);
    byName.set(canonical(c).name, c);
  }
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, c]) => c);
}
