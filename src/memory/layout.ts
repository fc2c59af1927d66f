// Where things are in shared memory, addressed by name: the control lines every buffer starts
// with, and a litmus run's buffer.
//
// Every buffer a memory object works on starts with the same control lines (below), so that
// FENCE_CELL is one cell in every buffer. A litmus run's SharedArrayBuffer, viewed as an
// Int32Array, holds four regions:
//   control — the start barrier, the abort and stop flags, the fence cell, progress, RCU's
//             grace-period counter and per-CPU reader words: each on its own 64-byte line so
//             that spinning on one does not steal the line of another;
//   data    — `size` instances of the test's locations: by default every variable of every
//             instance on its own line (a fresh, uncontended line per access, as jcstress
//             does); LayoutKnobs move them closer, apart, or into one array per location;
//   flags   — one start flag per instance (litmus7's userfence: the threads meet at every
//             instance), then one line for the start synchronisation's clock;
//   out     — per thread, the observed registers of each instance, written by that thread only.
// A program scenario has three buffers: control and stats (src/runtime/scenario/buffers.ts) and
// memory (the control lines, then the scenario's variables: src/memory/cells.ts lays those out
// from MEMORY_BASE). This module computes indices; it does not touch memory.

import { UserError } from '../errors.ts';
import { observedRegisters } from '../litmus/compile.ts';
import type { Test } from '../litmus/ir.ts';

/** Bytes in a cache line on x86-64 (Apple M-series lines are 128 bytes: there two neighbouring 64-byte slots share one). */
export const LINE_BYTES = 64;
export const CELL_BYTES = Int32Array.BYTES_PER_ELEMENT;
export const LINE_CELLS = LINE_BYTES / CELL_BYTES;

// ---- Control lines: the start of every buffer.

// Control cells, one line each (cell index = line × LINE_CELLS).
/** How many threads have arrived at the start barrier of the current generation. */
export const START_BARRIER = 0 * LINE_CELLS;
/** The start barrier's generation: bumped by the last thread to arrive, which releases the others. */
export const BARRIER_GEN = 1 * LINE_CELLS;
/** Non-zero when a thread failed or the run is torn down: every spin loop gives up. */
export const ABORT_CELL = 2 * LINE_CELLS;
/** Set by the main thread (time budget, Ctrl-C): the threads stop before their next batch. */
export const STOP_CELL = 3 * LINE_CELLS;
/** The stop flag as the last thread at the barrier saw it: every thread reads the same decision. */
export const DECISION_CELL = 4 * LINE_CELLS;
/** A cell no test variable uses: Atomics on it are the compiler barrier and the full fence. */
export const FENCE_CELL = 5 * LINE_CELLS;
/** Batches finished, written by thread 0 after each batch; read by the main thread for progress. */
export const PROGRESS_CELL = 6 * LINE_CELLS;
/** How many threads have started (reached their first barrier); for the start watchdog. */
export const STARTED_CELL = 7 * LINE_CELLS;
/** RCU's grace-period counter (src/memory/rcu.ts): bumped by 2 at the start of each grace period. */
export const RCU_GP_CELL = 8 * LINE_CELLS;
/** CPUs whose RCU read-side state the control lines hold (one line each). */
export const RCU_MAX_CPUS = 64;
/** CPU c's RCU reader word is RCU_READERS + c × LINE_CELLS: 0 outside a read-side critical section. */
export const RCU_READERS = 9 * LINE_CELLS;
/** The control lines at the start of every buffer. */
export const CONTROL_CELLS = RCU_READERS + RCU_MAX_CPUS * LINE_CELLS;
/** Where a scenario's variables start in its memory buffer (after the control lines). */
export const MEMORY_BASE = CONTROL_CELLS;

// ---- A litmus run's buffer.

/** The orders in which an instance's locations may be laid out: the test's, or the reverse. */
export const LOCATION_ORDERS = ['declared', 'reversed'] as const;
export type LocationOrder = (typeof LOCATION_ORDERS)[number];

/**
 * Where the locations of the instances go: how far apart (in cells) and in which order. How
 * often a relaxed outcome shows depends on it (docs/tune.md): which lines two threads share,
 * how many instances one line holds, what the prefetcher brings in.
 *   blocks — stride ≥ locations × pad: each instance a block of its locations, pad cells apart
 *            (the default: pad 16, one 64-byte line per location of every instance, as
 *            litmus7's and jcstress' fresh lines);
 *   arrays — a smaller stride: each location an array of the instances, stride cells apart,
 *            the arrays pad cells apart (litmus7 allocates so: x[i], y[i], stride 1).
 */
export interface LayoutKnobs {
  /** Cells from one location to the next of an instance (blocks), or between two arrays (arrays). */
  pad: number;
  /** Cells from one instance to the next; 0: locations × pad (blocks of pad cells each). */
  stride: number;
  order: LocationOrder;
}

/** Every location of every instance on a line of its own. */
export const LINES_LAYOUT: LayoutKnobs = { pad: LINE_CELLS, stride: 0, order: 'declared' };
/** The locations of one instance side by side (a spinlock is two cells: memory/ops.ts). */
export const PACKED_LAYOUT: LayoutKnobs = { pad: 2, stride: 0, order: 'declared' };

