// The litmus runner (hw's and weak's alike): run a litmus test on this machine's CPUs, each with
// the memory object it is given, and count its final states.
//
// A job is a test, the run plan's settings (settings.ts) and a memory object. runLitmusJob
// picks the batch size and the barrier (by the test's threads and this machine's CPUs), lays
// out the shared memory (layout.ts), compiles each thread (compile.ts), hands each CPU worker
// its task — the settings as they came, the run's shared part, its own thread (cpus.ts →
// batch.ts) — and turns the workers' counts into a Histogram of final states (values, keyed
// as the model's verdict keys them) and a CPU's stop into the run's fault (RunFault).
// What a backend cannot run is its own to say (src/backends/threads.ts), before this runs;
// runLitmusOnHw is the door for callers that asked no backend.

import os from 'node:os';
import { type SourcePos, UserError } from '../../errors.ts';
import { compileThread, observedRegisters, type Site } from '../../litmus/compile.ts';
import { observedKeys, type StateKey, type Test } from '../../litmus/ir.ts';
import { addToHistogram, type Histogram, histogramRuns, satisfies } from '../../litmus/state.ts';
import { ABORTED_SUFFIX } from '../../memory/faults.ts';
import { hostMemoryKind, type MemoryKindName, memoryKind } from '../../memory/kinds.ts';
import { CELL_BYTES, cellOf, computeLayout, type Layout, outCellOf } from '../../memory/layout.ts';
import { type BarrierKind, barrierKindFor } from '../barrier.ts';
import { type HostInfo, hostInfo } from '../host.ts';
import type { CpuHost } from '../pool/cpu-host.ts';
import type { CpuResult, CpuRun, CpuStop, CpuTask } from './batch.ts';
import { type HwHooks, runOnCpus, type StoppedBy } from './cpus.ts';
import type { Knobs } from './knobs.ts';
import { knobsOf, type ThreadsSettings } from './settings.ts';

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

/**
 * The batch size when the settings leave it to the runner: by the test's threads and this
 * machine's CPUs (the engine's that runs them), which also decide the barrier.
 */
export function defaultHwSize(test: Test): number {
  return barrierKindFor(test.threads.length, os.availableParallelism()) === 'park'
    ? DEFAULT_HW_SIZE_PARKED
    : DEFAULT_HW_SIZE_SPIN;
}

/** One litmus run on this machine's CPUs: what every engine's path hands the runner. */
export interface LitmusJob {
  test: Test;
  /** The run plan's settings, unchanged (settings.ts). */
  settings: ThreadsSettings;
  /** The CPUs' memory object: the threads backend's (hw: this host's mapping; weak). */
  memory: MemoryKindName;
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
  /** With stoppedBy 'error': the fault of the test at run time (its thread and place). */
  fault?: RunFault;
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
  /** The knobs the run had (knobs.ts), its batch size the one it picked. */
  knobs: Knobs;
  /** The machine and the engine that ran the CPUs, asked of the engine itself. */
  host: HostInfo;
}

/**
 * A fault of the test at run time, as a value: `site` at an instruction of the test (its file
 * and position: a spin_lock() that waits for ever, a register that holds no address), `error`
 * elsewhere in a thread's code, `aborted` when the thread only gave up after another failed.
 * The text `P1: file:line:col: message` is the report's to make, never parsed back.
 */
export interface RunFault {
  kind: CpuStop['kind'];
  /** The thread (P<n>). */
  thread: number;
  message: string;
  file?: string;
  pos?: SourcePos;
}

/**
 * A litmus run for a caller that has asked no backend (a test, a benchmark, the browser page):
 * the settings checked and what the memory object cannot run refused, as UserErrors, before
 * anything starts; then runLitmusJob. The lab's runs come through a threads backend, which
 * refused once already (backends/threads.ts), and go to runLitmusJob on their engine.
 */
export async function runLitmusOnHw(
  job: Omit<LitmusJob, 'memory'> & { memory?: MemoryKindName },
  hooks: HwHooks = {},
  host?: CpuHost,
): Promise<RunsResult> {
  const accepted = { ...job, memory: job.memory ?? hostMemoryKind() };
  const bad = badSetting(accepted.settings) ?? memoryKind(accepted.memory).refuse?.(job.test);
  if (bad) throw bad;
  return runLitmusJob(accepted, hooks, host);
}

