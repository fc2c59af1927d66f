// The batch loop of one CPU (a worker running one test thread).
//
// Per batch: wait at the start barrier (every instance of the batch has its initial values),
// run the compiled thread over the batch's instances, wait at the barrier again (every thread
// is done), then count and reset this worker's share of the instances — the counting is split
// between the workers and no instance crosses to the main thread. At the end the worker returns
// its distinct final states with their counts.
//
// Runs inside a worker; the main thread's side is cpus.ts.

import type { Site } from '../../litmus/compile.ts';
import { ABORTED_SUFFIX, Aborted, SiteError } from '../../memory/faults.ts';
import { type MemoryKindName, memoryKind } from '../../memory/kinds.ts';
import {
  ABORT_CELL,
  FENCE_CELL,
  type Layout,
  PROGRESS_CELL,
  STARTED_CELL,
} from '../../memory/layout.ts';
import { litmusOps, litmusRelax } from '../../memory/litmus-ops.ts';
import type { MemoryOps } from '../../memory/ops.ts';
import { abortAll, type BarrierKind, StartBarrier } from '../barrier.ts';
import { instanceSync } from './instance-sync.ts';
import { Tally, type TallyEntry } from './tally.ts';

/** What the main thread sends each worker: plain data (it crosses by structured clone). */
export interface CpuTask {
  sab: SharedArrayBuffer;
  thread: number;
  threads: number;
  /** compileThread(...).source and .sites. */
  source: string;
  sites: Site[];
  /** The test file, for messages. */
  file: string;
  layout: Layout;
  runs: number;
  /** The memory object this CPU creates (src/memory/kinds.ts). */
  memory: MemoryKindName;
  /** For a memory object that makes random choices. */
  seed: number;
  /** The memory object's side memory (MemoryKind.sideCells), shared by the CPUs of the run. */
  side?: SharedArrayBuffer;
  barrier: BarrierKind;
  /** Per location: its initial value. */
  init: number[];
  /** Per observed key: its cell in instance 0 and the cells from one instance to the next. */
  keyCells: number[];
  keyStrides: number[];
}

export interface CpuResult {
  entries: TallyEntry[];
  /** Instances this thread ran (the same for every thread of a run). */
  instances: number;
  /** Milliseconds from the first start barrier to the end of the last batch. */
  elapsedMs: number;
  /** Meetings at an instance this thread gave up (instance-sync.ts). */
  lostMeetings: number;
  /**
   * Why this thread stopped before the end (`P1: file:line:col: message`, or ABORTED_SUFFIX's
   * marker when another thread failed); the counts above are those of the batches that every
   * thread finished, so that a fault costs the run only the batch it happened in.
   */
  failure?: string;
}

type Body = (n: number) => void;

export function runCpu(task: CpuTask): CpuResult {
  const m = new Int32Array(task.sab);
  const { size, variables, varStride } = task.layout;
  const sync = instanceSync({
    m,
    thread: task.thread,
    threads: task.threads,
    flagBase: task.layout.flagBase,
    abortCell: ABORT_CELL,
    enabled: task.barrier === 'spin',
  });
  const mem = memoryKind(task.memory).create({
    m,
    fence: FENCE_CELL,
    cpu: task.thread,
    cpus: task.threads,
    seed: task.seed,
    relax: litmusRelax(m, ABORT_CELL),
    ...(task.side && {
      instances: {
        dataBase: task.layout.dataBase,
        instanceStride: task.layout.instanceStride,
        varStride,
        variables,
        size,
        side: task.side,
      },
    }),
  });
  const ops = litmusOps(mem, {
    offsets: Array.from({ length: variables }, (_, v) => v * varStride),
    startInstance: sync.startInstance,
    seed: task.seed,
    cpu: task.thread,
  });
  const body = new Function('ops', 'mem', task.source)(ops, m) as Body;
  const barrier = new StartBarrier(m, task.threads, task.barrier);
  const tally = new Tally(task.keyCells.length);
  // One scratch row for every batch's counting: Tally.add copies it, so it is reused.
  const values = new Int32Array(task.keyCells.length);
  let instances = 0;
  let t0 = 0;
  let failure: string | undefined;
  try {
    resetShare(mem, m, task, size);
    Atomics.add(m, STARTED_CELL, 1);
    for (let batch = 0; ; batch++) {
      const n = Math.min(size, task.runs - batch * size);
      if (n <= 0 || barrier.wait() !== 0) break;
      if (batch === 0) t0 = performance.now();
      sync.startBatch();
      body(n);
      mem.drain();
      barrier.wait();
      countShare(mem, task, n, tally, values);
      resetShare(mem, m, task, n);
      instances += n;
      if (task.thread === 0) Atomics.store(m, PROGRESS_CELL, batch + 1);
    }
  } catch (e) {
    // Counting needs no wait, so every thread has counted its share of the last batch that all
    // of them finished; the batch the failure happened in is counted by none.
    abortAll(m);
    failure = describeFailure(task, e).message;
  }
  return {
    entries: tally.toEntries(),
    instances,
    elapsedMs: t0 ? performance.now() - t0 : 0,
    lostMeetings: sync.lostMeetings(),
    ...(failure !== undefined && { failure }),
  };
}

/** This worker's share of the n instances of a batch: a contiguous range. */
function share(task: CpuTask, n: number): [lo: number, hi: number] {
  return [
    Math.floor((task.thread * n) / task.threads),
    Math.floor(((task.thread + 1) * n) / task.threads),
  ];
}

function countShare(
  mem: MemoryOps,
  task: CpuTask,
  n: number,
  tally: Tally,
  values: Int32Array,
): void {
  const { keyCells, keyStrides } = task;
  const width = keyCells.length;
  const [lo, hi] = share(task, n);
  for (let i = lo; i < hi; i++) {
    for (let j = 0; j < width; j++) values[j] = mem.final(keyCells[j]! + i * keyStrides[j]!);
    tally.add(values);
  }
}

/**
 * Write the initial values into this worker's share (made visible by the next barrier); the
 * start flags are the runner's, not the test's, and are written directly.
 */
function resetShare(mem: MemoryOps, m: Int32Array, task: CpuTask, n: number): void {
  const init = task.init;
  const { dataBase, instanceStride, varStride, flagBase } = task.layout;
  const [lo, hi] = share(task, n);
  for (let i = lo; i < hi; i++) {
    const c = dataBase + i * instanceStride;
    for (let v = 0; v < init.length; v++) mem.init(c + v * varStride, init[v]!);
    m[flagBase + i] = 0;
  }
}

/** `P1: file:line:col: message` for a failure of this thread; a plain marker when aborted. */
function describeFailure(task: CpuTask, e: unknown): Error {
  const who = `P${task.thread}`;
  if (e instanceof Aborted) return new Error(`${who}: ${ABORTED_SUFFIX}`);
  if (e instanceof SiteError) {
    const site = task.sites[e.site];
    if (site) {
      const where = `${task.file}:${site.pos.line}:${site.pos.col}`;
      const what = site.reg === undefined ? e.message : `register ${site.reg} holds ${e.message}`;
      return new Error(`${who}: ${where}: ${what}`);
    }
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new Error(`${who}: ${msg}`);
}