export interface LayoutRequest {
  /** Instances per batch. */
  size: number;
  /** Number of shared locations of the test (variables of one instance). */
  variables: number;
  /** For each thread, how many of its registers are observed in the final state. */
  observedRegisters: readonly number[];
  /** Where the locations go (default LINES_LAYOUT). */
  layout?: LayoutKnobs;
  /** Shorthand for layout PACKED_LAYOUT (variables of one instance share lines). */
  packed?: boolean;
  /**
   * Cells one location takes: 2 when the test has a spinlock (lock word, queued count:
   * memory/ops.ts), else 1. Default 2.
   */
  width?: number;
}

/** Where everything is, in cells; plain numbers so that it crosses to the workers as data. */
export interface Layout {
  size: number;
  variables: number;
  /** Each location's cell, counted from its instance's first cell (by location index). */
  offsets: number[];
  /** Cells one location takes (LayoutRequest.width): 2 when the second is a lock's or srcu's count. */
  width: number;
  /** Blocks: cells between a location and the next of an instance (pad). Arrays: 0. */
  varStride: number;
  /** Arrays: cells between one location's array and the next's (absent: blocks). */
  span?: number;
  /** Cells between an instance and the next one. */
  instanceStride: number;
  /** First cell of instance 0. */
  dataBase: number;
  /** The per-instance start flags (one cell per instance, packed): see litmus/instance-sync.ts. */
  flagBase: number;
  /** One line for the start synchronisation's clock (timebase: each batch's start time). */
  clockBase: number;
  /** Per thread: first cell of its register outputs, and cells per instance. */
  outBase: number[];
  outStride: number[];
  /**
   * Per thread, a line: where it is (the batch, then 2 × (instance + 1), + 1 while it waits for
   * a lock or a grace period), so that a waiting thread can tell a wait that can never end
   * (runtime/litmus/waits.ts).
   */
  progressBase: number;
  /** Total cells: the SharedArrayBuffer has cells × CELL_BYTES bytes. */
  cells: number;
}

const roundToLine = (cells: number): number => Math.ceil(cells / LINE_CELLS) * LINE_CELLS;

export function computeLayout(req: LayoutRequest): Layout {
  const knobs = req.layout ?? (req.packed ? PACKED_LAYOUT : LINES_LAYOUT);
  const width = req.width ?? 2;
  const v = req.variables;
  const problem = layoutProblem(knobs, width);
  if (problem) throw new UserError(problem);
  const stride = knobs.stride || Math.max(1, v) * knobs.pad;
  const blocks = !asArrays(knobs, v, width);
  // Arrays start on a line of their own, pad cells after the line where the previous one ends.
  const span = blocks ? knobs.pad : roundToLine((req.size - 1) * stride + width) + knobs.pad;
  const slot = (loc: number) => (knobs.order === 'reversed' ? v - 1 - loc : loc);
  const offsets = Array.from({ length: v }, (_, loc) => slot(loc) * span);
  const dataBase = CONTROL_CELLS;
  const dataCells = v === 0 ? 0 : (req.size - 1) * stride + (v - 1) * span + width;
  const flagBase = dataBase + roundToLine(dataCells);
  const clockBase = flagBase + roundToLine(req.size);
  let next = clockBase + LINE_CELLS;
  const outBase: number[] = [];
  const outStride: number[] = [];
  for (const n of req.observedRegisters) {
    outBase.push(next);
    outStride.push(n);
    next += roundToLine(req.size * n);
  }
  const progressBase = next;
  next += req.observedRegisters.length * LINE_CELLS;
  return {
    size: req.size,
    variables: v,
    offsets,
    width,
    varStride: blocks ? knobs.pad : 0,
    ...(!blocks && { span }),
    instanceStride: stride,
    dataBase,
    flagBase,
    clockBase,
    outBase,
    outStride,
    progressBase,
    cells: next,
  };
}

/** Why the knobs cannot leave each location its `width` cells (naming the flag), or undefined. */
export function layoutProblem(knobs: LayoutKnobs, width: number): string | undefined {
  const lock = width > 1 ? ' (the test has a spinlock: a lock word and a queued count)' : '';
  for (const [flag, n, least] of [
    ['--pad', knobs.pad, width],
    ['--stride', knobs.stride, 0],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < least)
      return `${flag} ${n}: at least ${least} cell${least === 1 ? '' : 's'}${least > 1 ? lock : ''}`;
  }
  if (knobs.stride !== 0 && knobs.stride < width)
    return `--stride ${knobs.stride}: 0 (blocks) or at least ${width} cells${lock}`;
  return undefined;
}

/** Whether the knobs give each of `variables` locations an array of its own (the stride cannot hold an instance). */
export function asArrays(knobs: LayoutKnobs, variables: number, width: number): boolean {
  return knobs.stride !== 0 && knobs.stride < (variables - 1) * knobs.pad + width;
}

/** The cell of `variable` (its index in Test.locations) in `instance`. */
export function cellOf(layout: Layout, instance: number, variable: number): number {
  return layout.dataBase + instance * layout.instanceStride + layout.offsets[variable]!;
}

/** The cell where `thread` leaves its `j`-th observed register for `instance`. */
export function outCellOf(layout: Layout, thread: number, instance: number, j: number): number {
  return layout.outBase[thread]! + instance * layout.outStride[thread]! + j;
}

/**
 * One packed instance of a litmus test, for the drivers that run its compiled threads in this
 * thread (weak's interleaver, the explorer): the layout, and each location's cell offset.
 */
export function oneInstance(test: Test): { layout: Layout; offsets: number[] } {
  const layout = computeLayout({
    size: 1,
    variables: test.locations.length,
    observedRegisters: test.threads.map((t) => observedRegisters(test, t.id).length),
    packed: true,
  });
  return { layout, offsets: layout.offsets };
}
