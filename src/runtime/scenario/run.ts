// Running a program scenario: every variant (or the ones asked for), one after the other, on
// CPU workers from the pool's host (pool/host.ts), one per scenario thread
// (workers/scenario-cpu.ts). The main thread sets up the three shared buffers, starts the budget
// clock once every thread has started, polls the watchdog, stops the threads (stop flag; the
// watchdog's verdict or a failing thread aborts every task, which terminates those workers),
// closes the workers and totals what the threads recorded in shared memory. The main thread
// never blocks on shared memory.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { didYouMean, UserError } from '../../errors.ts';
import { type Scenario, STALL_OUTCOME, type VariantInfo } from '../../kernel/scenario.ts';
import { layoutMemory, resetMemory, wordLocations } from '../../memory/cells.ts';
import { hostMemoryKind, type MemoryKindName, memoryKind } from '../../memory/kinds.ts';
import { MEMORY_BASE } from '../../memory/layout.ts';
import { sourceOf } from '../../package-root.ts';
import { barrierKindFor } from '../barrier.ts';
import { hostInfo } from '../host.ts';
import type { CpuWorkers } from '../pool/cpu-host.ts';
import { cpuHost } from '../pool/host.ts';
import { metricNames, type StatsLayout, statsLayout } from './buffers.ts';
import type { ScenarioTask } from './cpu.ts';
import { HISTOGRAM_WORDS, mergeInto, summarise } from './histogram.ts';
import {
  failuresOf,
  type OutcomeCount,
  type ScenarioResult,
  type VariantResult,
} from './result.ts';
import { VariantWatch } from './watch.ts';

/** Most memory handles a worker builds for its copies of the memory (each a small object). */
export const MAX_HANDLES = 1 << 20;
/** How often the main thread polls the budget, the heartbeats and the signal. */
export const POLL_MS = 25;
/**
 * Races in which the threads overlapped (overlap.ts) that a variant of an 'iterations'
 * scenario should see: without --time, its budget grows until it has them, up to
 * MAX_GROWTH times the scenario's budget; the result says when it did not get them.
 */
export const MIN_OVERLAPPED = 1_000;
export const MAX_GROWTH = 4;

export interface RunOptions {
  /** The backend's name, for the result (default 'hw'). */
  backend?: string;
  /** The CPUs' memory object (default: hostMemoryKind(), hw's). */
  memory?: MemoryKindName;
  /** For a memory object that makes random choices (default 1). */
  seed?: number;
  /** Variant names to run, in the scenario's order (default: all). */
  variants?: string[];
  /**
   * Seconds per variant (default: the scenario's budget, grown up to MAX_GROWTH times while
   * fewer than MIN_OVERLAPPED races overlapped).
   */
  timeSeconds?: number;
  /** A thread silent this long is stalled (default: the scenario's budget, 2 s). */
  stallSeconds?: number;
  /** 'iterations' kind: stop each variant after this many iterations (tests; default: time only). */
  iterations?: number;
  /**
   * End each variant as soon as every named counter or outcome has reached its figure (summed over the
   * threads), timeSeconds being then only the bound: tests wait for progress this way instead
   * of for a fixed fraction of a second that a loaded machine may not give the threads.
   */
  until?: Readonly<Record<string, number>>;
  signal?: AbortSignal;
  onProgress?: (variant: string, fraction: number) => void;
}

/** Run the chosen variants of `s`, one after the other; never throws for what a thread does. */
export async function runScenario(s: Scenario, opts: RunOptions = {}): Promise<ScenarioResult> {
  if (!s.file) throw new Error(`scenario ${s.name} has no file: load it with loadScenario()`);
  const refusal = memoryKind(opts.memory ?? hostMemoryKind()).refuseScenario?.(s);
  if (refusal) throw new UserError(`${s.name}: ${refusal}`);
  const variants = chooseVariants(s, opts.variants);
  const timeSeconds = opts.timeSeconds ?? s.budget.seconds;
  const stallSeconds = opts.stallSeconds ?? s.budget.stallSeconds;
  const iterations = opts.iterations ?? s.budget.iterations;
  const date = new Date().toISOString();
  const results: VariantResult[] = [];
  const pool = cpuPool(s.threads.length);
  try {
    for (const v of variants) {
      if (opts.signal?.aborted) break;
      results.push(
        await runVariant(s, v, pool, {
          ...opts,
          timeSeconds,
          stallSeconds,
          iterations,
          grow: opts.timeSeconds === undefined && opts.iterations === undefined && !opts.until,
        }),
      );
    }
  } finally {
    await pool.close();
  }
  return {
    scenario: s.name,
    description: s.description,
    // The source in a checkout (its build's compiled file changes with every build).
    file: sourceOf(s.file!),
    hash: createHash('sha256')
      .update(readFileSync(sourceOf(s.file!)))
      .digest('hex')
      .slice(0, 16),
    refs: [...s.refs],
    kind: s.kind,
    date,
    backend: opts.backend ?? 'hw',
    memory: opts.memory ?? hostMemoryKind(),
    seed: opts.seed ?? 1,
    host: hostInfo(),
    options: { variants: variants.map((v) => v.name), timeSeconds, stallSeconds, iterations },
    threads: s.threads.map((t) => t.name),
    variants: results,
    failures: results.flatMap(failuresOf),
    notes: [...s.notes],
  };
}

