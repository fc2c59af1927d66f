// `smplab run <test> --ablate`: remove or weaken each ordering element of the test in turn
// (each fence, each release/acquire, each ONCE, each lock) and see which condition states the
// model then allows and which each threads backend then shows: which barriers are necessary.

import type { RunSettings } from '../backends/backend.ts';
import type { Test } from '../litmus/ir.ts';
import { witnessCounts } from '../litmus/state.ts';
import { ablations, ModelStopped, runModel, type Verdict } from '../model/index.ts';
import type { AblationRow } from '../report/ablation-text.ts';
import { type LabHooks, runOne, threadsBackends } from './litmus.ts';
import type { LitmusPlan } from './plan.ts';

/** Runs per ablated variant on each threads backend: enough to show SB's relaxed state, small enough for many rows. */
const RUNS_PER_ABLATION = 200_000;

/**
 * The table, one row per ablation; `base`: the graded model's verdict on the test itself when
 * the run has it. The model's searches run as the model backend's do (off this thread, under
 * the run's budget); Ctrl-C ends the table with the rows done.
 */
export async function runAblations(
  plan: LitmusPlan,
  hooks: LabHooks,
  base?: Verdict,
): Promise<AblationRow[]> {
  const { test, settings } = plan;
  const { signal } = hooks;
  const verdictOf = (t: Test) =>
    runModel(t, settings.model, { timeoutMs: settings.modelTimeoutS * 1000, signal });
  // A smaller run than the plan's: its own settings, the plan's but for the runs.
  const ablated = { ...settings, runs: Math.min(settings.runs, RUNS_PER_ABLATION) };
  const rows: AblationRow[] = [];
  try {
    const allowed = base ?? (await verdictOf(test));
    for (const a of ablations(test)) {
      if (signal.aborted) break;
      const verdict = await verdictOf(a.test);
      const newlyAllowed = [...verdict.states]
        .filter(([s, e]) => e.witness && !allowed.states.has(s))
        .map(([s]) => s);
      const { element, change } = a;
      const runs = await threadsRuns(plan, a.test, ablated, hooks);
      rows.push({ element, change, observation: verdict.observation, newlyAllowed, runs });
    }
  } catch (e) {
    // Ctrl-C stopped the model's search: the table so far.
    if (!(e instanceof ModelStopped && e.reason === 'interrupted')) throw e;
  }
  return rows;
}

/** Each threads backend of the plan on one ablated test: its runs and witnesses. */
async function threadsRuns(
  plan: LitmusPlan,
  test: Test,
  settings: RunSettings,
  hooks: LabHooks,
): Promise<AblationRow['runs']> {
  const runs: AblationRow['runs'] = {};
  for (const name of threadsBackends(plan)) {
    const r = await runOne(name, test, settings, hooks, plan.engine);
    if (r.runs)
      runs[name] = {
        runs: r.runs.runs,
        witnesses: witnessCounts(test, r.runs.histogram).positive,
        stepped: r.runs.barrier === 'stepped',
      };
  }
  return runs;
}
