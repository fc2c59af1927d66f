// A program scenario on the model backend: each variant explored under one model on a worker
// thread (workers/explore.ts), the variants side by side, as `run SCENARIO --on model` prints
// them. Off the main thread so that Ctrl-C reaches it at once: the main thread raises a flag
// in shared memory that every worker's budget reads, and each worker answers with what it had
// (a partial, labelled answer); a worker that does not answer in STOP_GRACE_MS is left, its
// variant marked interrupted with nothing collected. --model-timeout is each variant's budget.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { SourcePos } from '../errors.ts';
import { UserError } from '../errors.ts';
import type { Scenario } from '../kernel/scenario.ts';
import type { ModelName } from '../model/core/base.ts';
import { ownModule, workerExecArgv } from '../own-modules.ts';
import { DEFAULT_LOOP_BOUND } from './explore.ts';
import { scenarioRefusal } from './scenario.ts';
import {
  type ModelVariantResult,
  modelFailures,
  refusedVariant,
  type ScenarioModelResult,
} from './scenario-result.ts';

/** One variant under one model, for a worker. */
export interface ExploreTask {
  file: string;
  exportName: string;
  variant: string;
  model: ModelName;
  /** The variant's budget, from when a worker takes it up (variants may wait for a worker). */
  timeoutMs: number;
  loopBound: number;
  /** Word 0: non-zero asks the worker to stop (Atomics). */
  stop: SharedArrayBuffer;
  /** --explain: the outcome whose execution the result carries (explore/explain.ts). */
  explain?: string;
}

export type ExploreTaskResult =
  | { tag: 'done'; result: ModelVariantResult }
  | { tag: 'error'; message: string; file?: string; pos?: SourcePos };

export interface ExplorerOptions {
  model: ModelName;
  variants?: string[];
  timeoutMs: number;
  loopBound?: number;
  signal?: AbortSignal;
  onProgress?: (variant: string, fraction: number) => void;
  /** --explain: each variant's result carries the execution that reaches this outcome, or why none does. */
  explain?: string;
}

/** How long workers have to answer a Ctrl-C before their variants are left. */
const STOP_GRACE_MS = 1_000;

export async function runExplorer(
  s: Scenario,
  opts: ExplorerOptions,
): Promise<ScenarioModelResult> {
  if (!s.file) throw new Error(`internal: scenario ${s.name} has no file to load in a worker`);
  const loopBound = opts.loopBound ?? DEFAULT_LOOP_BOUND;
  const variants = s.variants.filter((v) => !opts.variants || opts.variants.includes(v.name));
  const base = {
    scenario: s.name,
    description: s.description,
    file: s.file,
    // Which code produced these verdicts, as the threads backends record it.
    hash: createHash('sha256').update(readFileSync(s.file)).digest('hex').slice(0, 16),
    backend: 'model' as const,
    model: opts.model,
    instance: s.model?.description ?? 'the scenario as written, each thread once round its loop',
    loopBound,
    date: new Date().toISOString(),
    notes: s.notes.slice(),
  };
  const refusal = scenarioRefusal(s);
  if (refusal) {
    const vs = variants.map((v) => refusedVariant(s, v.name, refusal));
    return { ...base, variants: vs, failures: [] };
  }
  const stop = new SharedArrayBuffer(4);
  const raise = () => Atomics.store(new Int32Array(stop), 0, 1);
  if (opts.signal?.aborted) raise();
  opts.signal?.addEventListener('abort', raise, { once: true });
  const pool = new Piscina<ExploreTask, ExploreTaskResult>({
    filename: ownModule('workers/explore'),
    maxThreads: Math.max(1, Math.min(variants.length, availableParallelism())),
    idleTimeout: 1_000,
    execArgv: workerExecArgv(),
  });
  let done = 0;
  try {
    const answers = variants.map(async (v): Promise<ModelVariantResult> => {
      const r = await pool.run({
        file: s.file!,
        exportName: s.exportName ?? 'default',
        variant: v.name,
        model: opts.model,
        timeoutMs: opts.timeoutMs,
        loopBound,
        stop,
        ...(opts.explain !== undefined && { explain: opts.explain }),
      });
      opts.onProgress?.(v.name, ++done / variants.length);
      if (r.tag === 'error') throw new UserError(r.message, r.file, r.pos);
      return r.result;
    });
    const results = await Promise.race([Promise.all(answers), late(opts.signal)]);
    return { ...base, variants: results, failures: modelFailures(results) };
  } finally {
    opts.signal?.removeEventListener('abort', raise);
    await pool.destroy();
  }
}

/** Rejects STOP_GRACE_MS after the signal: workers that did not answer by then are left. */
function late(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () =>
      setTimeout(
        () => reject(new UserError('the explorer was interrupted and its workers did not answer')),
        STOP_GRACE_MS,
      ).unref();
    if (signal?.aborted) fail();
    else signal?.addEventListener('abort', fail, { once: true });
  });
}
