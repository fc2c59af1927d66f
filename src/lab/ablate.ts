// `smplab run <test> --ablate`: remove or weaken each ordering element of the test in turn
// (each fence, each release/acquire, each ONCE, each lock) and see which condition states the
// model then allows and which each threads backend then shows: which barriers are necessary.

import { witnessCounts } from '../litmus/state.ts';
import { ablations, checkModel } from '../model/index.ts';
import type { AblationRow } from '../report/ablation-text.ts';
import { type LabHooks, runOne, threadsBackends } from './litmus.ts';
import type { LitmusPlan } from './plan.ts';

/** Runs per ablated variant on each threads backend: enough to show SB's relaxed state, small enough for many rows. */
const RUNS_PER_ABLATION = 200_000;

export async function runAblations(plan: LitmusPlan, hooks: LabHooks): Promise<AblationRow[]> {
  const { test, settings } = plan;
  const timeoutMs = settings.modelTimeoutS * 1000;
  const base = checkModel(test, settings.model, { timeoutMs });
  // A smaller run than the plan's: its own settings, the plan's but for the runs.
  const ablated = { ...settings, runs: Math.min(settings.runs, RUNS_PER_ABLATION) };
  const rows: AblationRow[] = [];
  for (const a of ablations(test)) {
    if (hooks.signal.aborted) break;
    const verdict = checkModel(a.test, settings.model, { timeoutMs });
    const newlyAllowed = [...verdict.states]
      .filter(([s, e]) => e.witness && !base.states.has(s))
      .map(([s]) => s);
    const row: AblationRow = {
      element: a.element,
      change: a.change,
      observation: verdict.observation,
      newlyAllowed,
      runs: {},
    };
    for (const name of threadsBackends(plan)) {
      const r = await runOne(name, a.test, ablated, hooks, plan.engine);
      if (r.runs)
        row.runs[name] = {
          runs: r.runs.runs,
          witnesses: witnessCounts(a.test, r.runs.histogram).positive,
        };
    }
    rows.push(row);
  }
  return rows;
}
