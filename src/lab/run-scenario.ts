// `run <program scenario>` as a use case: the scenario loaded once, every variant (or those
// asked for) on each backend asked for (default hw) that runs programs, the record saved.
// Returns the results and the record; the CLI prints. The status is 1 when a forbidden outcome
// was seen or a thread stalled where it must not, or the record could not be written.

import { backendNamed, defaultBackends } from '../backends/registry.ts';
import { UserError } from '../errors.ts';
import type { MemoryKindName } from '../memory/kinds.ts';
import { provenance } from '../report/results-file.ts';
import { loadScenario, loadScenarioFile } from '../runtime/scenario/load.ts';
import type { ScenarioResult } from '../runtime/scenario/result.ts';
import { runScenario } from '../runtime/scenario/run.ts';
import type { LabHooks } from './litmus.ts';
import { type Saved, saveResult } from './save.ts';

/** What a caller asks of a program scenario run. */
export interface ScenarioRequest {
  /** Backend names; undefined: the default for programs (hw). */
  on?: string[];
  /** Seconds per variant; undefined: the scenario's own. */
  time?: number;
  seed: number;
  /** Only these variants; undefined: all. */
  variants?: string[];
}

export interface ScenarioRun {
  results: ScenarioResult[];
  record: ReturnType<typeof scenarioRecord>;
  saved: Saved;
  status: number;
}

/** `file`: a scenario module named by its path (a user's own), else scenarios/<name>.ts. */
export async function runScenarioRequest(
  target: { name: string; file?: string },
  request: ScenarioRequest,
  hooks: LabHooks,
): Promise<ScenarioRun> {
  const scenario = target.file
    ? await loadScenarioFile(target.file)
    : await loadScenario(target.name);
  const backends = scenarioBackends(request);
  const results: ScenarioResult[] = [];
  for (const backend of backends) {
    if (hooks.signal.aborted) break;
    const shown = hooks.progress?.(`${backend.name} ${scenario.name}`);
    try {
      results.push(
        await runScenario(scenario, {
          backend: backend.name,
          memory: backend.memory,
          seed: request.seed,
          variants: request.variants,
          timeSeconds: request.time,
          signal: hooks.signal,
          onProgress: (variant, fraction) => shown?.update(fraction, variant),
        }),
      );
    } finally {
      shown?.done();
    }
  }
  const record = scenarioRecord(scenario.name, backends, request, hooks.signal.aborted, results);
  const saved = saveResult(scenario.name, record);
  const failed = results.some((r) => r.failures.length > 0);
  return { results, record, saved, status: failed || !('path' in saved) ? 1 : 0 };
}

function scenarioRecord(
  scenario: string,
  backends: { name: string }[],
  request: ScenarioRequest,
  partial: boolean,
  results: ScenarioResult[],
) {
  return {
    kind: 'program',
    scenario,
    ...provenance(),
    options: {
      on: backends.map((b) => b.name),
      variants: request.variants ?? null,
      time: request.time ?? null,
      seed: request.seed,
    },
    partial,
    backends: Object.fromEntries(results.map((r) => [r.backend, r])),
  };
}

/** The backends asked for, each with the memory object it runs programs on; a refusal otherwise. */
function scenarioBackends(request: ScenarioRequest): { name: string; memory: MemoryKindName }[] {
  return (request.on ?? defaultBackends('program')).map((name) => {
    const memory = backendNamed(name).scenarioMemory;
    if (memory === undefined)
      throw new UserError(
        `the ${name} backend runs litmus tests only, not program scenarios; run this one with --on ${defaultBackends('program').join(',')}`,
      );
    return { name, memory };
  });
}
