// Running one litmus plan on its backends (each from the registry, in the order asked), with a
// progress report for the long ones, then grading what they produced. Shared by run, compare,
// the engines table and the ablation table.

import type { BackendResult, RunSettings } from '../backends/backend.ts';
import { backendNamed } from '../backends/registry.ts';
import { type BoundAnswers, type Grading, gradeRun } from '../backends/soundness.ts';
import type { EngineChoice } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { count } from '../report/format.ts';
import type { LitmusPlan } from './plan.ts';

export interface LitmusOutcome {
  /** One per backend asked for, in the order asked. */
  results: BackendResult[];
  grading: Grading;
}

/** A progress display for one long run (the CLI's bar on the terminal). */
export interface Progress {
  update(fraction: number, note: string): void;
  done(): void;
}

export interface LabHooks {
  signal: AbortSignal;
  /** A progress display for the run labelled so; none: nobody is watching. */
  progress?: (label: string) => Progress;
}

/**
 * The plan's backends one after the other, then graded; `answers`: the bounds already found for
 * this test (run-engines grades every engine's run against the same).
 */
export async function runOnBackends(
  plan: LitmusPlan,
  hooks: LabHooks,
  answers?: BoundAnswers,
): Promise<LitmusOutcome> {
  const { test, settings } = plan;
  const results: BackendResult[] = [];
  for (const name of plan.backends) {
    if (hooks.signal.aborted) break;
    results.push(await runOne(name, test, settings, hooks, plan.engine));
  }
  // No backend answered (each refused, gave up or faulted): the reasons are the answer, as a
  // user error.
  if (results.length > 0 && results.every((r) => !r.verdict && !r.runs)) {
    const first = results[0]!;
    const reasons = results.map((r) =>
      results.length > 1 ? `${r.backend}: ${r.reason}` : r.reason,
    );
    throw new UserError(
      reasons.join('\n'),
      test.file,
      first.tag === 'refused' || first.tag === 'faulted' ? first.pos : undefined,
    );
  }
  return { results, grading: await gradeRun(test, results, settings, hooks.signal, answers) };
}

/**
 * One backend on one test: its run (or its refusal, the backend's to say) with a progress
 * display, on `engine` for a backend that runs threads.
 */
export async function runOne(
  name: string,
  test: Test,
  settings: RunSettings,
  hooks: LabHooks,
  engine?: EngineChoice,
): Promise<BackendResult> {
  const backend = backendNamed(name);
  const { signal } = hooks;
  if (backend.produces === 'verdict') return backend.run(test, settings, { signal });
  const where = engine ? ` on ${engine.label}` : '';
  const shown = hooks.progress?.(`${name} ${test.name}${where}`);
  try {
    const onProgress = (fraction: number) =>
      shown?.update(fraction, `${count(fraction * settings.runs)} runs`);
    return await backend.run(test, settings, { signal, onProgress }, engine);
  } finally {
    shown?.done();
  }
}

/** The threads backends of a plan (those that run CPUs: the engines' and ablations' columns). */
export function threadsBackends(plan: LitmusPlan): string[] {
  return plan.backends.filter((n) => backendNamed(n).produces === 'runs');
}

/** Exit status of a litmus run: 1 when a backend produced a state outside its bounds. */
export function litmusExitStatus(outcome: LitmusOutcome): number {
  // A fault of the test at run time is a failure too, whatever the counts collected show.
  if (outcome.results.some((r) => r.runs?.stoppedBy === 'error' || r.tag === 'faulted')) return 1;
  return outcome.grading.breaches.length > 0 ? 1 : 0;
}
