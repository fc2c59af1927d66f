// Grading a run: the --model verdict is the grading column, and the soundness check is
// separate and always on. Every backend that runs threads declares the models that bound what
// it may produce with the memory object its CPUs ran (Backend.bounds: lkmm always; tso too for
// hw's x86 mapping); a state outside a bound is an engine bug, a hardware bug or a broken test,
// whatever --model says. A state the graded model forbids but every bound allows (SB's
// both-zero under --model sc on x86) is what this machine does, not a bug.
// runBounds and statesOutside are the one grading every reader uses: the CLI's lines, serve,
// the HTML report and JUnit (report/grade.ts, from a record written anywhere).

import type { Test } from '../litmus/ir.ts';
import type { MemoryKindName } from '../memory/kinds.ts';
import { checkModel, modelOf } from '../model/check/check.ts';
import type { ModelName } from '../model/core/base.ts';
import type { Verdict } from '../model/core/verdict.ts';
import type { BackendResult, RunSettings } from './backend.ts';
import { BACKENDS } from './registry.ts';

export interface Grading {
  /** The verdict of --model, when the model backend ran: the grading column. */
  graded?: Verdict;
  /** The verdict of every bound a backend that ran needs. */
  bounds: Map<ModelName, Verdict>;
  /** Bounds that could not be checked, with the reason (the model gave up). */
  unchecked: string[];
}

/** States a backend produced that one of its bounds forbids. */
export interface Breach {
  backend: string;
  model: ModelName;
  states: string[];
}

/**
 * The models bounding what `backend` showed with memory object `memory`. A backend this lab
 * does not know (a record from a newer one) is bounded by lkmm, as every threads backend is.
 */
export function runBounds(backend: string, memory: string | undefined): readonly ModelName[] {
  const b = BACKENDS.find((x) => x.name === backend);
  return b ? b.bounds(memory as MemoryKindName | undefined) : ['lkmm'];
}

/**
 * The states among `states` outside each bound, one entry per bound that forbids some:
 * `allowed(model)` is the set the bound allows, undefined when it is not known (not checked).
 */
export function statesOutside(
  states: Iterable<string>,
  bounds: readonly ModelName[],
  allowed: (model: ModelName) => { has(state: string): boolean } | undefined,
): { model: ModelName; states: string[] }[] {
  const seen = [...states];
  const out: { model: ModelName; states: string[] }[] = [];
  for (const model of bounds) {
    const set = allowed(model);
    const outside = set ? seen.filter((s) => !set.has(s)) : [];
    if (outside.length) out.push({ model, states: outside });
  }
  return out;
}

export function gradeRun(test: Test, results: BackendResult[], settings: RunSettings): Grading {
  const gradedBy = modelOf(settings.model).name;
  const graded = results.find((r) => r.verdict?.model === gradedBy)?.verdict;
  const bounds = new Map<ModelName, Verdict>();
  const unchecked: string[] = [];
  for (const r of results) {
    if (!r.runs) continue;
    for (const model of runBounds(r.backend, r.runs.memory)) {
      if (bounds.has(model) || unchecked.some((u) => u.startsWith(`${model}:`))) continue;
      const known = results.find((x) => x.verdict?.model === model)?.verdict;
      try {
        bounds.set(
          model,
          known ?? checkModel(test, model, { timeoutMs: settings.modelTimeoutS * 1000 }),
        );
      } catch (e) {
        unchecked.push(`${model}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  return { graded, bounds, unchecked };
}

export function breaches(results: BackendResult[], grading: Grading): Breach[] {
  return results.flatMap((r) =>
    r.runs
      ? statesOutside(
          r.runs.histogram.keys(),
          runBounds(r.backend, r.runs.memory),
          (m) => grading.bounds.get(m)?.states,
        ).map((o) => ({ backend: r.backend, ...o }))
      : [],
  );
}

/** The bounds of `backend`'s run that allow `state` (for "allowed by lkmm, tso"). */
export function boundsAllowing(
  backend: string,
  memory: string | undefined,
  state: string,
  grading: Grading,
): ModelName[] {
  return runBounds(backend, memory).filter((m) => grading.bounds.get(m)?.states.has(state));
}
