// The main thread's watch over one running variant: it waits for every worker to start, then
// on each poll reports progress, asks the threads to stop when the budget is spent or the
// signal fires, and runs the watchdog; a stall, a thread's own failure or workers that never
// start make it abort every task (piscina then terminates those workers). It never blocks.

import { Aborted } from '../../memory/faults.ts';
import { STARTED_CELL, STOP_CELL } from '../../memory/layout.ts';
import { abortAll } from '../barrier.ts';
import { START_TIMEOUT_MS } from '../pool/cpu-host.ts';
import type { StallReport, StoppedBy } from './result.ts';
import { Watchdog } from './watchdog.ts';

export interface WatchOptions {
  threads: readonly string[];
  timeSeconds: number;
  stallSeconds: number;
  /** 'iterations' kind: the cap, for progress. */
  iterations: number | undefined;
  /** Iterations run so far (read from the stats buffer). */
  iterationsDone: () => number;
  /** Whether the run has made the progress it was asked for (RunOptions.until): it then ends. */
  enough?: (() => boolean) | undefined;
  /** Past timeSeconds, go on until `enough` (the threads met often enough) or maxSeconds. */
  growUntil?: { enough: () => boolean; maxSeconds: number } | undefined;
  /** How a run that nobody stopped ends: 'iterations' or 'done'. */
  naturalEnd: StoppedBy;
  variant: string;
  signal?: AbortSignal;
  onProgress?: (variant: string, fraction: number) => void;
}

export class VariantWatch {
  readonly aborts: AbortController[];
  private readonly created = performance.now();
  private started: number | undefined;
  private stopAt: number | undefined;
  private watchdog: Watchdog | undefined;
  stoppedBy: StoppedBy;
  stall: StallReport | undefined;
  error: string | undefined;
  private errorIsSecondHand = false;

  constructor(
    private readonly control: Int32Array,
    private readonly o: WatchOptions,
  ) {
    this.aborts = o.threads.map(() => new AbortController());
    this.stoppedBy = o.naturalEnd;
  }

  /** Seconds since every thread had started (0 if they never all did). */
  elapsedSeconds(): number {
    return this.started === undefined ? 0 : (performance.now() - this.started) / 1000;
  }

  /**
   * Thread i's task was rejected: unless we aborted it, record why and stop everyone. A thread
   * that gave up at a barrier because another failed (Aborted) can report before the failing
   * thread does: that second-hand error only asks the threads to stop (aborting the tasks now
   * would turn the failing thread's own report into an AbortError), and the first-hand error,
   * when it comes, replaces it.
   */
  threadFailed(i: number, e: unknown): void {
    if (this.stall || (e instanceof Error && e.name === 'AbortError')) return;
    const message = `${this.o.threads[i]}: ${e instanceof Error ? e.message : String(e)}`;
    const secondHand = e instanceof Error && e.message === new Aborted().message;
    if (this.error === undefined || (this.errorIsSecondHand && !secondHand)) {
      this.error = message;
      this.errorIsSecondHand = secondHand;
    }
    this.requestStop('error');
    this.stoppedBy = 'error';
    if (!secondHand) this.killAll();
  }

  poll(): void {
    const now = performance.now();
    if (this.started === undefined && !this.allStarted(now)) return;
    const elapsed = (now - this.started!) / 1000;
    const byCount = this.o.iterations ? this.o.iterationsDone() / this.o.iterations : 0;
    this.o.onProgress?.(this.o.variant, Math.min(1, Math.max(byCount, elapsed / this.timeUp())));
    if (this.o.signal?.aborted) this.requestStop('signal');
    if (elapsed >= this.timeUp()) this.requestStop('time');
    if (this.o.enough?.()) this.requestStop(this.o.naturalEnd);
    const report = this.stall ? undefined : this.watchdog!.check(now, this.stopAt);
    if (report) {
      this.stall = report;
      this.stoppedBy = 'stall';
      this.killAll();
    }
  }

  /** The budget: timeSeconds, or while growUntil is not met, up to its maxSeconds. */
  private timeUp(): number {
    const g = this.o.growUntil;
    return g && !g.enough() ? g.maxSeconds : this.o.timeSeconds;
  }

  private allStarted(now: number): boolean {
    const started = Atomics.load(this.control, STARTED_CELL);
    if (started === this.o.threads.length) {
      this.started = now;
      this.watchdog = new Watchdog(this.control, this.o.threads, this.o.stallSeconds * 1000, now);
      return true;
    }
    if (now - this.created > START_TIMEOUT_MS && this.error === undefined) {
      this.error = `only ${started} of ${this.o.threads.length} workers started in ${START_TIMEOUT_MS / 1000} s`;
      this.stoppedBy = 'error';
      this.killAll();
    }
    return false;
  }

  /** Ask the threads to finish: kthread_should_stop() turns true, the batch loop ends. */
  private requestStop(why: StoppedBy): void {
    if (this.stopAt !== undefined) return;
    this.stopAt = performance.now();
    this.stoppedBy = why;
    Atomics.store(this.control, STOP_CELL, 1);
  }

  /** Abort every task: barrier waits throw, piscina terminates the workers. */
  private killAll(): void {
    abortAll(this.control);
    for (const a of this.aborts) a.abort();
  }
}
