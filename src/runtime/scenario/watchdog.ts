// The watchdog of a program scenario: the main thread polls each thread's heartbeat, phase and
// done flag (buffers.ts) and decides when a variant has stalled:
//   no progress — a thread running scenario code (not one waiting at a barrier for the others,
//                 not one that has finished) has not beaten for the stall window: a deadlock,
//                 a livelock (it spins but never calls cpu.progress()), or a lost wake-up;
//   did not stop — the budget is spent and a thread is still running scenario code a stall
//                 window later (it never looks at kthread_should_stop()).
// It blames the thread silent longest and keeps every thread's state for the report.
// It only reads shared memory; stopping the workers is scenario/run.ts's job.

import { DONE, HEARTBEAT, PHASE, PHASE_BARRIER, threadBlock } from './buffers.ts';
import { NoteReader } from './notes.ts';
import type { StallReport, ThreadProgress } from './result.ts';

export class Watchdog {
  private readonly beats: number[];
  private readonly changedAt: number[];
  private readonly notes: NoteReader[];

  /** `start` is when every thread had started (ms, performance.now()). */
  constructor(
    private readonly control: Int32Array,
    private readonly threads: readonly string[],
    private readonly stallMs: number,
    start: number,
  ) {
    this.beats = threads.map(() => 0);
    this.changedAt = threads.map(() => start);
    this.notes = threads.map((_, t) => new NoteReader(control, t));
  }

  /** Look at every thread now; a report if the variant has stalled. `stopAt`: when stop was requested. */
  check(now: number, stopAt: number | undefined): StallReport | undefined {
    const threads = this.snapshot(now);
    const running = threads
      .filter((t) => t.state === 'body')
      .sort((a, b) => b.silentSeconds - a.silentSeconds);
    const silent = running.find((t) => t.silentSeconds * 1000 > this.stallMs);
    if (silent) return this.report('no progress', silent, threads);
    if (stopAt !== undefined && now - stopAt > this.stallMs && running.length > 0)
      return this.report('did not stop', running[0]!, threads);
    return undefined;
  }

  /** Every thread's state now; notes when each heartbeat last moved. */
  private snapshot(now: number): ThreadProgress[] {
    return this.threads.map((thread, t) => {
      const at = threadBlock(t);
      const beats = Atomics.load(this.control, at + HEARTBEAT);
      if (beats !== this.beats[t]) {
        this.beats[t] = beats;
        this.changedAt[t] = now;
      }
      const state =
        Atomics.load(this.control, at + DONE) !== 0
          ? 'done'
          : Atomics.load(this.control, at + PHASE) === PHASE_BARRIER
            ? 'barrier'
            : 'body';
      return {
        thread,
        heartbeats: beats,
        lastNote: this.notes[t]!.read(),
        silentSeconds: (now - this.changedAt[t]!) / 1000,
        state,
      };
    });
  }

  private report(
    reason: StallReport['reason'],
    blamed: ThreadProgress,
    threads: ThreadProgress[],
  ): StallReport {
    return {
      reason,
      thread: blamed.thread,
      lastNote: blamed.lastNote,
      silentSeconds: blamed.silentSeconds,
      threads,
    };
  }
}
