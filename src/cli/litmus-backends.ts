// Running one litmus test on the backends the options ask for, with a progress bar for hw.
// Shared by run, compare and the ablation table.

import type { Test } from '../litmus/ir.ts';
import { checkModel, type Verdict } from '../model/index.ts';
import { count } from '../report/format.ts';
import { ProgressBar } from '../report/progress.ts';
import { defaultHwSize, type HwResult, refuseOnHw, runLitmusOnHw } from '../runtime/litmus-hw.ts';
import type { Options } from './options.ts';

export interface LitmusOutcome {
  verdict?: Verdict;
  hw?: HwResult;
  /** Why hw was asked for and not run. */
  hwSkipped?: string;
}

function modelVerdict(test: Test, opts: Options): Verdict | undefined {
  if (!opts.on.includes('model')) return undefined;
  return checkModel(test, opts.model, { timeoutMs: opts.modelTimeoutS * 1000 });
}

export async function runOnBackends(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<LitmusOutcome> {
  const verdict = modelVerdict(test, opts);
  if (!opts.on.includes('hw') || signal.aborted) return { verdict };
  const refusal = refuseOnHw(test);
  if (refusal) {
    // Asked for hw alone: the refusal is the answer. With the model too: say why and go on.
    if (!verdict) throw refusal;
    return { verdict, hwSkipped: refusal.message };
  }
  return { verdict, hw: await runHwWithProgress(test, opts, signal) };
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
