// The model backend: every outcome a memory model allows for a litmus test, counted as
// herd7 counts them, with --explain and --ablate on top.
//
//   checkModel(test, 'sc' | 'tso' | 'lkmm', { timeoutMs, search })  → Verdict
//   runModel(test, model, { timeoutMs, signal, search })    → Promise<Verdict>, on worker threads
//   explain(test, model)                                    → lines of text
//   ablations(test)                                         → variants with one ordering element weakened
//
// The engine: execution.ts (candidate executions), relation.ts (the cat algebra), sc.ts,
// tso.ts, lkmm.ts (+ lkmm-sets, lkmm-rcu, lkmm-plain, lock.ts), verdict.ts.

export { CatError } from './cat/errors.ts';
export {
  type CheckOptions,
  checkModel,
  MODELS,
  type ModelChoice,
  type ModelName,
  modelOf,
} from './check/check.ts';
export { runModel } from './check/parallel.ts';
export { DEFAULT_MODEL_TIMEOUT_MS, ModelStopped, progressText } from './core/budget.ts';
export type { Verdict } from './core/verdict.ts';
export { type Ablation, ablations, relaxation } from './explain/ablate.ts';
export { explain } from './explain/explain.ts';
