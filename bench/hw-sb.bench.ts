// SB+poonceonces on this machine's CPUs (hw backend): runs per second and witnesses per second
// (SB's witness: both loads read 0), median of several runs, beside litmus7's figures on the
// same machine (DESIGN.md's quality bar). The load average is recorded: other processes on
// the same CPUs lower every figure, ours and litmus7's alike.

import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { parseLitmus } from '../src/litmus/parse.ts';
import { witnessCounts } from '../src/litmus/state.ts';
import { DEFAULT_HW_SIZE_SPIN, runLitmusOnHw } from '../src/runtime/litmus/run.ts';
import { median } from './stats.ts';

/** litmus7 -a 2 -s 100000 -r 50 -barrier userfence on this 2-CPU machine (issue 2). */
export const LITMUS7_REFERENCE = {
  runsPerSecond: 7_500_000,
  witnessesPerSecond: 2_000_000,
  options: '-a 2 -s 100000 -r 50 -barrier userfence',
};

const REPEATS = 5;
const RUNS = 5_000_000;
const SIZE = DEFAULT_HW_SIZE_SPIN;

const CORPUS_FILE = fileURLToPath(
  new URL('../scenarios/litmus/SB+poonceonces.litmus', import.meta.url),
);
const SB_TEXT = `C SB+poonceonces
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`;

const mega = (x: number) => `${(x / 1e6).toFixed(2)} M/s`;

interface Trial {
  runsPerSecond: number;
  witnessesPerSecond: number;
  elapsedMs: number;
  wallMs: number;
  lostMeetings: number;
}

async function trial(test: Test): Promise<Trial> {
  const r = await runLitmusOnHw({ test, settings: { runs: RUNS, size: SIZE, seed: 1 } });
  const witnesses = witnessCounts(test, r.histogram).positive;
  const seconds = r.elapsedMs / 1000;
  return {
    runsPerSecond: r.runs / seconds,
    witnessesPerSecond: witnesses / seconds,
    elapsedMs: r.elapsedMs,
    wallMs: r.wallMs,
    lostMeetings: r.lostMeetings,
  };
}

export default async function hwSb(): Promise<Record<string, unknown>> {
  const test = existsSync(CORPUS_FILE)
    ? loadLitmus(CORPUS_FILE)
    : parseLitmus(SB_TEXT, 'SB+poonceonces (built in)');
  const loadBefore = os.loadavg()[0]!;
  const trials: Trial[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t = await trial(test);
    trials.push(t);
    console.log(
      `  run ${i + 1}: ${mega(t.runsPerSecond)} runs, ${mega(t.witnessesPerSecond)} witnesses (${t.elapsedMs.toFixed(0)} ms; ${t.wallMs.toFixed(0)} ms with worker start; ${t.lostMeetings} lost meetings)`,
    );
  }
  const loadAfter = os.loadavg()[0]!;
  const runsPerSecond = median(trials.map((t) => t.runsPerSecond));
  const witnessesPerSecond = median(trials.map((t) => t.witnessesPerSecond));
  console.log(
    `SB+poonceonces hw, median of ${REPEATS} × ${RUNS.toLocaleString('en')} runs (size ${SIZE}):`,
  );
  console.log(`  smplab  ${mega(runsPerSecond)} runs, ${mega(witnessesPerSecond)} witnesses`);
  console.log(
    `  litmus7 ${mega(LITMUS7_REFERENCE.runsPerSecond)} runs, ${mega(LITMUS7_REFERENCE.witnessesPerSecond)} witnesses (${LITMUS7_REFERENCE.options})`,
  );
  console.log(`  load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  return {
    test: test.name,
    file: test.file,
    hash: test.hash,
    options: { runs: RUNS, size: SIZE, repeats: REPEATS, backend: 'hw' },
    runsPerSecond,
    witnessesPerSecond,
    trials,
    litmus7: LITMUS7_REFERENCE,
    loadAverage: { before: loadBefore, after: loadAfter },
    note: 'rates over the batch loop (elapsedMs: first start barrier to last batch end); wallMs adds starting and closing the workers',
  };
}
