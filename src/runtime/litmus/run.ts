// The litmus runner (hw's and weak's alike): run a litmus test on this machine's CPUs, each with
// the memory object it is given, and count its final states.
//
// runLitmusOnHw lays out the shared memory (layout.ts), compiles each thread (compile.ts),
// hands one thread to each CPU worker (cpus.ts → batch.ts) and turns the workers' counts into
// a Histogram of final states (values, keyed as the model's verdict keys them).
// What a backend cannot run is its own to say (src/backends/threads.ts), before this runs.

import os from 'node:os';
import { UserError } from '../../errors.ts';
import { compileThread, observedRegisters } from '../../litmus/compile.ts';
import { observedKeys, type StateKey, type Test } from '../../litmus/ir.ts';
import { addToHistogram, type Histogram, histogramRuns, satisfies } from '../../litmus/state.ts';
import { hostMemoryKind, type MemoryKindName, memoryKind } from '../../memory/kinds.ts';
import { CELL_BYTES, cellOf, computeLayout, type Layout, outCellOf } from '../../memory/layout.ts';
import { type BarrierKind, barrierKindFor } from '../barrier.ts';
import { type HostInfo, hostInfo } from '../host.ts';
import type { CpuHost } from '../pool/cpu-host.ts';
import type { CpuResult, CpuTask } from './batch.ts';
import { runOnCpus, type StoppedBy } from './cpus.ts';

/**
 * Instances per batch when the caller has no opinion and the threads have a CPU each: the
 * fewer batches, the fewer barriers, which matters on a busy machine (SB on 2 CPUs, load
 * average ~10: 10,000 → 0.5 M runs/s, 100,000 → 2.7-4.7 M runs/s; idle: both ~8.7 M runs/s).
 */
export const DEFAULT_HW_SIZE_SPIN = 100_000;
/**
 * Instances per batch when threads outnumber CPUs: each thread runs a batch alone within its
 * time slice, so smaller batches interleave the threads more (IRIW, 100,000 runs on 2 CPUs:
 * size 100,000 → 1 state, 10,000 → 5 to 7 states).
 */
export const DEFAULT_HW_SIZE_PARKED = 10_000;

/** The batch size runLitmusOnHw uses when HwOptions.size is not given. */
export function defaultHwSize(test: Test): number {
  return barrierKindFor(test.threads.length, os.availableParallelism()) === 'park'
    ? DEFAULT_HW_SIZE_PARKED
    : DEFAULT_HW_SIZE_SPIN;
}

export interface HwOptions {
  /** Total test instances to run. */
  runs: number;
  /** Instances per batch (litmus7 -s); batches = ceil(runs / size). Default: defaultHwSize(test). */
  size?: number;
  /** Stop after this long (stoppedBy: 'time', not partial: the user asked for it). */
  timeSeconds?: number;
  /** The CPUs' memory object (default: hostMemoryKind()). */
  memory?: MemoryKindName;
  /** For a memory object that makes random choices (default 1). */
  seed?: number;
  /** Variables of one instance share lines (default: one 64-byte line each). */
  packed?: boolean;
  /** Where the CPUs run (default: this process's host, pool/host.ts's cpuHost()). */
  host?: CpuHost;
}

export interface RunsResult {
  histogram: Histogram;
  /** Instances counted (= sum of the histogram; a `filter` clause drops some). */
  runs: number;
  /** From the first batch's start to the last batch's end, in the workers. */
  elapsedMs: number;
  /** Including starting and closing the workers. */
  wallMs: number;
  stoppedBy: StoppedBy;
  /** With stoppedBy 'error': why, `P1: file:line:col: message` (a fault of the test at run time). */
  failure?: string;
  /** True when stopped by the signal (Ctrl-C) or a fault: what was collected so far. */
  partial: boolean;
  threads: number;
  workers: number;
  barrier: BarrierKind;
  /**
   * Meetings at an instance that a thread gave up because another was not running (a busy
   * machine); it then ran RETRY_AFTER instances or more alone: fewer races than usual.
   */
  lostMeetings: number;
  size: number;
  memory: MemoryKindName;
  seed: number;
  packed: boolean;
  /** The machine and the engine that ran the CPUs, asked of the engine itself. */
  host: HostInfo;
}

export interface HwHooks {
  onProgress?: (runsDone: number, runsTotal: number) => void;
  /** Abort = stop before the next batch and return what was collected, partial. */
  signal?: AbortSignal;
}

export async function runLitmusOnHw(
  test: Test,
  opts: HwOptions,
  hooks: HwHooks = {},
): Promise<RunsResult> {
  // the backend refuses first (src/backends/); this guards a direct caller
  const bad = memoryKind(opts.memory ?? hostMemoryKind()).refuse?.(test) ?? badOption(opts);
  if (bad) throw bad;
  const plan = planRun(test, opts);
  const run = await runOnCpus(
    plan.tasks,
    { size: plan.size, runs: opts.runs, timeSeconds: opts.timeSeconds, ...hooks },
    opts.host,
  );
  const histogram = toHistogram(test, run.results);
  const counted = histogramRuns(histogram);
  return {
    histogram,
    runs: counted,
    elapsedMs: Math.max(...run.results.map((r) => r.elapsedMs)),
    wallMs: run.wallMs,
    stoppedBy: run.stoppedBy,
    ...(run.failure !== undefined && { failure: run.failure }),
    partial: run.stoppedBy === 'signal' || run.stoppedBy === 'error',
    threads: plan.tasks.length,
    workers: plan.tasks.length,
    barrier: plan.barrier,
    lostMeetings: run.results.reduce((n, r) => n + r.lostMeetings, 0),
    size: plan.size,
    memory: plan.memory,
    seed: plan.seed,
    packed: plan.packed,
    host: hostInfo(),
  };
}

