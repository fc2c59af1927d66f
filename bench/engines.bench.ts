// SB and MP on every engine installed (hw): runs per second and witnesses per second, median
// of a few runs each, one row per engine and test. What differs is the engine's compiler and
// worker machinery, on the same CPUs: V8 in Node, Deno and Chromium, JavaScriptCore in Bun,
// SpiderMonkey in Firefox. Rates are over the batch loop (first start barrier to last batch
// end), so starting a child engine or a browser is not counted. The load average is recorded.

import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { chooseEngines, runOnEngine } from '../src/engines/run.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { witnessCounts } from '../src/litmus/state.ts';
import { hostMemoryKind } from '../src/memory/kinds.ts';
import { rate, table } from '../src/report/format.ts';
import { DEFAULT_HW_SIZE_SPIN } from '../src/runtime/litmus/run.ts';
import { median } from './stats.ts';

const TESTS = ['SB+poonceonces', 'MP+poonceonces'];
const REPEATS = 3;
const RUNS = 2_000_000;
const SIZE = DEFAULT_HW_SIZE_SPIN;

export default async function engines(): Promise<Record<string, unknown>> {
  const { choices, missing } = chooseEngines('all', []);
  const loadBefore = os.loadavg()[0]!;
  const rows: Record<string, unknown>[] = [];
  for (const name of TESTS) {
    const path = fileURLToPath(new URL(`../scenarios/litmus/${name}.litmus`, import.meta.url));
    const test = { ...loadLitmus(path), file: `scenarios/litmus/${name}.litmus` };
    for (const choice of choices) {
      const trials: { runsPerSecond: number; witnessesPerSecond: number }[] = [];
      let engine: unknown;
      for (let i = 0; i < REPEATS; i++) {
        const settings = { runs: RUNS, size: SIZE, seed: 1 };
        const run = await runOnEngine(choice, { test, settings, memory: hostMemoryKind() }, {});
        const s = run.elapsedMs / 1000;
        trials.push({
          runsPerSecond: run.runs / s,
          witnessesPerSecond: witnessCounts(test, run.histogram).positive / s,
        });
        engine = run.host.engine;
      }
      const row = {
        test: name,
        engine,
        runsPerSecond: median(trials.map((t) => t.runsPerSecond)),
        witnessesPerSecond: median(trials.map((t) => t.witnessesPerSecond)),
        trials,
      };
      console.log(
        `  ${name} on ${choice.label}: ${rate(row.runsPerSecond)} runs, ${rate(row.witnessesPerSecond)} witnesses`,
      );
      rows.push(row);
    }
  }
  const loadAfter = os.loadavg()[0]!;
  console.log(
    table([
      ['test', 'engine', 'runs/s', 'witnesses/s'],
      ...rows.map((r) => {
        const e = r.engine as { name: string; jsEngine: string };
        return [
          String(r.test),
          `${e.name} (${e.jsEngine})`,
          rate(r.runsPerSecond as number),
          rate(r.witnessesPerSecond as number),
        ];
      }),
    ]),
  );
  for (const m of missing) console.log(`  ${m.name}: not installed — ${m.install}`);
  console.log(`  load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after`);
  return {
    options: { tests: TESTS, runs: RUNS, size: SIZE, repeats: REPEATS, backend: 'hw' },
    rows,
    missing,
    loadAverage: { before: loadBefore, after: loadAfter },
  };
}
