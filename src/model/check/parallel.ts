// The model on worker threads: every final state of a test (checkModel's 'all' search) with the
// trace combinations split across the CPUs, one share per worker (candidates.ts's share), and
// the shares' tallies added up — the same states and counts as one checkModel, sooner. The
// verdict-only search stays on one worker: it stops at its first two executions.
//
// Running off the main thread is also what lets Ctrl-C stop the model at once: the main thread
// stays free to take the signal and raises a flag in shared memory that every worker's budget
// reads (budget.ts's flagOf) within a few steps.

import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { type SourcePos, UserError } from '../../errors.ts';
import { observationOf, type Test } from '../../litmus/ir.ts';
import { ownModule, workerExecArgv } from '../../own-modules.ts';
import { CatError } from '../cat/errors.ts';
import {
  DEFAULT_MODEL_TIMEOUT_MS,
  ModelStopped,
  newProgress,
  type Progress,
  type StopReason,
} from '../core/budget.ts';
import type { Search, Verdict } from '../core/verdict.ts';
import type { ModelChoice } from '../models/registry.ts';
import { checkModel, modelOf } from './check.ts';

const WORKER_FILE = ownModule('workers/model');

/** One worker's part of a run (workers/model.ts runs it). */
export interface ModelTask {
  test: Test;
  model: ModelChoice;
  search: Search;
  timeoutMs: number;
  /** Date.now() at which the run's budget ends: worker start-up counts against it too. */
  deadline: number;
  share?: { part: number; parts: number };
  /** Word 0: non-zero asks the worker to stop (Atomics). */
  stop: SharedArrayBuffer;
}

/** A worker's answer: its share's verdict, or how far it got before it stopped. */
export type ModelTaskResult =
  | { tag: 'done'; verdict: Verdict }
  /** A user's mistake met in the worker (a fault in the test, an error in a cat model), as data. */
  | {
      tag: 'user-error';
      cat: boolean;
      message: string;
      file?: string;
      pos?: SourcePos;
      sourceLine?: string;
    }
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
  /**
   * Try this much CPU time in this thread first (default QUICK_TRY_MS; 0: none): most tests
   * finish well within it, and starting workers costs more than that, the more so on a busy
   * machine. A Ctrl-C waits for the try: about QUICK_TRY_MS on a quiet machine; on a loaded
   * one the try may take up to QUICK_TRY_WALL_MS of wall time (it gets a share of a CPU).
   */
  quickTryMs?: number;
}

/** See RunModelOptions.quickTryMs. */
const QUICK_TRY_MS = 200;
const QUICK_TRY_WALL_MS = 2_000;

/** checkModel on worker threads; throws ModelStopped (with what it had) on budget or signal. */
export async function runModel(
  test: Test,
  model: ModelChoice,
  opts: RunModelOptions = {},
): Promise<Verdict> {
  const name = modelOf(model).name;
  const search = opts.search ?? 'all';
  const parts = search === 'all' ? Math.max(1, opts.workers ?? availableParallelism()) : 1;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS;
  const quickCpu = opts.quickTryMs ?? QUICK_TRY_MS;
  const quickWall = Math.min(QUICK_TRY_WALL_MS, timeoutMs);
  const start = performance.now();
  if (quickCpu > 0 || timeoutMs === 0) {
    try {
      return checkModel(test, model, {
        timeoutMs: quickWall,
        cpuMs: quickCpu,
        search,
        ...(opts.signal && { signal: opts.signal }),
      });
    } catch (e) {
      // Out of the quick try's time only: the workers go on with what is left of the budget.
      const whole = quickWall === timeoutMs && performance.now() - start >= timeoutMs;
      if (!(e instanceof ModelStopped) || e.reason !== 'budget' || whole) throw e;
    }
  }
  const remaining = Math.max(0, timeoutMs - (performance.now() - start));
  const deadline = Date.now() + remaining;
  const stop = new SharedArrayBuffer(4);
  const watch = watchRun(stop, remaining, opts.signal, (reason) => {
    const what = `${test.name} under ${name}`;
    const elapsedMs = performance.now() - start;
    const e = new ModelStopped(reason, newProgress(), elapsedMs, what, timeoutMs);
    // The workers did not answer: nothing they collected reaches this thread.
    e.partial = addVerdicts([], name, search, elapsedMs);
    return e;
  });
  const pool = new Piscina<ModelTask, ModelTaskResult>({
    filename: WORKER_FILE,
    minThreads: parts,
    maxThreads: parts,
    idleTimeout: 1_000,
    execArgv: workerExecArgv(),
  });
  try {
    const shares = Promise.all(
      Array.from({ length: parts }, (_, part) =>
        pool.run({
          test,
          model,
          search,
          timeoutMs,
          deadline,
          stop,
          ...(parts > 1 && { share: { part, parts } }),
        }),
      ),
    );
    const results = await Promise.race([shares, watch.late]);
    const elapsed = performance.now() - start;
    const verdict = merged(test, name, search, timeoutMs, results, elapsed, watch.raised());
    return { ...verdict, workers: parts };
  } finally {
    watch.close();
    await pool.destroy();
  }
}

