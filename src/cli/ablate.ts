// `smplab run <test> --ablate`: remove or weaken each ordering element of the test in turn
// (each fence, each release/acquire, each ONCE, each lock) and see which condition states the
// model then allows and which hw then shows: a table of which barriers are necessary.

import type { Test } from '../litmus/ir.ts';
import { stateSatisfies, witnessCounts } from '../litmus/state.ts';
import { ablations, checkModel } from '../model/index.ts';
import type { AblationRow } from '../report/ablation-text.ts';
import { refuseOnHw } from '../runtime/litmus-hw.ts';
import { runHwWithProgress } from './litmus-backends.ts';
import type { Options } from './options.ts';

/** hw runs per ablated variant: enough to show SB's relaxed state, small enough for many rows. */
const HW_RUNS_PER_ABLATION = 200_000;

export async function runAblations(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<AblationRow[]> {
  const timeoutMs = opts.modelTimeoutS * 1000;
  const base = checkModel(test, opts.model, { timeoutMs });
  const rows: AblationRow[] = [];
  for (const a of ablations(test)) {
    if (signal.aborted) break;
    const verdict = checkModel(a.test, opts.model, { timeoutMs });
    const newlyAllowed = [...verdict.states.keys()].filter(
      (s) => stateSatisfies(a.test, s) && !base.states.has(s),
    );
    const row: AblationRow = {
      element: a.element,
      change: a.change,
      observation: verdict.observation,
      newlyAllowed,
    };
    if (opts.on.includes('hw') && !refuseOnHw(a.test)) {
      const hw = await runHwWithProgress(
        a.test,
        { ...opts, runs: Math.min(opts.runs, HW_RUNS_PER_ABLATION) },
        signal,
      );
      row.hw = {
        runs: hw.runs,
        witnesses: witnessCounts(a.test, hw.histogram).positive,
      };
    }
    rows.push(row);
  }
  return rows;
}
