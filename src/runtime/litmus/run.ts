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
import { firstInstr, type Instr, observedKeys, type StateKey, type Test } from '../../litmus/ir.ts';
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
  /**
   * Instances some thread gave up because a wait in them could never end (a lock never
   * released on the path taken, a grace period held by a stuck reader: runtime/litmus/waits.ts);
   * not in the histogram. When every instance got stuck, the run failed instead (`failure`).
   */
  stuck: number;
  threads: number;
  workers: number;
  /**
   * How the threads met: a spin or parking barrier on worker threads, or 'stepped': no worker
   * raced, one seeded scheduler stepped every CPU in this thread (stepped.ts: the weak CPU's
   * answer that does not depend on the load).
   */
  barrier: BarrierKind | 'stepped';
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
  const stuck = run.results.reduce((n, r) => n + r.stuck, 0);
  const allStuck = stuck > 0 && counted === 0 && run.stoppedBy === 'done';
  const fault = run.failed
    ? runFault(run.failed.thread, run.failed.stop, plan.sites[run.failed.thread]!, test.file)
    : allStuck
      ? allStuckFault(run.results, plan.sites, test.file)
      : undefined;
  const stoppedBy = allStuck ? 'error' : run.stoppedBy;
  return {
    histogram,
    runs: counted,
    elapsedMs: Math.max(...run.results.map((r) => r.elapsedMs)),
    wallMs: run.wallMs,
    stoppedBy,
    ...(fault && { fault }),
    partial: stoppedBy === 'signal' || stoppedBy === 'error',
    stuck,
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
export function runFault(thread: number, stop: CpuStop, sites: Site[], file: string): RunFault {
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

/** The memory kind's side memory for `size` instances of `variables` (MemoryKind.sideCells). */
type SideCells = ((variables: number, size: number) => number) | undefined;

/**
 * Instances per batch: --size, or the default cut down to what fits in hwMemoryLimit() with
 * the memory kind's side memory (the weak CPU's histories grow with the locations).
 */
function batchSize(test: Test, settings: ThreadsSettings, side: SideCells): number {
  const want = Math.min(settings.size ?? defaultHwSize(test), settings.runs);
  if (settings.size !== undefined) return want;
  const workers = test.threads.length * WORKER_BYTES;
  const perInstance = bufferBytes(test, layoutFor(test, 1, knobsOf(settings)), 1, side);
  const fits = Math.floor((hwMemoryLimit() - workers) / perInstance);
  return Math.max(1, Math.min(want, fits));
}

/** Bytes of the shared buffer and the kind's side memory for `size` instances. */
function bufferBytes(test: Test, layout: Layout, size: number, side: SideCells): number {
  return (layout.cells + (side?.(test.locations.length, size) ?? 0)) * CELL_BYTES;
}

/**
 * A run whose shared buffers (the memory kind's side memory included) and workers would need
 * more than hwMemoryLimit() is refused before anything is allocated, with the figure, the
 * limit and a --size that fits.
 */
function refuseMemory(
  test: Test,
  layout: Layout,
  size: number,
  side: SideCells,
): UserError | undefined {
  const threads = test.threads.length;
  const workers = threads * WORKER_BYTES;
  const buffer = bufferBytes(test, layout, size, side);
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

/**
 * Cells a location of `test` takes: 2 when it has a spinlock (lock word, queued count) or an
 * srcu_struct (its word, its readers' count: memory/rcu.ts), else 1.
 */
export function locationWidth(test: Test): number {
  const srcu = firstInstr(
    test,
    (i) =>
      (i.kind === 'fence' && i.annot === 'sync-srcu') ||
      ((i.kind === 'load' || i.kind === 'store') &&
        (i.annot === 'srcu-lock' || i.annot === 'srcu-unlock')),
  );
  return test.locations.some((l) => l.type === 'spinlock') || srcu ? 2 : 1;
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
  const kind = memoryKind(memory);
  // The one place the batch size is picked: the barrier is decided by the same CPUs.
  const size = batchSize(test, settings, kind.sideCells);
  const threads = test.threads.length;
  const layout = layoutFor(test, size, knobsOf(settings));
  const tooBig = refuseMemory(test, layout, size, kind.sideCells);
  if (tooBig) throw tooBig;
  const codes = test.threads.map((t) => {
    // A memory kind that runs a thread's accesses out of order gives the orders it may take.
    const orders = kind.threadOrders?.(test, t, settings.seed);
    // ... and may compile its accesses into the thread
    const inline = kind.compiledAccesses?.(test, t, orders ?? [t.body], layout, false);
    return compileThread(test, t, layout, { ...(orders && { orders }), ...(inline && { inline }) });
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
    waits: firstInstr(test, waitsHere) !== undefined,
    rcu: firstInstr(test, isRcu) !== undefined,
  };
  const tasks: CpuTask[] = codes.map((code) => ({
    settings,
    run,
    thread: code.thread,
    source: code.source,
  }));
  return { tasks, run, sites: codes.map((c) => c.sites) };
}

/** A run whose every instance got stuck: the fault at the first place a thread gave one up. */
function allStuckFault(results: CpuResult[], sites: Site[][], file: string): RunFault {
  const thread = Math.max(
    0,
    results.findIndex((r) => r.stuckSite !== undefined),
  );
  const message =
    'every instance got stuck here, waiting for what no thread in it would ever do (a deadlock in the test)';
  const site = sites[thread]?.[results[thread]?.stuckSite ?? -1];
  return site
    ? { kind: 'site', thread, message, file, pos: site.pos }
    : { kind: 'error', thread, message };
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

/** An instruction that may wait for another thread: spin_lock(), a grace period. */
const waitsHere = (ins: Instr) =>
  ins.kind === 'lock' ||
  (ins.kind === 'fence' && (ins.annot === 'sync-rcu' || ins.annot === 'sync-srcu'));

/** An RCU read-side marker or grace period (what MemoryOps.begin_instance is for). */
const isRcu = (ins: Instr) =>
  ins.kind === 'fence' &&
  (ins.annot === 'rcu-lock' || ins.annot === 'rcu-unlock' || ins.annot === 'sync-rcu');

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
  const keyInMemory: boolean[] = [];
  for (const k of keys) {
    keyInMemory.push(k.kind !== 'reg');
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
  return { keyCells, keyStrides, keyInMemory };
}
