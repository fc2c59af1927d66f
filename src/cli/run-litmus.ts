// `smplab run <litmus test>`: the model's verdict above the hw histogram, each observed state
// graded by the model; `--explain` and `--ablate` add their sections. Writes the JSON record.

import type { Test } from '../litmus/ir.ts';
import { loadLitmus } from '../litmus/load.ts';
import { explain } from '../model/index.ts';
import { formatAblation } from '../report/ablation-text.ts';
import { formatLitmusReport, statesOutsideModel } from '../report/litmus-text.ts';
import { provenance } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { runAblations } from './ablate.ts';
import { emitResult } from './emit-result.ts';
import { type LitmusOutcome, runOnBackends } from './litmus-backends.ts';
import type { Options } from './options.ts';
import { displayPath } from './resolve.ts';

export async function runLitmusCommand(
  path: string,
  opts: Options,
  signal: AbortSignal,
): Promise<number> {
  const test = { ...loadLitmus(path), file: displayPath(path) };
  const outcome = await runOnBackends(test, opts, signal);
  const host = hostInfo();
  const sections: string[] = [formatLitmusReport({ test, host, ...outcome })];
  if (opts.explain && !signal.aborted)
    sections.push(['Explanation', ...explain(test, opts.model)].join('\n'));
  const ablation =
    opts.ablate && !signal.aborted ? await runAblations(test, opts, signal) : undefined;
  if (ablation) sections.push(formatAblation(test, ablation, opts.model));

  emitResult(
    test.name,
    litmusRecord(test, opts, outcome, ablation),
    () => sections.join('\n\n'),
    opts,
  );

  const outside =
    outcome.hw && outcome.verdict ? statesOutsideModel(outcome.hw.histogram, outcome.verdict) : [];
  return outside.length > 0 ? 1 : 0;
}

/** What results/<test>/<timestamp>.json holds: enough to trace a figure back and run it again. */
export function litmusRecord(
  test: Test,
  opts: Options,
  outcome: LitmusOutcome,
  ablation?: unknown,
) {
  return {
    kind: 'litmus',
    test: test.name,
    file: test.file,
    hash: test.hash,
    expected: test.expected ?? null,
    ...provenance(),
    options: {
      on: opts.on,
      model: opts.model,
      runs: opts.runs,
      size: outcome.hw?.size ?? opts.size ?? null,
      time: opts.time ?? null,
    },
    partial: (outcome.hw?.partial ?? false) || outcome.modelStopped?.reason === 'interrupted',
    model: outcome.verdict ?? null,
    modelStopped: outcome.modelStopped
      ? {
          reason: outcome.modelStopped.reason,
          elapsedMs: outcome.modelStopped.elapsedMs,
          progress: outcome.modelStopped.progress,
          collected: outcome.modelStopped.partial ?? null,
        }
      : null,
    hw: outcome.hw ?? null,
    hwSkipped: outcome.hwSkipped ?? null,
    ablation: ablation ?? null,
  };
}