/** The variants `names` asks for (all when none), in the scenario's order; a UserError for one it lacks. */
export function chooseVariants(s: Scenario, names: string[] | undefined): VariantInfo[] {
  if (!names || names.length === 0) return [...s.variants];
  const known = s.variants.map((v) => v.name);
  for (const n of names)
    if (!known.includes(n))
      throw new UserError(
        `scenario ${s.name} has no variant ${n}${didYouMean(n, known)}; variants: ${known.join(', ')}`,
      );
  return s.variants.filter((v) => names.includes(v.name));
}

interface VariantOptions extends RunOptions {
  timeSeconds: number;
  stallSeconds: number;
  /** No time was asked for: the budget may grow (MIN_OVERLAPPED). */
  grow: boolean;
}

type CpuPool = CpuWorkers<ScenarioTask, void>;

/**
 * One worker per thread, kept across the variants (a worker binds its CPU afresh for each task;
 * one that the watch aborted is terminated, and the host starts a new one in its place).
 */
function cpuPool(threads: number): CpuPool {
  return cpuHost().start<ScenarioTask, void>('scenario', threads, true);
}

/** The shared buffers and tasks of one variant. */
function prepare(s: Scenario, variant: string, opts: VariantOptions) {
  const perCopy = Object.values(s.memory).reduce(
    (n, d) => n + (typeof d === 'string' ? 1 : (d.length ?? 1)),
    0,
  );
  const batch =
    s.kind === 'iterations'
      ? Math.max(
          1,
          Math.min(s.budget.batch, opts.iterations ?? Infinity, Math.floor(MAX_HANDLES / perCopy)),
        )
      : 1;
  const memoryLayout = layoutMemory(s.memory, batch);
  const stats = statsLayout(s, batch);
  const controlBuffer = new SharedArrayBuffer(stats.controlBytes);
  const statsBuffer = new SharedArrayBuffer(stats.statsBytes);
  const memoryBuffer = new SharedArrayBuffer(memoryLayout.bytes);
  const m32 = new Int32Array(memoryBuffer);
  // Before any CPU runs: plain writes (each CPU's memory object starts from this memory).
  for (let k = 0; k < batch; k++)
    resetMemory(memoryLayout, k, (i, v) => {
      m32[i] = v;
    });
  // a memory object that asks for side memory (weak) sees the copies as instances (a
  // long-running scenario: one instance for the whole run) whose locations are the declared
  // words, so that its per-location state skips the padding between variables
  const kind = memoryKind(opts.memory ?? hostMemoryKind());
  const { locations: variables, locationOf } = wordLocations(memoryLayout);
  const sideCells = kind.sideCells?.(variables, batch);
  const instances = sideCells
    ? {
        dataBase: MEMORY_BASE,
        instanceStride: memoryLayout.stride,
        varStride: 1,
        variables,
        locationOf,
        size: batch,
        side: new SharedArrayBuffer(sideCells * Int32Array.BYTES_PER_ELEMENT),
      }
    : undefined;
  const tasks: ScenarioTask[] = s.threads.map((_, thread) => ({
    ...(instances && { instances }),
    file: s.file!,
    exportName: s.exportName ?? 'default',
    variant,
    thread,
    memory: opts.memory ?? hostMemoryKind(),
    seed: opts.seed ?? 1,
    barrier: barrierKindFor(s.threads.length, os.availableParallelism()),
    iterations: s.kind === 'iterations' ? opts.iterations : undefined,
    sliceMicros: s.budget.sliceMicros,
    memoryLayout,
    stats,
    controlBuffer,
    statsBuffer,
    memoryBuffer,
  }));
  return {
    tasks,
    stats,
    control: new Int32Array(controlBuffer),
    statsView: new Float64Array(statsBuffer),
  };
}

