// Where things are in shared memory, addressed by name: the control lines every buffer starts
// with, and a litmus run's buffer.
//
// Every buffer a memory object works on starts with the same control lines (below), so that
// FENCE_CELL is one cell in every buffer. A litmus run's SharedArrayBuffer, viewed as an
// Int32Array, holds four regions:
//   control — the start barrier, the abort and stop flags, the fence cell, progress: each on its
//             own 64-byte line so that spinning on one does not steal the line of another;
//   data    — `size` instances of the test's locations: by default every variable of every
//             instance on its own line (a fresh, uncontended line per access, as litmus7 and
//             jcstress do); `packed` puts the variables of one instance side by side;
//   flags   — one start flag per instance (litmus7's userfence: the threads meet at every instance);
//   out     — per thread, the observed registers of each instance, written by that thread only.
// A program scenario has three buffers: control and stats (src/runtime/scenario/buffers.ts) and
// memory (the control lines, then the scenario's variables: src/memory/cells.ts lays those out
// from MEMORY_BASE). This module computes indices; it does not touch memory.

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
/** The control lines at the start of every buffer. */
export const CONTROL_CELLS = 8 * LINE_CELLS;
/** Where a scenario's variables start in its memory buffer (after the control lines). */
export const MEMORY_BASE = CONTROL_CELLS;

// ---- A litmus run's buffer.

export interface LayoutRequest {
  /** Instances per batch. */
  size: number;
  /** Number of shared locations of the test (variables of one instance). */
  variables: number;
  /** For each thread, how many of its registers are observed in the final state. */
  observedRegisters: readonly number[];
  /** Variables of one instance share lines (default: one line each). */
  packed: boolean;
}

/** Where everything is, in cells; plain numbers so that it crosses to the workers as data. */
export interface Layout {
  size: number;
  variables: number;
  /** Cells between a variable and the next one of the same instance. */
  varStride: number;
  /** Cells between an instance and the next one. */
  instanceStride: number;
  /** First cell of instance 0. */
  dataBase: number;
  /** The per-instance start flags (one cell per instance, packed): see litmus/instance-sync.ts. */
  flagBase: number;
  /** Per thread: first cell of its register outputs, and cells per instance. */
  outBase: number[];
  outStride: number[];
  /** Total cells: the SharedArrayBuffer has cells × CELL_BYTES bytes. */
  cells: number;
}

/** Cells per variable when packed: a spinlock is two cells (lock word, queued count: memory/ops.ts). */
const PACKED_CELLS = 2;

const roundToLine = (cells: number): number => Math.ceil(cells / LINE_CELLS) * LINE_CELLS;

export function computeLayout(req: LayoutRequest): Layout {
  const varStride = req.packed ? PACKED_CELLS : LINE_CELLS;
  const instanceStride = req.variables * varStride;
  const dataBase = CONTROL_CELLS;
  const flagBase = dataBase + roundToLine(req.size * instanceStride);
  let next = flagBase + roundToLine(req.size);
  const outBase: number[] = [];
  const outStride: number[] = [];
  for (const n of req.observedRegisters) {
    outBase.push(next);
    outStride.push(n);
    next += roundToLine(req.size * n);
  }
  return {
    size: req.size,
    variables: req.variables,
    varStride,
    instanceStride,
    dataBase,
    flagBase,
    outBase,
    outStride,
    cells: next,
  };
}

/** The cell of `variable` (its index in Test.locations) in `instance`. */
export function cellOf(layout: Layout, instance: number, variable: number): number {
  return layout.dataBase + instance * layout.instanceStride + variable * layout.varStride;
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
  return { layout, offsets: test.locations.map((_, v) => v * layout.varStride) };
}
