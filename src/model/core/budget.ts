// The limits of one model run: a deadline, and a stop flag (Ctrl-C, or the worker pool asking
// its workers to stop), both looked at from the enumeration's inner loops and from inside
// large relation operations (relation.ts's poll), so that a run stops soon after either —
// never a hang. The Progress it carries says how far the run got when it stopped.

import { getHeapStatistics } from 'node:v8';
import { UserError } from '../../errors.ts';
import { setPoll } from './relation.ts';
import type { Verdict } from './verdict.ts';

/** How long checkModel may run on one test unless told otherwise (the CLI's --model-timeout). */
export const DEFAULT_MODEL_TIMEOUT_MS = 10_000;

/** Steps between two looks at the clock and the stop flag (the first step looks too). */
const TICKS_PER_CHECK = 16;

/** Looks at the clock between two looks at the heap (getHeapStatistics costs a few µs). */
const CHECKS_PER_HEAP_LOOK = 64;

/**
 * The share of its heap a run may fill (FULL_LOOKS looks running) before it stops as given up: a search that keeps
 * growing (the explorer's visited states) would otherwise end its worker or process with an
 * out-of-memory crash that loses everything it collected.
 */
const HEAP_SHARE = 0.75;

/**
 * Looks in a row that must find the heap that full: garbage not yet collected counts as used
 * until V8's next full collection. The share leaves room for one doubling of the search's
 * largest tables: at 90%, four looks, mmu-lock-yield's sc search still ran out of memory in a
 * worker that had explored another variant first.
 */
const FULL_LOOKS = 2;

/** Anything with an `aborted` flag: an AbortSignal, or a flag a worker reads (flagOf). */
export interface StopFlag {
  readonly aborted: boolean;
}

/** How far an enumeration got. */
export interface Progress {
  /** Candidate executions examined. */
  candidates: number;
  /** Combinations of thread traces in all, and those done or skipped as a whole. */
  combinations: number;
  combinationsDone: number;
  /** Prefixes of threads abandoned because they already break an axiom (prefix.ts). */
  pruned?: number;
}

export function newProgress(): Progress {
  return { candidates: 0, combinations: 0, combinationsDone: 0 };
}

/** All candidates, estimated from the share of trace combinations done; undefined before any. */
export function estimatedCandidates(p: Progress): number | undefined {
  if (p.combinationsDone === 0 || p.combinations === 0) return undefined;
  if (p.combinationsDone >= p.combinations) return p.candidates;
  return Math.round((p.candidates * p.combinations) / p.combinationsDone);
}

/** "1,234 executions checked of about 56,789, 2% of the trace combinations done", or without the estimate before there is one. */
export function progressText(p: Progress): string {
  const share = p.combinations > 0 ? Math.floor((100 * p.combinationsDone) / p.combinations) : 0;
  if (p.candidates === 0)
    return `no candidate execution checked yet, ${share}% of the trace combinations done`;
  const checked = `${count(p.candidates)} executions checked`;
  const total = estimatedCandidates(p);
  if (total === undefined || p.combinations === 0) return checked;
  return `${checked} of about ${count(total)}, ${share}% of the trace combinations done`;
}

// The model sits below report/ (DESIGN's direction of dependency), so it words its own figures.
const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** Why a model run stopped before its answer: its time budget, or a stop asked from outside. */
export type StopReason = 'budget' | 'interrupted';

/**
 * A model run that stopped early. A UserError (the test is too big for the budget, or the
 * user stopped it), with the progress it had made.
 */
export class ModelStopped extends UserError {
  /** The accepted executions met before the stop (checkModel attaches them). */
  partial?: Verdict;
  /** Set when the heap, not the clock, ended the budget: how full it was. */
  heapFull?: { usedMb: number; limitMb: number };

  constructor(
    readonly reason: StopReason,
    readonly progress: Progress,
    readonly elapsedMs: number,
    what: string,
    timeoutMs: number,
  ) {
    super(
      reason === 'budget'
        ? `${what}: the model gave up after ${seconds(elapsedMs)} (--model-timeout ${seconds(timeoutMs)}): ${progressText(progress)}`
        : `${what}: the model was interrupted after ${seconds(elapsedMs)}: ${progressText(progress)}`,
    );
  }
}

export interface BudgetOptions {
  timeoutMs: number;
  /** What is being checked, for the message ("SB under lkmm"). */
  what: string;
  /** Stops the run when it becomes aborted. */
  signal?: StopFlag;
  /**
   * Also stop (as 'budget') once this process has used this much CPU time since the start:
   * a try whose length should not depend on how busy the machine is (parallel.ts's quick try).
   */
  cpuMs?: number;
  /** The share of the heap that stops the run (HEAP_SHARE unless a test asks for another). */
  heapShare?: number;
}

/** CPU time of this process (every thread), in ms. */
const cpuNow = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};

export class Budget {
  private ticks = 0;
  private readonly start = performance.now();
  private readonly deadline: number;
  private readonly cpuDeadline: number;
  private checks = 0;
  private fullLooks = 0;
  /** Set when the heap, not the clock, stopped the run (the message says so). */
  private heapFull: { usedMb: number; limitMb: number } | undefined;
  readonly progress = newProgress();

  constructor(private readonly opts: BudgetOptions) {
    this.deadline = this.start + opts.timeoutMs;
    this.cpuDeadline = opts.cpuMs === undefined ? Number.POSITIVE_INFINITY : cpuNow() + opts.cpuMs;
  }

  /** Count one step; every few steps, throws ModelStopped once the deadline passed or the flag is up. */
  tick = (): void => {
    if (++this.ticks % TICKS_PER_CHECK === 1) this.check();
  };

  /** Look now. */
  check = (): void => {
    if (this.opts.signal?.aborted) this.stop('interrupted');
    if (performance.now() >= this.deadline) this.stop('budget');
    if (this.cpuDeadline !== Number.POSITIVE_INFINITY && cpuNow() >= this.cpuDeadline)
      this.stop('budget');
    if (++this.checks % CHECKS_PER_HEAP_LOOK === 0) this.checkHeap();
  };

  private checkHeap(): void {
    const h = getHeapStatistics();
    if (h.used_heap_size < (this.opts.heapShare ?? HEAP_SHARE) * h.heap_size_limit) {
      this.fullLooks = 0;
      return;
    }
    if (++this.fullLooks < FULL_LOOKS) return;
    const mb = (n: number) => Math.round(n / 2 ** 20);
    this.heapFull = { usedMb: mb(h.used_heap_size), limitMb: mb(h.heap_size_limit) };
    this.stop('budget');
  }

  private stop(reason: StopReason): never {
    const stopped = new ModelStopped(
      reason,
      { ...this.progress },
      performance.now() - this.start,
      this.heapFull
        ? `${this.opts.what} (its heap nearly full: ${this.heapFull.usedMb} of ${this.heapFull.limitMb} MB)`
        : this.opts.what,
      this.opts.timeoutMs,
    );
    if (this.heapFull) stopped.heapFull = this.heapFull;
    throw stopped;
  }

  /** Run body with large relation operations polling this budget (relation.ts's setPoll). */
  guard<T>(body: () => T): T {
    const previous = setPoll(this.check);
    try {
      return body();
    } finally {
      setPoll(previous);
    }
  }
}

/** A stop flag read from shared memory: word 0 non-zero means stop (set with Atomics.store). */
export function flagOf(words: Int32Array): StopFlag {
  return {
    get aborted() {
      return Atomics.load(words, 0) !== 0;
    },
  };
}
