// The model on worker threads: every final state of a test (checkModel's 'all' search) with the
// trace combinations split across the CPUs, one share per worker (execution.ts's share), and
// the shares' tallies added up — the same states and counts as one checkModel, sooner. The
// verdict-only search stays on one worker: it stops at its first two executions.
//
// Running off the main thread is also what lets Ctrl-C stop the model at once: the main thread
// stays free to take the signal and raises a flag in shared memory that every worker's budget
// reads (budget.ts's flagOf) within a few steps.

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { observationOf, type Test } from '../litmus/ir.ts';
import { workerExecArgv } from '../runtime/pool.ts';
import { DEFAULT_MODEL_TIMEOUT_MS, ModelStopped, newProgress, type Progress } from './budget.ts';
import type { ModelName } from './base.ts';
import type { Search, Verdict } from './verdict.ts';

const WORKER_FILE = fileURLToPath(new URL('../../workers/model.ts', import.meta.url));

/** One worker's part of a run (workers/model.ts runs it). */
export interface ModelTask {
  test: Test;
  model: ModelName;
  search: Search;
  timeoutMs: number;
  share?: { part: number; parts: number };
  /** Word 0: non-zero asks the worker to stop (Atomics). */
  stop: SharedArrayBuffer;
}

/** A worker's answer: its share's verdict, or how far it got before it stopped. */
export type ModelTaskResult =
  | { tag: 'done'; verdict: Verdict }
  | {
      tag: 'stopped';
      reason: ModelStopped['reason'];
      progress: Progress;
      elapsedMs: number;
      message: string;
      partial?: Verdict;
    };

export interface RunModelOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  search?: Search;
  /** Workers for the 'all' search; default: one per CPU. */
  workers?: number;
}

/** checkModel on worker threads; throws ModelStopped (with what it had) on budget or signal. */
export async function runModel(
  test: Test,
  model: ModelName,
  opts: RunModelOptions = {},
): Promise<Verdict> {
  const search = opts.search ?? 'all';
  const parts = search === 'all' ? Math.max(1, opts.workers ?? availableParallelism()) : 1;
  const stop = new SharedArrayBuffer(4);
  const raise = () => Atomics.store(new Int32Array(stop), 0, 1);
  if (opts.signal?.aborted) raise();
  opts.signal?.addEventListener('abort', raise, { once: true });
  const pool = new Piscina<ModelTask, ModelTaskResult>({
    filename: WORKER_FILE,
    minThreads: parts,
    maxThreads: parts,
    idleTimeout: 1_000,
    execArgv: workerExecArgv(),
  });
  const start = performance.now();
  try {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
    const results = await Promise.all(
      Array.from({ length: parts }, (_, part) =>
        pool.run({
          test,
          model,
          search,
          timeoutMs,
          stop,
          ...(parts > 1 && { share: { part, parts } }),
        }),
      ),
    );
    return merged(test, model, search, timeoutMs, results, performance.now() - start);
  } finally {
    opts.signal?.removeEventListener('abort', raise);
    await pool.destroy();
  }
}

/** The shares added up; a stop in any share is the run's stop, with every share's progress. */
function merged(
  test: Test,
  model: ModelName,
  search: Search,
  timeoutMs: number,
  results: ModelTaskResult[],
  elapsedMs: number,
): Verdict {
  const verdicts = results.map((r) => (r.tag === 'done' ? r.verdict : r.partial));
  const sum = addVerdicts(
    verdicts.filter((v): v is Verdict => v !== undefined),
    model,
    search,
    elapsedMs,
  );
  const stopped = results.filter((r) => r.tag === 'stopped');
  if (stopped.length === 0) return sum;
  const progress = newProgress();
  for (const r of results) {
    const p = r.tag === 'stopped' ? r.progress : undefined;
    const candidates = r.tag === 'done' ? r.verdict.candidates : p!.candidates;
    progress.candidates += candidates;
    // A finished share counts as all done: its own combinations are not known here, so it
    // adds its candidates to both sides of the estimate.
    progress.combinations += p ? p.combinations : 0;
    progress.combinationsDone += p ? p.combinationsDone : 0;
  }
  const reason = stopped.some((r) => r.reason === 'interrupted') ? 'interrupted' : 'budget';
  const e = new ModelStopped(reason, progress, elapsedMs, `${test.name} under ${model}`, timeoutMs);
  e.partial = sum;
  throw e;
}

function addVerdicts(vs: Verdict[], model: ModelName, search: Search, elapsedMs: number): Verdict {
  const states: Verdict['states'] = new Map();
  const flags = new Set<string>();
  let positive = 0;
  let negative = 0;
  let candidates = 0;
  for (const v of vs) {
    positive += v.positive;
    negative += v.negative;
    candidates += v.candidates;
    for (const f of v.flags) flags.add(f);
    for (const [key, s] of v.states) {
      const entry = states.get(key) ?? { witness: s.witness, executions: 0 };
      entry.executions += s.executions;
      states.set(key, entry);
    }
  }
  return {
    model,
    observation: observationOf(positive, negative),
    search,
    positive,
    negative,
    states,
    flags: [...flags].sort(),
    executions: positive + negative,
    candidates,
    elapsedMs,
  };
}
