// The model at scale, against herd7 and against the engine before the verdict-only search,
// the shared shapes and the worker split (smplab commit 2a17f57, measured on this 2-CPU machine
// kind at load ~1, 2026-11-30, one checkModel per test, model time only):
//
// - each ../shared/lkmm-scale test (7 to 19 threads): the verdict time (check's verdict-only
//   search, in this process, median of VERDICT_PASSES) and whether it matches the Result line;
//   the all-states time (run --on model: runModel on one worker per CPU, wall and process CPU
//   time, worker start-up included) for tests of up to ALL_STATES_MAX_THREADS threads;
// - the whole ../shared/lkmm-luc set (1,876 diy7 tests): verdict-only and all states, one
//   process, parsing outside the timing.
//
// herd7's figures are those of ../shared/lkmm-scale/README.md and of the luc run (90 s of
// process time, 45 s wall on 2 CPUs). Again: `npm run bench -- model-scale`.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { checkModel, ModelStopped, runModel } from '../src/model/index.ts';
import { median } from './stats.ts';

const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const SCALE = `${SHARED}lkmm-scale`;
const LUC = `${SHARED}lkmm-luc`;
const VERDICT_PASSES = 3;
/** All states of the 16–19-thread tests are 65,536 to 524,288 executions: minutes, not a bench. */
/** Tests this small also get an in-process all-states time: the engine without worker start-up. */
const IN_PROCESS_MAX_EXECUTIONS = 4096;
const ALL_STATES_MAX_THREADS = 14;
const ALL_STATES_TIMEOUT_MS = 300_000;

/** Before (s, one checkModel, all states: the only search there was; '>60' ran out of 60 s). */
const BEFORE_S: Record<string, number | '>60'> = {
  'C-RW-G+RW-R+RW-G+RW-G+RW-Rr+RW-RC+RW-R': 0.13,
  'C-RW-G+RW-r+RW-C+RW-B+RW-G+RW-B+RW-B': 0.08,
  'C-RW-G+RW-Rr+RW-Ra+RW-R+RW-R+RW-R+RW-G+RW-R': 0.29,
  'C-RW-G+RW-Rrd+RW-D+RW-R+RW-R+RW-R+RW-R+RW-R': 0.18,
  'C-RR-G+RR-G+RR-G+RR-G+RR-R+RR-R+RR-R+RR-R': 38.03,
  'C-RR-G+RR-R+RR-G+RR-R+RR-R+RR-G+RR-G+RR-R': '>60',
  'C-RW-R+RW-R+RW-G+RW-G+RW-G+RW-G+RW-R+RW-R+RW-G+RW-G': 0.74,
  'C-RW-R+RW-R+RW-G+RW-G+RW-G+RW-G+RW-R+RW-R+RW-G+RW-R': 0.68,
  'C-RW-G+RW-G+RW-R+RW-R+RW-R+RW-R+RW-G+RW-G+RW-R+RW-G+RW-G': 1.89,
  'C-RW-R+RW-R+RW-G+RW-G+RW-G+RW-G+RW-R+RW-R+RW-G+RW-G+RW-R': 1.75,
  'C-RW-G+RW-G+RW-R+RW-R+RW-R+RW-R+RW-G+RW-G+RW-G+RW-R+RW-R+RW-R': 4.64,
  'C-RW-R+RW-R+RW-G+RW-G+RW-G+RW-G+RW-R+RW-R+RW-R+RW-G+RW-R+RW-G': 5.94,
  'C-RW-G+RW-R+RW-G+RW-R+RW-G+RW-R+RW-G+RW-R+RW-G+RW-R+RW-G+RW-R+RW-G+RW-R': 28.98,
};
/** herd7 wall (s), ../shared/lkmm-scale/README.md; absent: hours. */
const HERD7_S: Record<string, number> = {
  'C-RW-G+RW-R+RW-G+RW-G+RW-Rr+RW-RC+RW-R': 0.3,
  'C-RW-G+RW-r+RW-C+RW-B+RW-G+RW-B+RW-B': 0.3,
  'C-RW-G+RW-Rrd+RW-D+RW-R+RW-R+RW-R+RW-R+RW-R': 1.0,
  'C-RW-G+RW-Rr+RW-Ra+RW-R+RW-R+RW-R+RW-G+RW-R': 0.7,
  'C-RR-G+RR-R+RR-G+RR-R+RR-R+RR-G+RR-G+RR-R': 336.1,
  'C-RR-G+RR-G+RR-G+RR-G+RR-R+RR-R+RR-R+RR-R': 346.9,
};
const HERD7_LUC = { processS: 90, wallS: 45 };

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
};
const s2 = (x: number): number => Number(x.toFixed(2));

