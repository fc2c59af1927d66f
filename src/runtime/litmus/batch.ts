// The batch loop of one CPU (a worker running one test thread).
//
// Per batch: wait at the start barrier (every instance of the batch has its initial values),
// run the compiled thread over the batch's instances, wait at the barrier again (every thread
// is done), then count and reset this worker's share of the instances, each in one pass — the
// counting is split between the workers and no instance crosses to the main thread. At the end
// the worker returns its distinct final states with their counts.
//
// Runs inside a worker; the main thread's side is cpus.ts.

import { Aborted, SiteError } from '../../memory/faults.ts';
import { type MemoryKindName, memoryKind } from '../../memory/kinds.ts';
import {
  ABORT_CELL,
  FENCE_CELL,
  type Layout,
  PROGRESS_CELL,
  STARTED_CELL,
} from '../../memory/layout.ts';
import { litmusOps } from '../../memory/litmus-ops.ts';
import type { MemoryOps } from '../../memory/ops.ts';
import { abortAll, type BarrierKind, StartBarrier } from '../barrier.ts';
import { instanceSync } from './instance-sync.ts';
import { knobsOf, type ThreadsSettings } from './settings.ts';
import { Tally, type TallyEntry } from './tally.ts';
import { InstanceWaits, STUCK_FLAG } from './waits.ts';

/**
 * What the main thread sends each worker: the plan's settings, the run's shared part, and this
 * CPU's own. Plain data (it crosses by structured clone).
 */
export interface CpuTask {
  /** The run plan's settings, unchanged (settings.ts): this loop reads `runs`, `seed` and the start knobs. */
  settings: ThreadsSettings;
  /** What the runner laid out once for every CPU of the run. */
  run: CpuRun;
  /** The thread this CPU runs (P<n>): its index and compiled body (compileThread(...).source). */
  thread: number;
  source: string;
}

/** The part of every CPU's task that is the same for the whole run (run.ts makes it once). */
export interface CpuRun {
  sab: SharedArrayBuffer;
  /** Where every cell is; `layout.size` is the batch size the runner picked. */
  layout: Layout;
  /** The memory object each CPU creates (src/memory/kinds.ts). */
  memory: MemoryKindName;
  /** The memory object's side memory (MemoryKind.sideCells), shared by the CPUs of the run. */
  side?: SharedArrayBuffer;
  barrier: BarrierKind;
  /** The performance.timeOrigin of the run's main thread: the clock of start timebase. */
  clockOrigin: number;
  threads: number;
  /** Per location: its initial value. */
  init: number[];
  /** Per observed key: its cell in instance 0 and the cells from one instance to the next. */
  keyCells: number[];
  keyStrides: number[];
  /**
   * Per observed key: a location's final value, which the memory object gives (MemoryOps.final:
   * weak's is in its histories), not a register's, which is the runner's own out cell.
   */
  keyInMemory: boolean[];
  /** The test waits (spin_lock(), a grace period): threads publish their progress (waits.ts). */
  waits: boolean;
  /** The test has RCU read-side sections or grace periods (MemoryOps.begin_instance). */
  rcu: boolean;
}

/**
 * How one CPU stopped before the end of a run: at one instruction of its thread (`site`
 * indexes its compiled thread's sites, whose places only the runner knows: run.ts runFault),
 * elsewhere in its code, or because another CPU failed (the abort flag).
 */
export type CpuStop =
  | { kind: 'site'; site: number; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'aborted' };

export interface CpuResult {
  entries: TallyEntry[];
  /** Instances this thread ran (the same for every thread of a run). */
  instances: number;
  /** Milliseconds from the first start barrier to the end of the last batch. */
  elapsedMs: number;
  /** Meetings at an instance this thread gave up (instance-sync.ts). */
  lostMeetings: number;
  /** Instances of this thread's share of the counting that some thread gave up as stuck. */
  stuck: number;
  /** The site (of this thread's compiled sites) where it first gave an instance up. */
  stuckSite?: number;
  /**
   * Why this thread stopped before the end (a fault of its own, or another thread's failure);
   * the counts above are those of the batches that every thread finished, so that a fault
   * costs the run only the batch it happened in.
   */
  stop?: CpuStop;
}

type Body = (n: number) => void;