/** Whether every counter named in `until` has reached its figure, read live from the stats. */
function progressReached(
  s: Scenario,
  until: Readonly<Record<string, number>>,
  l: StatsLayout,
  stats: Float64Array,
): () => boolean {
  const counters = metricNames(s, 'counter');
  const outcomes = s.outcomes.map((o) => o.name);
  const wanted = Object.entries(until).map(([name, figure]) => {
    if (counters.includes(name)) return { at: l.counterAt + counters.indexOf(name), figure };
    if (outcomes.includes(name)) return { at: l.outcomeAt + outcomes.indexOf(name), figure };
    throw new Error(`internal: until names ${name}, neither a counter nor an outcome of ${s.name}`);
  });
  return () =>
    wanted.every(({ at, figure }) => {
      let total = 0;
      for (let t = 0; t < l.threads; t++) total += stats[t * l.threadWords + at]!;
      return total >= figure;
    });
}

async function runVariant(
  s: Scenario,
  v: VariantInfo,
  pool: CpuPool,
  opts: VariantOptions,
): Promise<VariantResult> {
  const { tasks, stats, control, statsView } = prepare(s, v.name, opts);
  const watch = new VariantWatch(control, {
    threads: s.threads.map((t) => t.name),
    // A variant that expects a stall runs at least two stall windows, so that the watchdog can see it.
    timeSeconds:
      v.stall === 'expected' ? Math.max(opts.timeSeconds, 2 * opts.stallSeconds) : opts.timeSeconds,
    stallSeconds: opts.stallSeconds,
    iterations: opts.iterations,
    iterationsDone: () => statsView[stats.iterationsAt]!,
    // Without --time, an 'iterations' variant runs on until its threads have met often enough.
    ...(opts.grow &&
      s.kind === 'iterations' &&
      s.threads.length > 1 && {
        growUntil: {
          enough: () => statsView[stats.overlapAt]! >= MIN_OVERLAPPED,
          maxSeconds: opts.timeSeconds * MAX_GROWTH,
        },
      }),
    enough: opts.until && progressReached(s, opts.until, stats, statsView),
    naturalEnd: s.kind === 'iterations' ? 'iterations' : 'done',
    variant: v.name,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  const timer = setInterval(() => watch.poll(), POLL_MS);
  try {
    // Each task settles when its thread finishes, fails, or is aborted by the watch.
    await Promise.allSettled(
      tasks.map((t, i) =>
        pool.run(t, watch.aborts[i]!.signal).catch((e: unknown) => watch.threadFailed(i, e)),
      ),
    );
  } finally {
    clearInterval(timer);
  }
  const run = {
    elapsedSeconds: watch.elapsedSeconds(),
    stoppedBy: watch.stoppedBy,
    stall: watch.stall,
    error: watch.error,
  };
  return collect(s, v, stats, statsView, run);
}

/** Total what the threads recorded in the stats buffer. */
function collect(
  s: Scenario,
  v: VariantInfo,
  l: StatsLayout,
  stats: Float64Array,
  run: Pick<VariantResult, 'elapsedSeconds' | 'stoppedBy' | 'stall' | 'error'>,
): VariantResult {
  const sum = (at: number) => {
    let total = 0;
    for (let t = 0; t < l.threads; t++) total += stats[t * l.threadWords + at]!;
    return total;
  };
  const outcomes: OutcomeCount[] = s.outcomes.map((o, i) => ({
    outcome: o.name,
    count: sum(l.outcomeAt + i),
    grade: o.grades[v.name]!,
  }));
  if (run.stall) outcomes.push({ outcome: STALL_OUTCOME, count: 1, grade: v.stall });
  const merged = new Float64Array(HISTOGRAM_WORDS);
  const latencies = metricNames(s, 'latency').map((name, i) => {
    merged.fill(0);
    for (let t = 0; t < l.threads; t++)
      mergeInto(merged, 0, stats, t * l.threadWords + l.latencyAt + i * HISTOGRAM_WORDS);
    return summarise(name, merged, 0);
  });
  return {
    variant: v.name,
    description: v.description,
    elapsedSeconds: run.elapsedSeconds,
    iterations: s.kind === 'iterations' ? stats[l.iterationsAt]! : undefined,
    ...(s.kind === 'iterations' && s.threads.length > 1 && { overlapped: stats[l.overlapAt]! }),
    stoppedBy: run.stoppedBy,
    outcomes,
    counters: metricNames(s, 'counter').map((name, i) => ({ name, value: sum(l.counterAt + i) })),
    latencies,
    stall: run.stall,
    stallGrade: v.stall,
    error: run.error,
  };
}
