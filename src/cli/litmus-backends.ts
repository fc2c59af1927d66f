// Running one litmus test on the backends the options ask for, with a progress bar for hw.
// Shared by run, compare and the ablation table.

import type { Test } from '../litmus/ir.ts';
import { ModelStopped, runModel, type Verdict } from '../model/index.ts';
import { count } from '../report/format.ts';
import { ProgressBar } from '../report/progress.ts';
import { defaultHwSize, type HwResult, refuseOnHw, runLitmusOnHw } from '../runtime/litmus-hw.ts';
import type { Options } from './options.ts';

export interface LitmusOutcome {
  verdict?: Verdict;
  /** The model stopped before its answer (budget or Ctrl-C), with how far it got. */
  modelStopped?: ModelStopped;
  hw?: HwResult;
  /** Why hw was asked for and not run. */
  hwSkipped?: string;
}

/**
 * The model's answer, on worker threads (runModel) so that Ctrl-C reaches it at once. Out of
 * budget with hw to run as well, it gives up and hw runs ungraded; asked for alone, its
 * giving up is the answer (a UserError saying how far it got).
 */
async function modelVerdict(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<Pick<LitmusOutcome, 'verdict' | 'modelStopped'>> {
  if (!opts.on.includes('model')) return {};
  try {
    return {
      verdict: await runModel(test, opts.model, { timeoutMs: opts.modelTimeoutS * 1000, signal }),
    };
  } catch (e) {
    if (!(e instanceof ModelStopped)) throw e;
    if (e.reason === 'budget' && !opts.on.includes('hw')) throw e;
    return { modelStopped: e };
  }
}

export async function runOnBackends(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<LitmusOutcome> {
  const model = await modelVerdict(test, opts, signal);
  if (!opts.on.includes('hw') || signal.aborted) return model;
  const refusal = refuseOnHw(test);
  if (refusal) {
    // Asked for hw alone: the refusal is the answer. With the model too: say why and go on.
    if (!opts.on.includes('model')) throw refusal;
    return { ...model, hwSkipped: refusal.message };
  }
  return { ...model, hw: await runHwWithProgress(test, opts, signal) };
}

export async function runHwWithProgress(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<HwResult> {
  const bar = new ProgressBar(`hw ${test.name}`);
  try {
    return await runLitmusOnHw(
      test,
      {
        runs: opts.runs,
        size: Math.min(opts.size ?? defaultHwSize(test), opts.runs),
        timeSeconds: opts.time,
      },
      { signal, onProgress: (done, total) => bar.update(done / total, `${count(done)} runs`) },
    );
  } finally {
    bar.done();
  }
}
