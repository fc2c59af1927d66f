// Running one litmus test on the backends the options ask for (each from the registry, in
// --on order), with a progress bar for the long ones, then grading what they produced.
// Shared by run, compare and the ablation table.

import type { BackendOptions, BackendResult } from '../backends/backend.ts';
import { backendNamed, defaultBackends } from '../backends/registry.ts';
import { breaches, type Grading, gradeRun } from '../backends/soundness.ts';
import { chooseEngines, type EngineChoice } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { count } from '../report/format.ts';
import { ProgressBar } from '../report/progress.ts';
import type { Options } from './options.ts';

export interface LitmusOutcome {
  /** One per backend asked for, in --on order. */
  results: BackendResult[];
  grading: Grading;
}

/** The backends a litmus run uses: --on, or every default one. */
export function litmusBackends(opts: Options): string[] {
  return opts.on ?? defaultBackends('litmus');
}

export function backendOptions(opts: Options): BackendOptions {
  return {
    model: opts.model,
    modelTimeoutS: opts.modelTimeoutS,
    runs: opts.runs,
    size: opts.size,
    time: opts.time,
    seed: opts.seed,
    engine: singleEngine(opts),
  };
}

const engineOf = new WeakMap<Options, EngineChoice | undefined>();

/**
 * The one engine --engine names (found once per command line: finding runs `--version`), or
 * undefined for this process; `all` and `node-tiers` are several (run-engines.ts).
 * --engine-flags alone mean node with those flags.
 */
export function singleEngine(opts: Options): EngineChoice | undefined {
  if (opts.engine === 'all' || opts.engine === 'node-tiers') return undefined;
  if (opts.engine === undefined && opts.engineFlags.length === 0) return undefined;
  if (!engineOf.has(opts))
    engineOf.set(opts, chooseEngines(opts.engine ?? 'node', opts.engineFlags).choices[0]);
  return engineOf.get(opts);
}

export async function runOnBackends(
  test: Test,
  opts: Options,
  signal: AbortSignal,
  bopts: BackendOptions = backendOptions(opts),
): Promise<LitmusOutcome> {
  const names = litmusBackends(opts);
  const results: BackendResult[] = [];
  for (const name of names) {
    if (signal.aborted) break;
    results.push(await runOne(name, test, bopts, signal));
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
  return { results, grading: gradeRun(test, results, bopts) };
}

/** One backend on one test: its refusal, or its run with a progress bar. */
export async function runOne(
  name: string,
  test: Test,
  opts: BackendOptions,
  signal: AbortSignal,
): Promise<BackendResult> {
  const backend = backendNamed(name);
  const refusal = backend.refuse(test);
  if (refusal) return { tag: 'refused', backend: name, ...refusal };
  if (backend.produces === 'verdict') return backend.run(test, opts, { signal });
  const where = opts.engine ? ` on ${opts.engine.label}` : '';
  const bar = new ProgressBar(`${name} ${test.name}${where}`);
  try {
    return await backend.run(test, opts, {
      signal,
      onProgress: (fraction) => bar.update(fraction, `${count(fraction * opts.runs)} runs`),
    });
  } finally {
    bar.done();
  }
}

/** Exit status of a litmus run: 1 when a backend produced a state outside its bounds. */
export function litmusExitStatus(outcome: LitmusOutcome): number {
  // A fault of the test at run time is a failure too, whatever the counts collected show.
  if (outcome.results.some((r) => r.runs?.stoppedBy === 'error' || r.tag === 'faulted')) return 1;
  return breaches(outcome.results, outcome.grading).length > 0 ? 1 : 0;
}