export function runCpu(task: CpuTask): CpuResult {
  const { settings, run } = task;
  const m = new Int32Array(run.sab);
  const { size, variables, varStride } = run.layout;
  const knobs = knobsOf(settings);
  const sync = instanceSync({
    m,
    thread: task.thread,
    threads: run.threads,
    flagBase: run.layout.flagBase,
    abortCell: ABORT_CELL,
    enabled: run.barrier === 'spin',
    mode: knobs.start,
    delay: knobs.delay,
    meet: knobs.meet,
    clockBase: run.layout.clockBase,
    clockOrigin: run.clockOrigin,
  });
  const waits = new InstanceWaits({
    m,
    thread: task.thread,
    threads: run.threads,
    progressBase: run.layout.progressBase,
    flagBase: run.layout.flagBase,
    abortCell: ABORT_CELL,
  });
  const mem = memoryKind(run.memory).create({
    m,
    fence: FENCE_CELL,
    cpu: task.thread,
    cpus: run.threads,
    seed: settings.seed,
    relax: waits.relax,
    ...(run.side && {
      instances: {
        dataBase: run.layout.dataBase,
        instanceStride: run.layout.instanceStride,
        varStride,
        variables,
        size,
        side: run.side,
      },
    }),
  });
  const ops = litmusOps(mem, {
    offsets: run.layout.offsets,
    startInstance: sync.startInstance,
    seed: settings.seed,
    cpu: task.thread,
    ...(run.waits && { watch: waits }),
    beginInstance: run.rcu,
  });
  const body = new Function('ops', 'mem', task.source)(ops, m) as Body;
  const barrier = new StartBarrier(m, run.threads, run.barrier);
  const tally = new Tally(run.keyCells.length);
  // One scratch row for every batch's counting: Tally.add copies it, so it is reused.
  const values = new Int32Array(run.keyCells.length);
  let instances = 0;
  let stuck = 0;
  let t0 = 0;
  let stop: CpuStop | undefined;
  try {
    resetShare(mem, m, task, size);
    Atomics.add(m, STARTED_CELL, 1);
    for (let batch = 0; ; batch++) {
      const n = Math.min(size, settings.runs - batch * size);
      if (n <= 0 || barrier.wait() !== 0) break;
      if (batch === 0) t0 = performance.now();
      sync.startBatch();
      waits.startBatch(batch);
      body(n);
      waits.enter(n);
      mem.drain();
      barrier.wait();
      stuck += countShare(mem, m, task, n, tally, values);
      instances += n;
      if (task.thread === 0) Atomics.store(m, PROGRESS_CELL, batch + 1);
    }
  } catch (e) {
    // Counting needs no wait, so every thread has counted its share of the last batch that all
    // of them finished; the batch the failure happened in is counted by none.
    abortAll(m);
    stop = stopOf(e);
  }
  return {
    entries: tally.toEntries(),
    instances,
    elapsedMs: t0 ? performance.now() - t0 : 0,
    lostMeetings: sync.lostMeetings(),
    stuck,
    ...(waits.firstStuckSite >= 0 && { stuckSite: waits.firstStuckSite }),
    ...(stop && { stop }),
  };
}

/** This worker's share of the n instances of a batch: a contiguous range. */
function share(task: CpuTask, n: number): [lo: number, hi: number] {
  const { threads } = task.run;
  return [Math.floor((task.thread * n) / threads), Math.floor(((task.thread + 1) * n) / threads)];
}

/**
 * Count this worker's share of a batch's final states and reset each instance once counted
 * (one pass: its cells are read and written while in cache); returns how many were stuck.
 */
function countShare(
  mem: MemoryOps,
  m: Int32Array,
  task: CpuTask,
  n: number,
  tally: Tally,
  values: Int32Array,
): number {
  const { keyCells, keyStrides, keyInMemory } = task.run;
  const { flagBase } = task.run.layout;
  const width = keyCells.length;
  const [lo, hi] = share(task, n);
  let stuck = 0;
  for (let i = lo; i < hi; i++) {
    if ((m[flagBase + i]! & STUCK_FLAG) !== 0) {
      stuck++;
    } else {
      for (let j = 0; j < width; j++) {
        const c = keyCells[j]! + i * keyStrides[j]!;
        values[j] = keyInMemory[j] ? mem.final(c) : m[c]!;
      }
      tally.add(values);
    }
    resetInstance(mem, m, task.run, i);
  }
  return stuck;
}

/** Write the initial values into this worker's share of the first batch. */
function resetShare(mem: MemoryOps, m: Int32Array, task: CpuTask, n: number): void {
  const [lo, hi] = share(task, n);
  for (let i = lo; i < hi; i++) resetInstance(mem, m, task.run, i);
}

/**
 * Write instance i's initial values (made visible by the next barrier); its start flag is the
 * runner's, not the test's, and is written directly, as is each location's second cell when it
 * has one (a spinlock's queued count, an srcu_struct's reader count: a stuck instance may have
 * left them non-zero).
 */
function resetInstance(mem: MemoryOps, m: Int32Array, run: CpuRun, i: number): void {
  const { init, layout } = run;
  const { dataBase, instanceStride, offsets, flagBase, width } = layout;
  const c = dataBase + i * instanceStride;
  for (let v = 0; v < init.length; v++) {
    mem.init(c + offsets[v]!, init[v]!);
    // a location of one cell has no count (the next cell may be another location's)
    if (width > 1) m[c + offsets[v]! + 1] = 0;
  }
  m[flagBase + i] = 0;
}

/** How this thread stopped: at one of its sites, elsewhere, or because another thread failed. */
function stopOf(e: unknown): CpuStop {
  if (e instanceof Aborted) return { kind: 'aborted' };
  const message = e instanceof Error ? e.message : String(e);
  return e instanceof SiteError
    ? { kind: 'site', site: e.site, message }
    : { kind: 'error', message };
}
