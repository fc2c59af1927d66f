// The runner's shared memory for one variant of a program scenario, addressed by name.
//
// Three SharedArrayBuffers:
//   control (Int32Array) — lines 0..7 as the hw backend's (src/runtime/layout.ts: the start
//             barrier, abort, stop, decision, started), so StartBarrier serves both; then the
//             sleep cell and one block per thread: heartbeat, phase, done, last progress note;
//   stats   (Float64Array) — per thread, written by that thread only: outcome counts, counters,
//             latency histograms; then the iteration count and the results each thread returned
//             for each memory copy of a batch (read by CPU 0's arbiter after the end barrier);
//   memory  — the scenario's variables (src/kernel/memory.ts lays it out).
// Keeping counts in shared memory means the main thread can still read what a thread that was
// stopped by the watchdog had recorded. This module computes indices; it does not touch memory.

import { MAX_RESULTS, type MetricKind, type Scenario } from '../kernel/scenario.ts';
import { LINE_CELLS } from './layout.ts';
import { HISTOGRAM_WORDS } from './scenario-histogram.ts';

export { STARTED_CELL, STOP_CELL } from './layout.ts';

/** A cell that always holds 0: cpu.sleep() is Atomics.wait on it with a timeout. */
export const SLEEP_CELL = 8 * LINE_CELLS;
const THREAD_BASE = 9 * LINE_CELLS;
/** Characters of a progress note kept (longer notes are cut). */
export const NOTE_CHARS = 96;
/** Int32 cells per thread block (heartbeat, phase, done, note length, note). */
const THREAD_CELLS = 8 * LINE_CELLS;

// Offsets inside a thread block.
/** Bumped by cpu.progress() and by the runner after each batch. */
export const HEARTBEAT = 0;
/** What the thread is doing: PHASE_BODY or PHASE_BARRIER. */
export const PHASE = 1;
/** 1 once the thread has finished its work (it may still wait at the end barrier). */
export const DONE = 2;
export const NOTE_LENGTH = 3;
/** A seqcount over the note: odd while the thread rewrites it, so the main thread reads it whole. */
export const NOTE_SEQ = 4;
export const NOTE = LINE_CELLS;

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

/** How often readNote() retries a note being rewritten before it takes what it read. */
const NOTE_READ_TRIES = 1000;

/** Thread t's side: replace its progress note (seqcount write side). */
export function writeNote(control: Int32Array, t: number, note: string): void {
  const at = threadBlock(t);
  const seq = Atomics.load(control, at + NOTE_SEQ);
  Atomics.store(control, at + NOTE_SEQ, seq + 1);
  const n = Math.min(NOTE_CHARS, note.length);
  for (let c = 0; c < n; c++) control[at + NOTE + c] = note.charCodeAt(c);
  Atomics.store(control, at + NOTE_LENGTH, n);
  Atomics.store(control, at + NOTE_SEQ, seq + 2);
}

/**
 * The last progress note of thread t, as the main thread reads it (seqcount read side: retry
 * while the thread is rewriting it). A thread terminated mid-write leaves the count odd; after
 * NOTE_READ_TRIES the note is returned as read, marked.
 */
export function readNote(control: Int32Array, t: number): string {
  const at = threadBlock(t);
  let s = '';
  for (let tries = 0; tries < NOTE_READ_TRIES; tries++) {
    const seq = Atomics.load(control, at + NOTE_SEQ);
    const n = Math.min(NOTE_CHARS, Atomics.load(control, at + NOTE_LENGTH));
    s = '';
    for (let c = 0; c < n; c++) s += String.fromCharCode(Atomics.load(control, at + NOTE + c));
    if ((seq & 1) === 0 && Atomics.load(control, at + NOTE_SEQ) === seq) return s;
  }
  return `${s} (torn: its thread stopped while writing it)`;
}
