// weak-coverage: how much of what LKMM allows the weak backend shows, and how fast.
//
// 1. Kernel tests (../shared/lkmm), real threads: for each test whose condition lkmm can
//    satisfy, does weak show a witness within WEAK_COVERAGE_RUNS runs (default 1,000,000, the
//    issue's figure), which share of the lkmm-allowed final states it shows, and how many
//    states outside lkmm (must be 0).
// 2. The luc set (../shared/lkmm-luc, 1,876 diy7 tests), the same questions, in process
//    (src/memory/weak/interleave.ts: the same memory object and compiled code, a seeded scheduler)
//    with WEAK_COVERAGE_LUC_RUNS runs each (default 3,000): real threads would spend most of
//    an hour starting workers for 1,876 tests on this 2-CPU machine.
// 3. Speed: weak's runs/s and witnesses/s beside hw's on SB, MP, LB, WRC and IRIW, 1,000,000
//    runs each (WEAK_COVERAGE_SPEED_RUNS), with the load average (other processes slow both).

import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { KERNEL_LITMUS_DIR, REPO_ROOT } from '../src/lab/paths.ts';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { type Histogram, witnessCounts } from '../src/litmus/state.ts';
import { runWeakInProcess } from '../src/memory/weak/interleave.ts';
import { refuseOnWeak } from '../src/memory/weak/memory.ts';
import { checkModel } from '../src/model/index.ts';
import { runLitmusOnHw } from '../src/runtime/litmus/run.ts';

const RUNS = Number(process.env.WEAK_COVERAGE_RUNS ?? 1_000_000);
const LUC_RUNS = Number(process.env.WEAK_COVERAGE_LUC_RUNS ?? 3_000);
const SPEED_RUNS = Number(process.env.WEAK_COVERAGE_SPEED_RUNS ?? 1_000_000);
const SEED = Number(process.env.WEAK_COVERAGE_SEED ?? 1);
const LUC_DIR = join(REPO_ROOT, '../shared/lkmm-luc/litmus-tests');
const SPEED_TESTS = [
  'SB+poonceonces',
  'MP+poonceonces',
  'LB+poonceonces',
  'WRC+poonceonces+Once',
  'IRIW+poonceonces+OnceOnce',
];

interface Coverage {
  test: string;
  witnessed: boolean;
  witnesses: number;
  statesShown: number;
  statesAllowed: number;
  outside: string[];
}

/** One test's coverage from its histogram, against lkmm. */
function coverage(t: Test, h: Histogram): Coverage {
  const v = checkModel(t, 'lkmm');
  const shown = [...h.keys()].filter((s) => v.states.has(s));
  return {
    test: t.name,
    witnessed: shown.some((s) => v.states.get(s)!.witness),
    witnesses: witnessCounts(t, h).positive,
    statesShown: shown.length,
    statesAllowed: v.states.size,
    outside: [...h.keys()].filter((s) => !v.states.has(s)),
  };
}

/** The tests of a directory (and its subdirectories) whose condition lkmm can satisfy. */
function allowedTests(dir: string): Test[] {
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.litmus'))
    .sort();
  return files
    .map((f) => loadLitmus(join(dir, f)))
    .filter((t) => !refuseOnWeak(t) && checkModel(t, 'lkmm').positive > 0);
}

function summarise(label: string, rows: Coverage[], runs: number) {
  const witnessed = rows.filter((r) => r.witnessed).length;
  const shown = rows.reduce((n, r) => n + r.statesShown, 0);
  const allowed = rows.reduce((n, r) => n + r.statesAllowed, 0);
  const outside = rows.reduce((n, r) => n + r.outside.length, 0);
  const missed = rows.filter((r) => !r.witnessed).map((r) => r.test);
  console.log(
    `  ${label}: witnessed ${witnessed}/${rows.length} within ${runs.toLocaleString('en')} runs; ${shown}/${allowed} allowed states shown (${((100 * shown) / allowed).toFixed(1)}%); ${outside} states outside lkmm`,
  );
  if (missed.length)
    console.log(
      `  missed: ${missed.slice(0, 40).join(', ')}${missed.length > 40 ? ` … (${missed.length})` : ''}`,
    );
  return {
    runs,
    tests: rows.length,
    witnessed,
    statesShown: shown,
    statesAllowed: allowed,
    outside,
    missed,
  };
}

async function kernelCoverage() {
  const rows: Coverage[] = [];
  for (const t of allowedTests(KERNEL_LITMUS_DIR)) {
    const r = await runLitmusOnHw({
      test: t,
      settings: { runs: RUNS, seed: SEED },
      memory: 'weak',
    });
    rows.push(coverage(t, r.histogram));
  }
  return summarise('kernel tests, real threads', rows, RUNS);
}

function lucCoverage() {
  const rows = allowedTests(LUC_DIR).map((t) =>
    coverage(t, runWeakInProcess(t, { runs: LUC_RUNS, seed: SEED })),
  );
  return summarise('luc tests, in process', rows, LUC_RUNS);
}

async function speed() {
  const out: Record<string, unknown>[] = [];
  for (const name of SPEED_TESTS) {
    const t = loadLitmus(join(KERNEL_LITMUS_DIR, `${name}.litmus`));
    const row: Record<string, unknown> = { test: name };
    for (const memory of ['x86', 'weak'] as const) {
      const r = await runLitmusOnHw({
        test: t,
        settings: { runs: SPEED_RUNS, seed: SEED },
        memory: memory === 'x86' ? undefined : memory,
      });
      const s = r.elapsedMs / 1000;
      row[memory === 'x86' ? 'hw' : 'weak'] = {
        runsPerSecond: Math.round(r.runs / s),
        witnessesPerSecond: Math.round(witnessCounts(t, r.histogram).positive / s),
      };
    }
    const hw = row.hw as { runsPerSecond: number };
    const weak = row.weak as { runsPerSecond: number; witnessesPerSecond: number };
    row.weakShareOfHw = weak.runsPerSecond / hw.runsPerSecond;
    console.log(
      `  ${name.padEnd(28)} hw ${(hw.runsPerSecond / 1e6).toFixed(2)} M runs/s · weak ${(weak.runsPerSecond / 1e6).toFixed(2)} M runs/s, ${(weak.witnessesPerSecond / 1e3).toFixed(1)} k witnesses/s (${(100 * (row.weakShareOfHw as number)).toFixed(0)}% of hw)`,
    );
    out.push(row);
  }
  return out;
}

export default async function weakCoverage(): Promise<Record<string, unknown>> {
  if (!existsSync(KERNEL_LITMUS_DIR)) {
    console.log(`  skipped: ${KERNEL_LITMUS_DIR} is absent`);
    return { skipped: true };
  }
  const loadBefore = os.loadavg()[0]!;
  const kernel = await kernelCoverage();
  const luc = existsSync(LUC_DIR) ? lucCoverage() : { skipped: `${LUC_DIR} is absent` };
  const speeds = await speed();
  return {
    seed: SEED,
    kernel,
    luc,
    speed: speeds,
    speedRuns: SPEED_RUNS,
    loadBefore,
    loadAfter: os.loadavg()[0]!,
  };
}
