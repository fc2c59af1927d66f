// Two CPUs' memory objects over one buffer, scripted from the test's own thread: the memory
// object tests of RCU (rcu.test.ts, call-rcu-points.test.ts) step one, then the other.

import { CELL_BYTES, CONTROL_CELLS, FENCE_CELL, LINE_CELLS } from '../../src/memory/layout.ts';
import type { MemoryOps } from '../../src/memory/ops.ts';
import { portableOps, x86Ops } from '../../src/memory/x86.ts';

export const KINDS = { x86: x86Ops, portable: portableOps };

/**
 * CPUs 0 and 1 of 2 of `create` over the control lines and one line after them. A wait calls
 * `onWait` at each pass (the script lets the other CPU go on there) and throws past 1,000
 * passes: on one thread, a wait nothing in the script ends is a test failure, not a hang.
 */
export function twoCpus(
  create: typeof x86Ops,
  onWait: () => void = () => {},
): [MemoryOps, MemoryOps] {
  const m = new Int32Array(new SharedArrayBuffer((CONTROL_CELLS + LINE_CELLS) * CELL_BYTES));
  const [a, b] = [0, 1].map((cpu) =>
    create({
      m,
      fence: FENCE_CELL,
      cpu,
      cpus: 2,
      seed: 1,
      relax: (spins) => {
        onWait();
        if (spins > 1_000) throw new Error('waited 1,000 passes');
      },
    }),
  );
  return [a!, b!];
}
