// A program scenario on the model backend: each variant explored under one model on a worker
// thread (workers/explore.ts), the variants side by side, as `run SCENARIO --on model` prints
// them. Off the main thread so that Ctrl-C reaches it at once: the main thread raises a flag
// in shared memory that every worker's budget reads, and each worker answers with what it had
// (a partial, labelled answer); a worker that does not answer in STOP_GRACE_MS is left, its
// variant marked interrupted with nothing collected, the variants that answered keeping their
// answers. --model-timeout is each variant's budget.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { SourcePos } from '../errors.ts';
import { UserError } from '../errors.ts';
import type { Scenario } from '../kernel/scenario.ts';
import type { ModelName } from '../model/core/base.ts';
import { ownModule, workerExecArgv } from '../own-modules.ts';
import { type AblationSite, ablationRow } from './ablate.ts';
import { siteFile } from './call-site.ts';
import { DEFAULT_LOOP_BOUND } from './loop-bound.ts';
import { scenarioRefusal } from './scenario.ts';
import {
  type ModelVariantResult,
  modelFailures,
  refusedVariant,
  type ScenarioModelResult,
  unansweredVariant,
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
  /** --ablate: note the call sites of ordering primitives while exploring (the rows). */
  findSites?: boolean;
  /** --ablate: the call site weakened in this exploration. */
  weaken?: Pick<AblationSite, 'key' | 'ops'>;
}

export type ExploreTaskResult =
  | { tag: 'done'; result: ModelVariantResult; sites?: AblationSite[] }
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
  /** --ablate: each variant explored again with each of its ordering calls weakened alone. */
  ablate?: boolean;
}

/** How long workers have to answer a Ctrl-C before their variants are left. */
const STOP_GRACE_MS = 1_000;

/**
 * A worker's heap: a search that outgrows it ends that worker with an error this process can
 * report (a heap exhausted without a limit aborts the whole process with V8's own trace).
 */
const WORKER_HEAP_MB = 4_096;

/** A worker's search outgrew WORKER_HEAP_MB: its variant is not explored, the others stand. */
class WorkerOutOfMemory extends UserError {}

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
    // --ablate explores each variant again per call site: as many workers as CPUs.
    maxThreads: Math.max(
      1,
      Math.min(opts.ablate ? Infinity : variants.length, availableParallelism()),
    ),
    idleTimeout: 1_000,
    execArgv: workerExecArgv(),
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  // Explorations asked for and answered: the variants', then (--ablate) each site's.
  let asked = variants.length;
  let done = 0;
  const explore = async (variant: string, more: Partial<ExploreTask>) => {
    const r = await pool
      .run({
        file: s.file!,
        exportName: s.exportName ?? 'default',
        variant,
        model: opts.model,
        timeoutMs: opts.timeoutMs,
        loopBound,
        stop,
        ...more,
      })
      .catch((e: unknown) => {
        if ((e as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw e;
        throw new WorkerOutOfMemory(
          `the explorer ran out of memory (${WORKER_HEAP_MB} MB a worker) on ${s.name} ${variant} under ${opts.model}: give it less time (--model-timeout) or a smaller --loop-bound`,
        );
      });
    opts.onProgress?.(variant, ++done / asked);
    if (r.tag === 'error') throw new UserError(r.message, r.file, r.pos);
    return r;
  };
  // After a Ctrl-C, what has not answered within STOP_GRACE_MS is left: its variant says
  // interrupted with nothing collected, its ablation row is missing; the answers stand.
  const stopped = late(opts.signal);
  const unlessLate = <T>(answer: Promise<T>, left: () => T): Promise<T> =>
    Promise.race([answer, stopped.then(left)]);
  try {
    const answers = variants.map(async (v) => {
      const asking = explore(v.name, {
        ...(opts.explain !== undefined && { explain: opts.explain }),
        ...(opts.ablate && { findSites: true }),
      }).catch((e: unknown) => {
        if (!(e instanceof WorkerOutOfMemory)) throw e;
        return { tag: 'done' as const, result: refusedVariant(s, v.name, e.message), sites: [] };
      });
      const r = await unlessLate(asking, () => ({
        tag: 'done' as const,
        result: unansweredVariant(s, v.name),
        sites: [],
      }));
      const sites = r.sites ?? [];
      asked += sites.length;
      const rows = sites.map((site) =>
        unlessLate(
          explore(v.name, { weaken: { key: site.key, ops: site.ops } }).then((weakened) =>
            ablationRow(s, r.result, site, weakened.result, elementName(s, site, sites)),
          ),
          () => undefined,
        ),
      );
      const done = (await Promise.all(rows)).filter((row) => row !== undefined);
      return { result: r.result, rows: done };
    });
    const results = await Promise.all(answers);
    const vs = results.map((r) => r.result);
    return {
      ...base,
      variants: vs,
      failures: modelFailures(s, vs),
      ...(opts.ablate && { ablation: results.flatMap((r) => r.rows) }),
    };
  } finally {
    opts.signal?.removeEventListener('abort', raise);
    await pool.destroy();
  }
}

/** Resolves STOP_GRACE_MS after the signal: workers that did not answer by then are left. */
function late(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const wait = () => setTimeout(resolve, STOP_GRACE_MS).unref();
    if (signal?.aborted) wait();
    else signal?.addEventListener('abort', wait, { once: true });
  });
}

/**
 * `smp_rmb() at atomic-bool.ts:109`, the file relative to the scenario's own; with the column
 * where another site of the variant shares the call and the line.
 */
function elementName(s: Scenario, site: AblationSite, all: AblationSite[]): string {
  const file = siteFile(s.file, site);
  const shared = all.some(
    (o) => o !== site && o.call === site.call && o.file === site.file && o.line === site.line,
  );
  return `${site.call}() at ${file}:${site.line}${shared ? `:${site.col}` : ''}`;
}
