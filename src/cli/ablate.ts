// `smplab run <test> --ablate`: remove or weaken each ordering element of the test in turn
// (each fence, each release/acquire, each ONCE, each lock) and see which condition states the
// model then allows and which each threads backend then shows: which barriers are necessary.

import { backendNamed } from '../backends/registry.ts';
import type { Test } from '../litmus/ir.ts';
import { witnessCounts } from '../litmus/state.ts';
import { ablations, checkModel } from '../model/index.ts';
import type { AblationRow } from '../report/ablation-text.ts';
import { backendOptions, litmusBackends, runOne } from './litmus-backends.ts';
import type { Options } from './options.ts';

/** Runs per ablated variant on each threads backend: enough to show SB's relaxed state, small enough for many rows. */
const RUNS_PER_ABLATION = 200_000;

/** The threads backends of a run (the ablation table's columns). */
export function ablationBackends(opts: Options): string[] {
  return litmusBackends(opts).filter((n) => backendNamed(n).produces === 'runs');
}

export async function runAblations(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<AblationRow[]> {
  const timeoutMs = opts.modelTimeoutS * 1000;
  const base = checkModel(test, opts.model, { timeoutMs });
  const runOpts = { ...backendOptions(opts), runs: Math.min(opts.runs, RUNS_PER_ABLATION) };
  const rows: AblationRow[] = [];
  for (const a of ablations(test)) {
    if (signal.aborted) break;
    const verdict = checkModel(a.test, opts.model, { timeoutMs });
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
    for (const name of ablationBackends(opts)) {
      const r = await runOne(name, a.test, runOpts, signal);
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
