// `smplab run <program scenario>`: every variant (or those named by --variant) in one command,
// one table side by side, the JSON record written; exit 1 when a forbidden outcome was seen
// or a thread stalled where it must not.

import type { Scenario } from '../kernel/scenario.ts';
import { ProgressBar } from '../report/progress.ts';
import { provenance } from '../report/results-file.ts';
import { formatScenarioResult } from '../report/scenario-text.ts';
import { loadScenario, loadScenarioFile } from '../runtime/scenario-load.ts';
import type { ScenarioResult } from '../runtime/scenario-result.ts';
import { runScenario } from '../runtime/scenario-run.ts';
import { emitResult } from './emit-result.ts';
import type { Options } from './options.ts';

export async function runScenarioCommand(
  name: string,
  opts: Options,
  signal: AbortSignal,
  file?: string,
): Promise<number> {
  const scenario = file ? await loadScenarioFile(file) : await loadScenario(name);
  const result = await runWithBar(scenario, opts, signal);
  const record = {
    kind: 'program',
    scenario: scenario.name,
    ...provenance(),
    options: { variants: opts.variants ?? null, time: opts.time ?? null },
    partial: signal.aborted,
    result,
  };
  emitResult(scenario.name, record, () => formatScenarioResult(result), opts);
  return result.failures.length > 0 ? 1 : 0;
}

async function runWithBar(
  scenario: Scenario,
  opts: Options,
  signal: AbortSignal,
): Promise<ScenarioResult> {
  const bar = new ProgressBar(scenario.name);
  try {
    return await runScenario(scenario, {
      variants: opts.variants,
      timeSeconds: opts.time,
      signal,
      onProgress: (variant, fraction) => bar.update(fraction, variant),
    });
  } finally {
    bar.done();
  }
}
