// The model backend's speed: checkModel(…, 'lkmm') over every kernel litmus test of
// ../shared/lkmm/litmus-tests, in one process, against herd7's 0.87 s wall for the same 35
// tests (one herd7 process per test, ../shared/lkmm/herd7-verdicts.tsv). Parsing is done once,
// outside the timing; a warm-up pass, then the median of PASSES timed passes.
// Again: `npm run bench model-lkmm`.

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { checkModel } from '../src/model/index.ts';
import { median } from './stats.ts';

const DIR = fileURLToPath(new URL('../../shared/lkmm/litmus-tests', import.meta.url));
const PASSES = 5;
const HERD7_WALL_S = 0.87;

export default async function (): Promise<Record<string, unknown>> {
  if (!existsSync(DIR)) {
    console.log(`skipped: ${DIR} is absent`);
    return { skipped: `${DIR} absent` };
  }
  const tests: Test[] = readdirSync(DIR)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => loadLitmus(`${DIR}/${f}`));
  for (const t of tests) checkModel(t, 'lkmm'); // warm-up: JIT, module loading
  const totals: number[] = [];
  const perTest = new Map<string, number[]>(tests.map((t) => [t.name, []]));
  for (let pass = 0; pass < PASSES; pass++) {
    const start = performance.now();
    for (const t of tests) {
      const v = checkModel(t, 'lkmm');
      perTest.get(t.name)!.push(v.elapsedMs);
    }
    totals.push(performance.now() - start);
  }
  const totalMs = median(totals);
  const [largest, largestMs] = [...perTest.entries()]
    .map(([name, ms]) => [name, median(ms)] as const)
    .sort((a, b) => b[1] - a[1])[0]!;
  console.log(
    `lkmm over ${tests.length} kernel tests, one process: ${totalMs.toFixed(1)} ms (median of ${PASSES}); ` +
      `herd7 ${(HERD7_WALL_S * 1000).toFixed(0)} ms wall; largest: ${largest} ${largestMs.toFixed(2)} ms`,
  );
  return {
    tests: tests.length,
    passes: PASSES,
    totalMs: Number(totalMs.toFixed(2)),
    passesMs: totals.map((x) => Number(x.toFixed(2))),
    largest: { test: largest, ms: Number(largestMs.toFixed(2)) },
    herd7WallMs: HERD7_WALL_S * 1000,
    speedup: Number(((HERD7_WALL_S * 1000) / totalMs).toFixed(1)),
  };
}