/** A job its threads backend accepted: lay it out, run it on the CPUs of `host`, count it. */
export async function runLitmusJob(
  job: LitmusJob,
  hooks: HwHooks = {},
  host?: CpuHost,
): Promise<RunsResult> {
  const { test, settings } = job;
  const plan = planRun(job);
  const run = await runOnCpus(plan.tasks, hooks, host);
  const histogram = toHistogram(test, run.results);
  const counted = histogramRuns(histogram);
  const { failed } = run;
  return {
    histogram,
    runs: counted,
    elapsedMs: Math.max(...run.results.map((r) => r.elapsedMs)),
    wallMs: run.wallMs,
    stoppedBy: run.stoppedBy,
    ...(failed && {
      fault: runFault(failed.thread, failed.stop, plan.sites[failed.thread]!, test.file),
    }),
    partial: run.stoppedBy === 'signal' || run.stoppedBy === 'error',
    threads: plan.tasks.length,
    workers: plan.tasks.length,
    barrier: plan.run.barrier,
    lostMeetings: run.results.reduce((n, r) => n + r.lostMeetings, 0),
    size: plan.run.layout.size,
    memory: job.memory,
    seed: settings.seed,
    knobs: { ...knobsOf(settings), size: plan.run.layout.size },
    host: hostInfo(),
  };
}

/** The fault of `thread`, which stopped so; `sites` are its compiled thread's, `file` the test's. */
function runFault(thread: number, stop: CpuStop, sites: Site[], file: string): RunFault {
  if (stop.kind === 'aborted') return { kind: 'aborted', thread, message: ABORTED_SUFFIX };
  const site = stop.kind === 'site' ? sites[stop.site] : undefined;
  if (!site) return { kind: 'error', thread, message: stop.message };
  const message =
    site.reg === undefined ? stop.message : `register ${site.reg} holds ${stop.message}`;
  return { kind: 'site', thread, message, file, pos: site.pos };
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

/** Cells a location of `test` takes: 2 when it has a spinlock (lock word, queued count), else 1. */
export function locationWidth(test: Test): number {
  return test.locations.some((l) => l.type === 'spinlock') ? 2 : 1;
}

function badSetting(settings: ThreadsSettings): UserError | undefined {
  for (const [flag, v] of [
    ['--runs', settings.runs],
    ['--size', settings.size ?? 1],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1)
      return new UserError(`${flag} must be a positive integer, not ${v}`);
  }
  return undefined;
}

/**
 * The run's shared part (its layout, memory, barrier) and one task per CPU, each with the
 * job's settings as they are; the compiled threads' sites, to place a fault.
 */
function planRun({ test, settings, memory }: LitmusJob) {
  test.threads.forEach((t, i) => {
    if (t.id !== i) throw new Error(`internal: thread ${i} has id ${t.id}`);
  });
  // The one place the batch size is picked: the barrier is decided by the same CPUs.
  const size = Math.min(settings.size ?? defaultHwSize(test), settings.runs);
  const threads = test.threads.length;
  const kind = memoryKind(memory);
  const layout = layoutFor(test, size, knobsOf(settings));
  const tooBig = refuseMemory(test, layout, size);
  if (tooBig) throw tooBig;
  const codes = test.threads.map((t) => {
    // A memory kind that runs a thread's accesses out of order gives the orders it may take.
    const orders = kind.threadOrders?.(t, settings.seed);
    return compileThread(test, t, layout, orders ? { orders } : {});
  });
  const sideCells = kind.sideCells?.(test.locations.length, size);
  const run: CpuRun = {
    sab: new SharedArrayBuffer(layout.cells * CELL_BYTES),
    layout,
    memory,
    ...(sideCells && { side: new SharedArrayBuffer(sideCells * CELL_BYTES) }),
    barrier: barrierKindFor(threads, os.availableParallelism()),
    clockOrigin: performance.timeOrigin,
    threads,
    init: test.locations.map((l) => l.init),
    ...keyPlan(
      test,
      observedKeys(test),
      layout,
      codes.map((c) => c.observed),
    ),
  };
  const tasks: CpuTask[] = codes.map((code) => ({
    settings,
    run,
    thread: code.thread,
    source: code.source,
  }));
  return { tasks, run, sites: codes.map((c) => c.sites) };
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
function layoutFor(test: Test, size: number, knobs: Knobs): Layout {
  return computeLayout({
    size,
    variables: test.locations.length,
    observedRegisters: test.threads.map((t) => observedRegisters(test, t.id).length),
    layout: knobs,
    width: locationWidth(test),
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
