// IRIW+poonceonces (4 threads) on this machine: how long 100,000 runs take when threads may
// outnumber CPUs (the parking barrier's case; litmus7 manages 394 runs/s on IRIW here).

import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadLitmus } from '../src/litmus/load.ts';
import { defaultHwSize, runLitmusOnHw } from '../src/runtime/litmus/run.ts';

const RUNS = 100_000;
const REPEATS = 3;
const FILE = fileURLToPath(
  new URL('../scenarios/litmus/IRIW+poonceonces+OnceOnce.litmus', import.meta.url),
);

export default async function hwIriw(): Promise<Record<string, unknown>> {
  if (!existsSync(FILE)) {
    console.log(`  skipped: ${FILE} is absent`);
    return { skipped: `${FILE} is absent` };
  }
  const test = loadLitmus(FILE);
  const trials: { wallMs: number; elapsedMs: number; states: number; barrier: string }[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const r = await runLitmusOnHw({ test, settings: { runs: RUNS, seed: 1 } });
    trials.push({
      wallMs: r.wallMs,
      elapsedMs: r.elapsedMs,
      states: r.histogram.size,
      barrier: r.barrier,
    });
    console.log(
      `  run ${i + 1}: ${RUNS.toLocaleString('en')} runs in ${(r.wallMs / 1000).toFixed(2)} s with worker start (${r.elapsedMs.toFixed(0)} ms of batches), ${r.barrier} barrier, ${r.histogram.size} states`,
    );
  }
  const wallMs = trials.map((t) => t.wallMs).sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!;
  console.log(
    `IRIW+poonceonces hw, ${os.availableParallelism()} CPUs: median ${(wallMs / 1000).toFixed(2)} s for ${RUNS.toLocaleString('en')} runs`,
  );
  return {
    test: test.name,
    file: test.file,
    hash: test.hash,
    options: { runs: RUNS, size: defaultHwSize(test), repeats: REPEATS },
    wallMs,
    trials,
  };
}
