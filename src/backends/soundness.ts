// Grading a run: the --model verdict is the grading column, and the soundness check is
// separate and always on. Every backend that runs threads declares the models that bound what
// it may produce (Backend.bounds: lkmm always; tso too for hw on x86-64); a state outside a
// bound is an engine bug, a hardware bug or a broken test, whatever --model says. A state the
// graded model forbids but every bound allows (SB's both-zero under --model sc on x86) is
// what this machine does, not a bug.

import type { Test } from '../litmus/ir.ts';
import { checkModel, modelOf } from '../model/check/check.ts';
import type { ModelName } from '../model/core/base.ts';
import type { Verdict } from '../model/core/verdict.ts';
import type { BackendResult, RunSettings } from './backend.ts';
import { backendNamed } from './registry.ts';

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

export function gradeRun(test: Test, results: BackendResult[], settings: RunSettings): Grading {
  const gradedBy = modelOf(settings.model).name;
  const graded = results.find((r) => r.verdict?.model === gradedBy)?.verdict;
  const bounds = new Map<ModelName, Verdict>();
  const unchecked: string[] = [];
  for (const r of results) {
    if (!r.runs) continue;
    for (const model of backendNamed(r.backend).bounds) {
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
  const out: Breach[] = [];
  for (const r of results) {
    if (!r.runs) continue;
    for (const model of backendNamed(r.backend).bounds) {
      const v = grading.bounds.get(model);
      if (!v) continue;
      const states = [...r.runs.histogram.keys()].filter((s) => !v.states.has(s));
      if (states.length) out.push({ backend: r.backend, model, states });
    }
  }
  return out;
}

/** The bounds of `backend` that allow `state` (for "allowed by lkmm, tso"). */
export function boundsAllowing(backend: string, state: string, grading: Grading): ModelName[] {
  return backendNamed(backend).bounds.filter((m) => grading.bounds.get(m)?.states.has(state));
}