export default async function (): Promise<Record<string, unknown>> {
  if (!existsSync(SCALE)) {
    console.log(`skipped: ${SCALE} is absent`);
    return { skipped: `${SCALE} absent` };
  }
  const scale = await scaleTests();
  const luc = existsSync(LUC) ? lucSet() : { skipped: `${LUC} absent` };
  return { scale, luc, herd7Luc: HERD7_LUC };
}

async function scaleTests() {
  const tests = readdirSync(SCALE)
    .filter((f) => f.endsWith('.litmus'))
    .map((f) => loadLitmus(`${SCALE}/${f}`))
    .sort((a, b) => a.threads.length - b.threads.length || a.name.localeCompare(b.name));
  const rows = [];
  for (const t of tests) {
    const name = t.name.replace(/^auto\//, '');
    const times: number[] = [];
    let observation = '';
    for (let pass = 0; pass < VERDICT_PASSES; pass++) {
      const v = checkModel(t, 'lkmm', { search: 'verdict' });
      times.push(v.elapsedMs / 1000);
      observation = v.observation;
    }
    const all = t.threads.length <= ALL_STATES_MAX_THREADS ? await allStates(t) : undefined;
    const inProcess =
      all && all.executions >= 0 && all.executions <= IN_PROCESS_MAX_EXECUTIONS
        ? allStatesInProcess(t)
        : undefined;
    const row = {
      test: name,
      threads: t.threads.length,
      expected: t.expected,
      verdict: observation,
      verdictRight: observation === t.expected,
      verdictS: s2(median(times)),
      allStates: all ?? `skipped: more than ${ALL_STATES_MAX_THREADS} threads`,
      allStatesInProcess: inProcess ?? null,
      beforeS: BEFORE_S[name] ?? null,
      herd7S: HERD7_S[name] ?? null,
    };
    console.log(
      `${String(row.threads).padStart(2)} threads  verdict ${observation.padEnd(9)} ${row.verdictRight ? 'right' : 'WRONG'} ` +
        `${row.verdictS.toFixed(2).padStart(6)} s   all states ${all ? `${all.wallS.toFixed(2)} s wall, ${all.cpuS.toFixed(2)} s CPU, ${all.states} states` : '-'}` +
        `${inProcess ? ` (in process ${inProcess.cpuS.toFixed(2)} s CPU)` : ''}` +
        `   before ${row.beforeS ?? '-'} s   herd7 ${row.herd7S ?? 'hours'}   ${name}`,
    );
    rows.push(row);
  }
  return rows;
}

async function allStates(t: Test) {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  try {
    const v = await runModel(t, 'lkmm', { timeoutMs: ALL_STATES_TIMEOUT_MS });
    return {
      states: v.states.size,
      executions: v.executions,
      wallS: s2((performance.now() - w0) / 1000),
      cpuS: s2(cpuSeconds(c0)),
    };
  } catch (e) {
    if (!(e instanceof ModelStopped)) throw e;
    return {
      states: -1,
      executions: -1,
      wallS: s2((performance.now() - w0) / 1000),
      cpuS: s2(cpuSeconds(c0)),
      stopped: e.message,
    };
  }
}

/** One checkModel in this thread, after one warm-up run (JIT), as the before figures were taken. */
function allStatesInProcess(t: Test) {
  checkModel(t, 'lkmm', { timeoutMs: ALL_STATES_TIMEOUT_MS });
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  checkModel(t, 'lkmm', { timeoutMs: ALL_STATES_TIMEOUT_MS });
  return { wallS: s2((performance.now() - w0) / 1000), cpuS: s2(cpuSeconds(c0)) };
}

function lucSet() {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d)) {
      const p = `${d}/${f}`;
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.litmus')) files.push(p);
    }
  };
  walk(LUC);
  const tests = files.sort().map((f) => loadLitmus(f));
  const out: Record<string, unknown> = { tests: tests.length };
  for (const search of ['verdict', 'all'] as const) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (const t of tests) checkModel(t, 'lkmm', { search, timeoutMs: 600_000 });
    out[search] = { wallS: s2((performance.now() - w0) / 1000), cpuS: s2(cpuSeconds(c0)) };
    console.log(
      `luc, ${tests.length} tests, ${search === 'all' ? 'all states' : 'verdict only'}, one process: ` +
        `${(out[search] as { wallS: number }).wallS} s wall, ${(out[search] as { cpuS: number }).cpuS} s CPU ` +
        `(herd7: ${HERD7_LUC.processS} s process, ${HERD7_LUC.wallS} s wall on 2 CPUs)`,
    );
  }
  return out;
}
