// Every shared buffer the CPUs use, addressed by name: this module is the one owner of where
// things are in shared memory, for both runners.
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
// A program scenario has three buffers (the second half of this module): control (the same
// control lines, then a sleep cell and one block per thread), stats (Float64: what each thread
// counted) and memory (the control lines, then the scenario's variables: src/kernel/memory.ts
// lays those out from MEMORY_BASE). This module computes indices; it does not touch memory.

import { MAX_RESULTS, type MetricKind, type Scenario } from '../kernel/scenario.ts';
import { HISTOGRAM_WORDS } from './scenario/histogram.ts';

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

/** Cells per variable when packed: a spinlock is two cells (lock word, queued count: kernel/ops.ts). */
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

// ---- A program scenario's control and stats buffers (its memory: src/kernel/memory.ts).

/** A cell that always holds 0: cpu.sleep() is Atomics.wait on it with a timeout. */
export const SLEEP_CELL = CONTROL_CELLS;
const THREAD_BASE = CONTROL_CELLS + LINE_CELLS;
/** Characters of a progress note kept (longer notes are cut). */
export const NOTE_CHARS = 96;

// Offsets inside a thread block.
/** Bumped by cpu.progress() and by the runner after each batch. */
export const HEARTBEAT = 0;
/** What the thread is doing: PHASE_BODY or PHASE_BARRIER. */
export const PHASE = 1;
/** 1 once the thread has finished its work (it may still wait at the end barrier). */
export const DONE = 2;
/** The progress note's shared slot number, handed between thread and watchdog (scenario/notes.ts). */
export const NOTE_SWAP = 3;
/** Offsets inside a note slot: the note's length, then its characters. */
export const NOTE_LENGTH = 0;
export const NOTE_TEXT = 1;
const NOTE_SLOT_CELLS = Math.ceil((NOTE_TEXT + NOTE_CHARS) / LINE_CELLS) * LINE_CELLS;
/** Note slot s (0–2) of a thread block: its own lines, after the block's first. */
export function noteSlot(s: number): number {
  return LINE_CELLS + s * NOTE_SLOT_CELLS;
}
/** Int32 cells per thread block: heartbeat, phase, done and the swap cell, then three note slots. */
const THREAD_CELLS = noteSlot(3);

export const PHASE_BODY = 0;
export const PHASE_BARRIER = 1;

/** Where one variant's counts live; plain numbers, so it crosses to the workers as data. */
export interface StatsLayout {
  threads: number;
  outcomes: number;
  counters: number;
  latencies: number;
  /** Float64 words per thread block. */
  threadWords: number;
  /** Offsets inside a thread block. */
  outcomeAt: number;
  counterAt: number;
  latencyAt: number;
  /** Word holding the number of iterations run (written by CPU 0). */
  iterationsAt: number;
  /** First word of the results: [copy][thread][MAX_RESULTS + 1] (the first word is the length). */
  resultsAt: number;
  batch: number;
  controlBytes: number;
  statsBytes: number;
}

export function threadBlock(thread: number): number {
  return THREAD_BASE + thread * THREAD_CELLS;
}

/** The scenario's metrics of one kind, in declaration order: metric i of a kind is slot i of its block. */
export function metricNames(s: Scenario, kind: MetricKind): string[] {
  return s.metrics.filter((m) => m.kind === kind).map((m) => m.name);
}

export function statsLayout(s: Scenario, batch: number): StatsLayout {
  const threads = s.threads.length;
  const counters = metricNames(s, 'counter').length;
  const latencies = metricNames(s, 'latency').length;
  const outcomes = s.outcomes.length;
  const threadWords = outcomes + counters + latencies * HISTOGRAM_WORDS;
  const iterationsAt = threads * threadWords;
  const resultsAt = iterationsAt + 1;
  const resultWords = batch * threads * (MAX_RESULTS + 1);
  return {
    threads,
    outcomes,
    counters,
    latencies,
    threadWords,
    outcomeAt: 0,
    counterAt: outcomes,
    latencyAt: outcomes + counters,
    iterationsAt,
    resultsAt,
    batch,
    controlBytes: 4 * (THREAD_BASE + threads * THREAD_CELLS),
    statsBytes: 8 * (resultsAt + resultWords),
  };
}

/** First word of thread t's results for memory copy k. */
export function resultSlot(l: StatsLayout, k: number, t: number): number {
  return l.resultsAt + (k * l.threads + t) * (MAX_RESULTS + 1);
}
