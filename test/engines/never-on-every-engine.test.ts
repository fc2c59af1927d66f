// The corpus's Never tests on every engine: no engine may show a state lkmm forbids, and each
// result names its engine truthfully (Bun is JavaScriptCore, not "node 26"). Each test runs
// under one of a few settings of the knobs (issue 19), which every engine must take and record:
// they change how often a state shows, never what may show. Node runs in this
// process, Bun and Deno as child runners, the browsers in one headless session each. An engine
// that is not installed is skipped with a message outside CI and fails in CI (.ci/run installs
// them all).

import test from 'ava';
import { runBounds, statesOutside } from '../../src/backends/soundness.ts';
import { refuseOnThreads } from '../../src/backends/threads.ts';
import { withBrowser } from '../../src/engines/browser/run-browser.ts';
import { ENGINES } from '../../src/engines/registry.ts';
import { runInChild } from '../../src/engines/run-child.ts';
import type { Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { hostMemoryKind } from '../../src/memory/kinds.ts';
import { checkModel, type Verdict } from '../../src/model/index.ts';
import type { Knobs } from '../../src/runtime/litmus/knobs.ts';
import { type RunsResult, runLitmusOnHw } from '../../src/runtime/litmus/run.ts';
import { CORPUS_DIR, litmusFiles } from '../litmus/kernel-tests.ts';
import { absentEngine } from './presence.ts';

/** Per test and engine: enough to exercise the batch loop over several batches, cheap in CI. */
const RUNS = 20_000;
const SIZE = 5_000;

const nevers: { test: Test; verdict: Verdict }[] = litmusFiles(CORPUS_DIR)
  .map((f) => loadLitmus(f))
  .filter((t) => t.expected === 'Never' && !refuseOnThreads('hw', t))
  .map((t) => ({ test: t, verdict: checkModel(t, 'lkmm') }));

/** Knobs other than the defaults, one setting per test in turn (stress workers among them). */
const KNOB_SETTINGS: Partial<Knobs>[] = [
  { start: 'flag', delay: 'sweep', order: 'reversed', stress: 1 },
  { start: 'timebase', pad: 32 },
  { start: 'none', delay: 0 },
];
const knobsFor = (t: Test) => KNOB_SETTINGS[nevers.findIndex((n) => n.test === t) % 3]!;

const job = (t: Test) => ({
  test: t,
  settings: { runs: RUNS, size: SIZE, seed: 1, ...knobsFor(t) },
  memory: hostMemoryKind(),
});

for (const engine of ENGINES) {
  test.serial(
    `${engine.name}: every Never test of the corpus, 0 states outside lkmm`,
    async (t) => {
      // Every Never test, each starting its workers: minutes on a busy 2-core machine.
      t.timeout(600_000);
      const at = engine.locate();
      if (!at) return absentEngine(t, engine);
      t.true(nevers.length >= 10, `${nevers.length} Never tests`);
      const runs: { test: Test; verdict: Verdict; run: RunsResult }[] = [];
      if (engine.kind === 'browser') {
        await withBrowser(engine, at, [], nevers, async (run) => {
          for (const n of nevers) runs.push({ ...n, run: await run(job(n.test), {}) });
        });
      } else if (engine.name === 'node') {
        for (const n of nevers) runs.push({ ...n, run: await runLitmusOnHw(job(n.test)) });
      } else {
        for (const n of nevers)
          runs.push({ ...n, run: await runInChild(engine, at, { ...job(n.test), flags: [] }, {}) });
      }
      for (const { test: lt, verdict, run } of runs) {
        t.is(run.runs, RUNS, lt.name);
        t.deepEqual(
          statesOutside(run.histogram.keys(), runBounds('hw', run.memory), (m) =>
            m === 'lkmm' ? verdict.states : undefined,
          ),
          [],
          `${lt.name} on ${engine.name}`,
        );
        t.like(run.knobs, knobsFor(lt), `${lt.name} on ${engine.name}: the knobs it had`);
        t.is(run.host.engine.name, engine.name);
        t.is(run.host.engine.jsEngine, engine.jsEngine);
      }
    },
  );
}