/**
 * What one CPU worker costs besides the shared buffer (a V8 isolate with its heap, the compiled
 * thread, its tally), measured as 3.4 GB for a 128-thread test: about 27 MB each, rounded up.
 */
export const WORKER_BYTES = 32 * 1024 * 1024;

/** The most memory a run may ask for: a quarter of this machine's, at most 4 GiB. */
export function hwMemoryLimit(): number {
  return Math.min(os.totalmem() / 4, 4 * 1024 ** 3);
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

/**
 * A run whose shared buffer and workers would need more than hwMemoryLimit() is refused before
 * anything is allocated, with the figure, the limit and a --size that fits.
 */
function refuseMemory(test: Test, layout: Layout, size: number): UserError | undefined {
  const threads = test.threads.length;
  const workers = threads * WORKER_BYTES;
  const buffer = layout.cells * CELL_BYTES;
  const limit = hwMemoryLimit();
  if (buffer + workers <= limit) return undefined;
  if (workers >= limit / 2) {
    return new UserError(
      `${test.name} has ${threads} threads: ${threads} CPU workers need about ${gb(workers)}, more than this run may use (${gb(limit)}, a quarter of this machine's memory at most 4 GB)`,
    );
  }
  const fits = Math.max(1, Math.floor((size * (limit - workers)) / buffer));
  return new UserError(
    `--size ${size} needs ${gb(buffer + workers)} (${gb(buffer)} of shared memory for ${size.toLocaleString('en-US')} instances, and ${threads} CPU workers), more than this run may use (${gb(limit)}, a quarter of this machine's memory at most 4 GB): use --size ${fits.toLocaleString('en-US')} or less`,
  );
}

function badOption(opts: HwOptions): UserError | undefined {
  for (const [flag, v] of [
    ['--runs', opts.runs],
    ['--size', opts.size ?? 1],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1)
      return new UserError(`${flag} must be a positive integer, not ${v}`);
  }
  return undefined;
}

/** The shared memory, the compiled threads and one task per CPU. */
function planRun(test: Test, opts: HwOptions) {
  test.threads.forEach((t, i) => {
    if (t.id !== i) throw new Error(`internal: thread ${i} has id ${t.id}`);
  });
  const memory = opts.memory ?? hostMemoryKind();
  const seed = opts.seed ?? 1;
  const packed = opts.packed ?? false;
  const size = Math.min(opts.size ?? defaultHwSize(test), opts.runs);
  const threads = test.threads.length;
  const barrier = barrierKindFor(threads, os.availableParallelism());
  const kind = memoryKind(memory);
  const layout = layoutFor(test, size, packed);
  const tooBig = refuseMemory(test, layout, size);
  if (tooBig) throw tooBig;
  const codes = test.threads.map((t) => {
    // A memory kind that runs a thread's accesses out of order gives the orders it may take.
    const orders = kind.threadOrders?.(t, seed);
    return compileThread(test, t, layout, orders ? { orders } : {});
  });
  const sab = new SharedArrayBuffer(layout.cells * CELL_BYTES);
  const sideCells = kind.sideCells?.(test.locations.length, size);
  const side = sideCells ? new SharedArrayBuffer(sideCells * CELL_BYTES) : undefined;
  const keys = keyPlan(
    test,
    observedKeys(test),
    layout,
    codes.map((c) => c.observed),
  );
  const tasks: CpuTask[] = codes.map((code) => ({
    sab,
    thread: code.thread,
    threads,
    source: code.source,
    sites: code.sites,
    file: test.file,
    layout,
    runs: opts.runs,
    memory,
    seed,
    ...(side && { side }),
    barrier,
    init: test.locations.map((l) => l.init),
    ...keys,
  }));
  return { tasks, size, memory, seed, packed, barrier };
}

/** The workers' counts as final states (values); states failing the `filter` clause are dropped. */
function toHistogram(test: Test, results: CpuResult[]): Histogram {
  const keys = observedKeys(test);
  const histogram: Histogram = new Map();
  for (const r of results) {
    for (const { values, count } of r.entries) {
      if (!test.filter || satisfies(test, values, test.filter, keys))
        addToHistogram(test, histogram, values, count, keys);
    }
  }
  return histogram;
}

/** The one layout every thread is compiled against (it needs each thread's observed count). */
function layoutFor(test: Test, size: number, packed: boolean): Layout {
  return computeLayout({
    size,
    variables: test.locations.length,
    observedRegisters: test.threads.map((t) => observedRegisters(test, t.id).length),
    packed,
  });
}

function keyPlan(test: Test, keys: StateKey[], layout: Layout, observed: string[][]) {
  const keyCells: number[] = [];
  const keyStrides: number[] = [];
  for (const k of keys) {
    if (k.kind === 'reg') {
      const j = observed[k.thread]?.indexOf(k.reg) ?? -1;
      if (j < 0)
        throw new UserError(
          `the final condition names ${k.thread}:${k.reg}, but there is no thread P${k.thread}`,
          test.file,
        );
      keyCells.push(outCellOf(layout, k.thread, 0, j));
      keyStrides.push(layout.outStride[k.thread]!);
    } else {
      const v = test.locations.findIndex((l) => l.name === k.loc);
      if (v < 0)
        throw new Error(`internal: the final state names ${k.loc}, which is not in Test.locations`);
      keyCells.push(cellOf(layout, 0, v));
      keyStrides.push(layout.instanceStride);
    }
  }
  return { keyCells, keyStrides };
}
