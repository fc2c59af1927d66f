// What a run of a program scenario produced: plain data (no Maps, no BigInts), so that the CLI
// can JSON.stringify it to results/<name>/<timestamp>.json and the report can print it.
// This module only declares the shape and derives the failures from it.

import { type Grade, STALL_OUTCOME, type StallGrade } from '../../kernel/scenario.ts';
import type { HostInfo } from '../host.ts';
import type { LatencySummary } from './histogram.ts';

export type { LatencySummary } from './histogram.ts';

export interface OutcomeCount {
  outcome: string;
  count: number;
  /** The outcome's grade in this variant (the stall row carries the variant's stall grade). */
  grade: Grade | StallGrade;
}

export interface CounterValue {
  name: string;
  value: number;
}

/** One thread as the watchdog last saw it. */
export interface ThreadProgress {
  thread: string;
  /** Heartbeats (cpu.progress() calls and finished batches). */
  heartbeats: number;
  /** Its last progress note ('' if it never gave one). */
  lastNote: string;
  /** Seconds since its heartbeat last moved. */
  silentSeconds: number;
  /** 'body': running scenario code; 'barrier': waiting for the other threads; 'done'. */
  state: 'body' | 'barrier' | 'done';
}

/** Why the watchdog stopped a variant, and who it blames. */
export interface StallReport {
  /** 'no progress': no heartbeat for the stall window; 'did not stop': still running past the budget. */
  reason: 'no progress' | 'did not stop';
  /** The thread blamed: the first silent one running scenario code (not one waiting for it). */
  thread: string;
  lastNote: string;
  silentSeconds: number;
  /** Every thread, for the full picture. */
  threads: ThreadProgress[];
}

export const STOPPED_BY = ['time', 'iterations', 'done', 'stall', 'signal', 'error'] as const;
export type StoppedBy = (typeof STOPPED_BY)[number];

export interface VariantResult {
  variant: string;
  description: string;
  /** Seconds from the moment every thread had started to the last one finishing or being stopped. */
  elapsedSeconds: number;
  /** 'iterations' kind: races run (each classified by the arbiter). */
  iterations: number | undefined;
  /**
   * 'iterations' kind with several threads: races in which every thread was inside its body
   * at once (overlap.ts's estimate). A 0 outcome means little where this is 0.
   */
  overlapped?: number;
  stoppedBy: StoppedBy;
  /** Every declared outcome (zeros included), in declaration order, then the stall row if any. */
  outcomes: OutcomeCount[];
  counters: CounterValue[];
  latencies: LatencySummary[];
  stall: StallReport | undefined;
  /** How this variant grades a stall ('expected': its absence is a failure). */
  stallGrade: StallGrade;
  /** A thread's error (a bug in the scenario or in the lab), if one failed. */
  error: string | undefined;
}

export const FAILURE_KINDS = ['forbidden', 'stall', 'missing-stall', 'error'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  variant: string;
  kind: FailureKind;
  message: string;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  file: string;
  /** First 16 hex digits of the SHA-256 of the scenario's file: which code produced these figures. */
  hash: string;
  refs: string[];
  kind: string;
  /** ISO time the run started. */
  date: string;
  /** The backend that ran it (src/backends/registry.ts). */
  backend: string;
  /** The CPUs' memory object (src/memory/kinds.ts). */
  memory: string;
  seed: number;
  host: HostInfo;
  options: {
    variants: string[];
    timeSeconds: number;
    stallSeconds: number;
    iterations: number | undefined;
  };
  threads: string[];
  variants: VariantResult[];
  failures: Failure[];
  notes: string[];
}

/** The failures one variant's result shows: forbidden outcomes seen, a stall not allowed or missing, an error. */
export function failuresOf(v: VariantResult): Failure[] {
  const out: Failure[] = [];
  const fail = (kind: FailureKind, message: string) =>
    out.push({ variant: v.variant, kind, message: `${v.variant}: ${message}` });
  for (const o of v.outcomes) {
    if (o.grade !== 'forbidden' || o.count === 0 || o.outcome === STALL_OUTCOME) continue;
    fail(
      'forbidden',
      `"${o.outcome}" is forbidden in this variant but was seen ${o.count} time${o.count === 1 ? '' : 's'}`,
    );
  }
  if (v.stall && v.stallGrade === 'forbidden')
    fail(
      'stall',
      `stalled (${v.stall.reason}): thread ${v.stall.thread}, silent ${v.stall.silentSeconds.toFixed(1)} s, last progress "${v.stall.lastNote}"`,
    );
  if (!v.stall && v.stallGrade === 'expected' && v.error === undefined)
    fail(
      'missing-stall',
      'a stall (deadlock or livelock) was expected but every thread kept making progress',
    );
  if (v.error !== undefined) fail('error', v.error);
  return out;
}
