// What the appended-to and in-cells tests compare: compiled accesses against the calls,
// stepped in process with the appended-to protocol on; and a run on real threads against lkmm.

import type { Test } from '../../../src/litmus/ir.ts';
import { APPEND_ONLY } from '../../../src/memory/weak/compiled.ts';
import { steppedRunner } from '../../../src/memory/weak/interleave.ts';
import { refuseOnWeak } from '../../../src/memory/weak/memory.ts';
import { checkModel } from '../../../src/model/index.ts';
import { runLitmusOnHw } from '../../../src/runtime/litmus/run.ts';

/**
 * The tests whose histograms differ between compiled accesses (functions, or inlined in the
 * body) and calls, stepped in process for 2,000 runs with the same seed and appended-to
 * locations on.
 */
export function differingStepped(tests: Test[], seed: number, how: true | 'inlined'): string[] {
  const differ: string[] = [];
  APPEND_ONLY.stepped = true;
  try {
    for (const t of tests) {
      if (refuseOnWeak(t)) continue;
      const compiled = steppedRunner(t, seed, how);
      const called = steppedRunner(t, seed, false);
      compiled.run(2_000);
      called.run(2_000);
      const a = JSON.stringify([...compiled.histogram].sort());
      if (a !== JSON.stringify([...called.histogram].sort())) differ.push(t.name);
    }
  } finally {
    APPEND_ONLY.stepped = false;
  }
  return differ;
}

/** States of t on real threads (4,000 runs in batches of 1,000) that lkmm does not allow. */
export async function outsideLkmmOnThreads(t: Test, seed: number): Promise<string[]> {
  const r = await runLitmusOnHw({
    test: t,
    settings: { runs: 4_000, size: 1_000, seed },
    memory: 'weak',
  });
  const v = checkModel(t, 'lkmm');
  return [...r.histogram.keys()].filter((s) => !v.states.has(s)).map((s) => `${t.name}: ${s}`);
}