/**
 * How long workers have to answer a stop before the run leaves them (still starting, say):
 * short past the budget (it must hold within 10%), longer on Ctrl-C (half a second is the
 * promise, and an answer brings the executions collected).
 */
const STOP_GRACE_MS = { budget: 50, interrupted: 250 } as const;

/**
 * Raise the stop flag at the deadline or on the signal; if the workers have not answered
 * STOP_GRACE_MS later, `late` rejects with a stop of its own (and the pool is destroyed), so
 * that a run never outlasts its budget or a Ctrl-C by more than that.
 */
function watchRun(
  stop: SharedArrayBuffer,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  stopped: (reason: ModelStopped['reason']) => ModelStopped,
): { late: Promise<never>; close: () => void; raised: () => StopReason | undefined } {
  let first: StopReason | undefined;
  const timers: ReturnType<typeof setTimeout>[] = [];
  let fail: (e: ModelStopped) => void = () => {};
  const late = new Promise<never>((_, reject) => {
    fail = reject;
  });
  late.catch(() => {}); // handled by the race; never an unhandled rejection
  const raise = (reason: ModelStopped['reason']) => {
    first ??= reason;
    Atomics.store(new Int32Array(stop), 0, 1);
    timers.push(setTimeout(() => fail(stopped(reason)), STOP_GRACE_MS[reason]));
  };
  const onAbort = () => raise('interrupted');
  if (signal?.aborted) onAbort();
  signal?.addEventListener('abort', onAbort, { once: true });
  timers.push(setTimeout(() => raise('budget'), timeoutMs));
  return {
    late,
    raised: () => first,
    close: () => {
      for (const t of timers) clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The shares added up; a stop in any share is the run's stop, with every share's progress. */
function merged(
  test: Test,
  model: string,
  search: Search,
  timeoutMs: number,
  results: ModelTaskResult[],
  elapsedMs: number,
  raised: StopReason | undefined,
): Verdict {
  const mistake = results.find((r) => r.tag === 'user-error');
  if (mistake) {
    const { message, file, pos, sourceLine } = mistake;
    throw new (mistake.cat ? CatError : UserError)(message, file, pos, sourceLine);
  }
  const verdicts = results.map((r) =>
    r.tag === 'done' ? r.verdict : r.tag === 'stopped' ? r.partial : undefined,
  );
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
    if (r.tag === 'user-error') continue;
    const p = r.tag === 'stopped' ? r.progress : undefined;
    const candidates = r.tag === 'done' ? r.verdict.candidates : p!.candidates;
    progress.candidates += candidates;
    // A finished share counts as all done: its own combinations are not known here, so it
    // adds its candidates to both sides of the estimate.
    progress.combinations += p ? p.combinations : 0;
    progress.combinationsDone += p ? p.combinationsDone : 0;
  }
  // The workers read the one flag as a stop from outside: what raised it (the deadline or the
  // signal, whichever came first) is the reason.
  const reason =
    raised ?? (stopped.some((r) => r.reason === 'interrupted') ? 'interrupted' : 'budget');
  const e = new ModelStopped(reason, progress, elapsedMs, `${test.name} under ${model}`, timeoutMs);
  e.partial = sum;
  throw e;
}

/** Verdicts of shares of one run added up: counts summed, states merged (their counts summed). */
export function addVerdicts(
  vs: Verdict[],
  model: string,
  search: Search,
  elapsedMs: number,
): Verdict {
  const states: Verdict['states'] = new Map();
  const flags = new Set<string>();
  let positive = 0;
  let negative = 0;
  let candidates = 0;
  let pruned = 0;
  for (const v of vs) {
    pruned += v.pruned;
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
    pruned,
    elapsedMs,
  };
}
