// A program scenario's control and stats buffers, addressed by name (its memory buffer is laid
// out by src/memory/cells.ts after the control lines of src/memory/layout.ts): the control
// buffer holds the control lines, a sleep cell and one block per thread (heartbeat, phase,
// progress notes); the stats buffer (Float64) holds what each thread counted and the numbers
// each thread returned per memory copy. This module computes indices; it does not touch memory.

import { MAX_RESULTS, type MetricKind, type Scenario } from '../../kernel/scenario.ts';
import { CONTROL_CELLS, LINE_CELLS } from '../../memory/layout.ts';
import { HISTOGRAM_WORDS } from './histogram.ts';

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
  /** Word holding how many of them the threads overlapped in (written by CPU 0: overlap.ts). */
  overlapAt: number;
  /** Each thread's [start, end] of its current batch, 2 words per thread (overlap.ts's clock). */
  timesAt: number;
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
  const overlapAt = iterationsAt + 1;
  const timesAt = overlapAt + 1;
  const resultsAt = timesAt + 2 * threads;
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
    overlapAt,
    timesAt,
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
