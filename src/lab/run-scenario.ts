// `run <program scenario>` as a use case: the scenario loaded once, every variant (or those
// asked for) on each backend asked for (default model and hw): the threads backends run it on
// CPUs, the model explores it (src/explore/); the record saved.
// Returns the results and the record; the CLI prints. The status is 1 when a forbidden outcome
// was seen or a thread stalled where it must not, or the record could not be written.

import { backendNamed, defaultBackends } from '../backends/registry.ts';
import { UserError } from '../errors.ts';
import { runExplorer } from '../explore/run.ts';
import type { ScenarioModelResult } from '../explore/scenario-result.ts';
import type { Scenario } from '../kernel/scenario.ts';
import type { MemoryKindName } from '../memory/kinds.ts';
import type { ModelName } from '../model/core/base.ts';
import { provenance } from '../report/results-file.ts';
import { loadScenario, loadScenarioFile } from '../runtime/scenario/load.ts';
import type { ScenarioResult } from '../runtime/scenario/result.ts';
import { chooseVariants, runScenario } from '../runtime/scenario/run.ts';
import type { LabHooks } from './litmus.ts';
import { type Saved, saveResult } from './save.ts';
import { drawExplanations, outcomeNamed } from './scenario-explain.ts';

/** What a caller asks of a program scenario run. */
export interface ScenarioRequest {
  /** Backend names; undefined: the default for programs (hw). */
  on?: string[];
  /** Seconds per variant; undefined: the scenario's own. */
  time?: number;
  seed: number;
  /** Only these variants; undefined: all. */
  variants?: string[];
  /** The explorer's model, budget per variant (seconds) and loop bound (model backend). */
  model: ModelName;
  modelTimeoutS: number;
  loopBound: number;
  /** --explain: the words naming the outcome to explain (the model backend's). */
  explain?: string;
  /** --ablate: each ordering call of each variant weakened alone (the model backend's). */
  ablate?: boolean;
  /** --dot / --svg: files to draw the explained execution in. */
  dot?: string;
  svg?: string;
}

export interface ScenarioRun {
  results: (ScenarioResult | ScenarioModelResult)[];
  record: ReturnType<typeof scenarioRecord>;
  saved: Saved;
  status: number;
  /** The files --dot/--svg wrote. */
  drawn?: string[];
  /**
   * A backend refused the scenario (its code threw, read the host's clock) after an earlier one
   * had collected results: those are kept, the record marked partial, the refusal here.
   */
  refused?: UserError;
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
  // An unknown --variant is refused before any backend has run (the explorer would answer none).
  chooseVariants(scenario, request.variants);
  const explain = explainedOutcome(scenario, request, backends);
  if (request.ablate) needsModel('--ablate explores the scenario again on the model', backends);
  const results: (ScenarioResult | ScenarioModelResult)[] = [];
  let refused: UserError | undefined;
  for (const backend of backends) {
    if (hooks.signal.aborted) break;
    const shown = hooks.progress?.(`${backend.name} ${scenario.name}`);
    const onProgress = (variant: string, fraction: number) => shown?.update(fraction, variant);
    try {
      results.push(
        backend.memory === undefined
          ? await runExplorer(scenario, {
              model: request.model,
              ...(request.variants && { variants: request.variants }),
              timeoutMs: request.modelTimeoutS * 1000,
              loopBound: request.loopBound,
              signal: hooks.signal,
              onProgress,
              ...(explain !== undefined && { explain }),
              ...(request.ablate && { ablate: true }),
            })
          : await runScenario(scenario, {
              backend: backend.name,
              memory: backend.memory,
              seed: request.seed,
              variants: request.variants,
              timeSeconds: request.time,
              signal: hooks.signal,
              onProgress,
            }),
      );
    } catch (e) {
      // With nothing collected yet the refusal is all there is to say: no record.
      if (!(e instanceof UserError) || results.length === 0) throw e;
      refused = e;
      break;
    } finally {
      shown?.done();
    }
  }
  const record = scenarioRecord(
    scenario.name,
    backends,
    { ...request, ...(explain !== undefined && { explain }) },
    hooks.signal.aborted || refused !== undefined,
    results,
  );
  const saved = saveResult(scenario.name, record);
  const failed = results.some((r) => r.failures.length > 0);
  const explored = results.find((r): r is ScenarioModelResult => 'model' in r);
  const drawn =
    explored && (request.dot || request.svg)
      ? await drawExplanations(explored, request)
      : undefined;
  return {
    results,
    record,
    saved,
    status: refused ? 2 : failed || !('path' in saved) ? 1 : 0,
    ...(drawn && { drawn }),
    ...(refused && { refused }),
  };
}

/** --explain's outcome, checked: it needs the model among the backends, --dot/--svg need it. */
function explainedOutcome(
  s: Scenario,
  request: ScenarioRequest,
  backends: { name: string; memory: MemoryKindName | undefined }[],
): string | undefined {
  if (request.explain === undefined) {
    if (request.dot || request.svg)
      throw new UserError(
        `--dot and --svg draw the execution --explain OUTCOME finds: smplab run ${s.name} --on model --explain "${s.outcomes[0]?.name}" --svg FILE`,
      );
    return undefined;
  }
  const outcome = outcomeNamed(s, request.explain);
  needsModel('--explain shows an execution the model explores', backends);
  return outcome;
}

function needsModel(why: string, backends: { name: string; memory: MemoryKindName | undefined }[]) {
  if (!backends.some((b) => b.memory === undefined))
    throw new UserError(
      `${why}; add it: --on ${[...backends.map((b) => b.name), 'model'].join(',')}`,
    );
}

function scenarioRecord(
  scenario: string,
  backends: { name: string; memory: MemoryKindName | undefined }[],
  request: ScenarioRequest,
  partial: boolean,
  results: (ScenarioResult | ScenarioModelResult)[],
) {
  const explores = backends.some((b) => b.memory === undefined);
  return {
    kind: 'program',
    scenario,
    ...provenance(),
    options: {
      on: backends.map((b) => b.name),
      variants: request.variants ?? null,
      time: request.time ?? null,
      seed: request.seed,
      ...(explores && {
        model: request.model,
        modelTimeout: request.modelTimeoutS,
        loopBound: request.loopBound,
        ...(request.explain !== undefined && { explain: request.explain }),
        ...(request.ablate && { ablate: true }),
      }),
    },
    partial,
    backends: Object.fromEntries(results.map((r) => [r.backend, r])),
  };
}

/**
 * The backends asked for, each with the memory object it runs programs on (undefined: it
 * explores them, the model); a refusal for one that does neither.
 */
function scenarioBackends(
  request: ScenarioRequest,
): { name: string; memory: MemoryKindName | undefined }[] {
  return (request.on ?? defaultBackends('program')).map((name) => {
    const b = backendNamed(name);
    if (b.exploresScenarios) return { name, memory: undefined };
    const memory = b.scenarioMemory;
    if (memory === undefined)
      throw new UserError(
        `the ${name} backend runs litmus tests only, not program scenarios; run this one with --on ${defaultBackends('program').join(',')}`,
      );
    return { name, memory };
  });
}
