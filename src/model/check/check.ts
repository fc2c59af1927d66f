// checkModel: every candidate execution of a test, judged by a model, counted as herd7 counts
// (tally.ts). Two searches: 'all' lists every final state with its count (run --on model);
// 'verdict' only settles the observation (check), as herd7's -speedcheck does — search.ts.

import { UserError } from '../../errors.ts';
import type { Test } from '../../litmus/ir.ts';
import { MODELS, type Model, type ModelName } from '../core/base.ts';
import { Budget, DEFAULT_MODEL_TIMEOUT_MS, ModelStopped, type StopFlag } from '../core/budget.ts';
import type { Search, Verdict } from '../core/verdict.ts';
import { type EnumerateOptions, forEachCandidate } from '../enumerate/candidates.ts';
import { type ModelChoice, modelFor } from '../models/registry.ts';
import { searchVerdict } from './search.ts';
import { Tally } from './tally.ts';

export { MODELS, type ModelChoice, type ModelName };

export interface CheckOptions {
  timeoutMs?: number;
  /** Stop (ModelStopped, reason 'interrupted') once this is aborted. */
  signal?: StopFlag;
  /** Default 'all'. */
  search?: Search;
  /** Also give up after this much CPU time (budget.ts's cpuMs). */
  cpuMs?: number;
  /** Only this share of the trace combinations (a worker's part of a split run: parallel.ts). */
  share?: EnumerateOptions['share'];
  /** Abandon prefixes of threads that already break a monotone axiom (prefix.ts); default true. */
  prune?: boolean;
  /** Only prefixes with this many trace combinations below them; default PRUNE_MIN. */
  pruneMin?: number;
}

/**
 * A prefix is checked only when at least this many combinations hang below it: the check
 * costs about as much as one candidate's model run (more with RCU's rcu-order fixpoint). On
 * the kernel's 8-reader RCU scale tests, where 65,535 of 65,536 candidates are accepted and
 * nothing can be cut, checking every thread prefix cost 2.4× the unpruned search, from 16
 * combinations up +17–22% CPU (about 1,365 checks); from 64, about 341 checks.
 */
export const PRUNE_MIN = 64;

/** A built-in model by name, a model read from files, or a Model value as it is. */
export function modelOf(model: ModelChoice | Model): Model {
  const m = modelFor(model);
  if (!m) throw new UserError(`unknown model ${model}: the models are ${MODELS.join(', ')}`);
  return m;
}

export function checkModel(
  test: Test,
  model: ModelChoice | Model,
  opts: CheckOptions = {},
): Verdict {
  const m = modelOf(model);
  const start = performance.now();
  const budget = new Budget({
    timeoutMs: opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    what: `${test.name} under ${m.name}`,
    ...(opts.signal && { signal: opts.signal }),
    ...(opts.cpuMs !== undefined && { cpuMs: opts.cpuMs }),
  });
  const search = opts.search ?? 'all';
  const tally = new Tally(test, m);
  const prune = {
    ...(opts.prune !== false &&
      m.broken && { broken: m.broken, pruneMin: opts.pruneMin ?? PRUNE_MIN }),
    ...(m.choices && { choices: m.choices(test) }),
  };
  try {
    budget.guard(() => {
      if (search === 'verdict') searchVerdict(test, budget, tally, prune);
      else
        forEachCandidate(test, budget, (x) => void tally.add(x), {
          ...(opts.share && { share: opts.share }),
          ...prune,
        });
    });
  } catch (e) {
    // What was collected stays with the stop, for a partial report.
    if (e instanceof ModelStopped) e.partial = tally.verdict(search, e.progress, e.elapsedMs);
    throw e;
  }
  return tally.verdict(search, budget.progress, performance.now() - start);
}
