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
import { modelOf } from '../model/check/check.ts';
import { runModel } from '../model/check/parallel.ts';
import type { ModelName } from '../model/core/base.ts';
import type { Verdict } from '../model/core/verdict.ts';
import type { ModelChoice } from '../model/models/registry.ts';
import type { BackendResult, RunSettings } from './backend.ts';
import { BACKENDS } from './registry.ts';

export interface Grading {
  /** The verdict of --model, when the model backend ran: the grading column. */
  graded?: Verdict;
  /** The verdict of every bound a backend that ran needs. */
  bounds: Map<ModelName, Verdict>;
  /** Bounds that could not be checked, each with why (the model gave up, or Ctrl-C). */
  unchecked: UncheckedBound[];
  /** The states each backend produced outside one of its bounds: found here, once per run. */
  breaches: Breach[];
}

/** A bound the run's states were not checked against, and why (the model's message). */
export interface UncheckedBound {
  model: ModelName;
  reason: string;
}

/**
 * Each bound's answer, found once and shared by the runs that need it (every engine's of one
 * plan): the model's verdict, or why there is none.
 */
export type BoundAnswers = Map<ModelName, Verdict | UncheckedBound>;

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

/**
 * The run graded: --model's verdict, and every bound its threads backends need. A bound no
 * backend answered is the model's search like the model backend's own (off this thread, under
 * the run's model budget and Ctrl-C); `answers` keeps each bound found, for the next run of
 * the same test.
 */
export async function gradeRun(
  test: Test,
  results: BackendResult[],
  settings: RunSettings,
  signal?: AbortSignal,
  answers: BoundAnswers = new Map(),
): Promise<Grading> {
  const gradedBy = modelOf(settings.model).name;
  const graded = results.find((r) => r.verdict?.model === gradedBy)?.verdict;
  // A model backend's complete answer is the bound's; an interrupted one's states are partial.
  // A model read from files bounds nothing, whatever its file's name.
  const m = settings.model;
  if (typeof m === 'string' && !answers.has(m)) {
    const own = results.find((r) => r.tag === 'ran' && r.verdict?.model === m)?.verdict;
    if (own) answers.set(m, own);
  }
  const bounds = new Map<ModelName, Verdict>();
  const unchecked: UncheckedBound[] = [];
  for (const r of results) {
    if (!r.runs) continue;
    for (const model of runBounds(r.backend, r.runs.memory)) {
      if (bounds.has(model) || unchecked.some((u) => u.model === model)) continue;
      const answer = await boundAnswer(test, model, settings, signal, answers);
      if ('states' in answer) bounds.set(model, answer);
      else unchecked.push(answer);
    }
  }
  const grading = { graded, bounds, unchecked };
  return { ...grading, breaches: breaches(results, grading) };
}

/** One bound's answer, from `answers` or else the model's search (then kept in `answers`). */
export async function boundAnswer(
  test: Test,
  model: ModelName,
  settings: RunSettings,
  signal: AbortSignal | undefined,
  answers: BoundAnswers,
): Promise<Verdict | UncheckedBound> {
  const known = answers.get(model);
  if (known) return known;
  const found = await search(test, model, settings, signal);
  const answer = typeof found === 'string' ? { model, reason: found } : found;
  answers.set(model, answer);
  return answer;
}

/**
 * --model's verdict, undefined when there is none (out of budget, stopped): a bound's, kept in
 * `answers`, or the search of a model read from files.
 */
export async function gradedAnswer(
  test: Test,
  settings: RunSettings,
  signal: AbortSignal | undefined,
  answers: BoundAnswers,
): Promise<Verdict | undefined> {
  const m = settings.model;
  const answer =
    typeof m === 'string'
      ? await boundAnswer(test, m, settings, signal, answers)
      : await search(test, m, settings, signal);
  return typeof answer !== 'string' && 'states' in answer ? answer : undefined;
}

/** The model's search off this thread, or why there is no answer (its message). */
async function search(
  test: Test,
  model: ModelChoice,
  settings: RunSettings,
  signal: AbortSignal | undefined,
): Promise<Verdict | string> {
  try {
    const timeoutMs = settings.modelTimeoutS * 1000;
    return await runModel(test, model, { timeoutMs, ...(signal && { signal }) });
  } catch (e) {
    // Out of budget, stopped, or a fault the model found: the states go unchecked, saying why.
    return e instanceof Error ? e.message : String(e);
  }
}

/** States a backend produced outside its bounds: each backend's against the bounds found. */
function breaches(results: BackendResult[], grading: Omit<Grading, 'breaches'>): Breach[] {
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

/** How a bound that was not checked reads in a report: `tso: the model gave up after 10 s`. */
export const uncheckedText = (u: UncheckedBound): string => `${u.model}: ${u.reason}`;

/** The bounds of `backend`'s run that allow `state` (for "allowed by lkmm, tso"). */
export function boundsAllowing(
  backend: string,
  memory: string | undefined,
  state: string,
  grading: Grading,
): ModelName[] {
  return runBounds(backend, memory).filter((m) => grading.bounds.get(m)?.states.has(state));
}
