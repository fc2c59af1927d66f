// Running one litmus test on the backends the options ask for, with a progress bar for hw.
// Shared by run, compare and the ablation table.

import { resolve } from 'node:path';
import { chooseEngines, type EngineChoice, runOnEngine } from '../engines/run.ts';
import type { Test } from '../litmus/ir.ts';
import { checkModel, type Verdict } from '../model/index.ts';
import { count } from '../report/format.ts';
import { ProgressBar } from '../report/progress.ts';
import { type HostInfo, hostInfo } from '../runtime/host.ts';
import { defaultHwSize, type HwResult, refuseOnHw, runLitmusOnHw } from '../runtime/litmus-hw.ts';
import type { Options } from './options.ts';
import { REPO_ROOT } from './paths.ts';

export interface LitmusOutcome {
  verdict?: Verdict;
  hw?: HwResult;
  /** Why hw was asked for and not run. */
  hwSkipped?: string;
  /** The machine and engine hw ran on (the driver's when hw did not run). */
  host: HostInfo;
}

export function modelVerdict(test: Test, opts: Options): Verdict | undefined {
  if (!opts.on.includes('model')) return undefined;
  return checkModel(test, opts.model, { timeoutMs: opts.modelTimeoutS * 1000 });
}

/** The engine --engine names (one), or undefined for this process. */
export function singleEngine(opts: Options): EngineChoice | undefined {
  if (opts.engine === undefined) {
    if (opts.engineFlags.length > 0) return chooseEngines('node', opts.engineFlags).choices[0];
    return undefined;
  }
  return chooseEngines(opts.engine, opts.engineFlags).choices[0];
}

/**
 * The model's verdict, then hw on `engine` (this process when undefined). A verdict already
 * computed (once for every engine of --engine all) is passed in.
 */
export async function runOnBackends(
  test: Test,
  opts: Options,
  signal: AbortSignal,
  engine: EngineChoice | undefined = singleEngine(opts),
  verdict: Verdict | undefined = modelVerdict(test, opts),
): Promise<LitmusOutcome> {
  const here = hostInfo();
  if (!opts.on.includes('hw') || signal.aborted) return { verdict, host: here };
  const refusal = refuseOnHw(test);
  if (refusal) {
    // Asked for hw alone: the refusal is the answer. With the model too: say why and go on.
    if (!verdict) throw refusal;
    return { verdict, hwSkipped: refusal.message, host: here };
  }
  if (!engine) return { verdict, hw: await runHwWithProgress(test, opts, signal), host: here };
  const bar = new ProgressBar(`hw ${test.name} on ${engine.label}`);
  try {
    const run = await runOnEngine(
      engine,
      test,
      verdict,
      {
        path: resolve(REPO_ROOT, test.file),
        file: test.file,
        runs: opts.runs,
        size: opts.size,
        time: opts.time,
        flags: engine.flags,
      },
      { signal, onProgress: (done, total) => bar.update(done / total, `${count(done)} runs`) },
    );
    return { verdict, hw: run.hw, host: run.host };
  } finally {
    bar.done();
  }
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
