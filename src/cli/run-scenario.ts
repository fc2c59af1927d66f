// `smplab run <program scenario>`: every variant (or those named by --variant) in one command,
// one table side by side, on each backend asked for (--on; default hw) that runs programs, the
// JSON record written; exit 1 when a forbidden outcome was seen or a thread stalled where it
// must not.

import { backendNamed, defaultBackends } from '../backends/registry.ts';
import { UserError } from '../errors.ts';
import type { Scenario } from '../kernel/scenario.ts';
import type { MemoryKindName } from '../memory/kinds.ts';
import { ProgressBar } from '../report/progress.ts';
import { provenance } from '../report/results-file.ts';
import { formatScenarioResult } from '../report/scenario-text.ts';
import { loadScenario, loadScenarioFile } from '../runtime/scenario/load.ts';
import type { ScenarioResult } from '../runtime/scenario/result.ts';
import { runScenario } from '../runtime/scenario/run.ts';
import { emitResult } from './emit-result.ts';
import type { Options } from './options.ts';

export async function runScenarioCommand(
  name: string,
  opts: Options,
  signal: AbortSignal,
  file?: string,
): Promise<number> {
  const scenario = file ? await loadScenarioFile(file) : await loadScenario(name);
  const backends = scenarioBackends(opts);
  const results: ScenarioResult[] = [];
  for (const b of backends) {
    if (signal.aborted) break;
    results.push(await runWithBar(scenario, b, opts, signal));
  }
  const record = {
    kind: 'program',
    scenario: scenario.name,
    ...provenance(),
    options: {
      on: backends.map((b) => b.name),
      variants: opts.variants ?? null,
      time: opts.time ?? null,
      seed: opts.seed,
    },
    partial: signal.aborted,
    backends: Object.fromEntries(results.map((r) => [r.backend, r])),
  };
  const saved = emitResult(
    scenario.name,
    record,
    () => results.map(formatScenarioResult).join('\n\n'),
    opts,
  );
  return results.some((r) => r.failures.length > 0) || !saved ? 1 : 0;
}

/** The backends asked for, each with the memory object it runs programs on; a refusal otherwise. */
function scenarioBackends(opts: Options): { name: string; memory: MemoryKindName }[] {
  return (opts.on ?? defaultBackends('program')).map((name) => {
    const memory = backendNamed(name).scenarioMemory;
    if (memory === undefined)
      throw new UserError(
        `the ${name} backend runs litmus tests only, not program scenarios; run this one with --on ${defaultBackends('program').join(',')}`,
      );
    return { name, memory };
  });
}

async function runWithBar(
  scenario: Scenario,
  backend: { name: string; memory: MemoryKindName },
  opts: Options,
  signal: AbortSignal,
): Promise<ScenarioResult> {
  const bar = new ProgressBar(`${backend.name} ${scenario.name}`);
  try {
    return await runScenario(scenario, {
      backend: backend.name,
      memory: backend.memory,
      seed: opts.seed,
      variants: opts.variants,
      timeSeconds: opts.time,
      signal,
      onProgress: (variant, fraction) => bar.update(fraction, variant),
    });
  } finally {
    bar.done();
  }
}
