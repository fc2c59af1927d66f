// Waits that can never end, in a litmus run on real threads: a spin_lock() whose lock the test
// never releases on some path, an ABBA pair of locks taken in opposite orders, a grace period
// a reader never lets end. Such an instance is stuck: the waiting thread gives it up and goes
// on with the next (litmus-ops.ts), and the runner counts it as a stuck instance instead of
// ending the run — unless every instance got stuck (batch.ts, run.ts).
//
// How a thread knows: each thread publishes where it is (its progress line, Layout.progressBase:
// the batch, then 2 × (instance + 1), plus 1 while it waits). A lock or an srcu_struct belongs
// to one instance, so a wait for one can only be ended by a thread still inside that instance
// and not waiting itself; when every other thread has passed the instance or waits in it, the
// wait can never end. An RCU grace period can be held by a reader of any instance (reader words
// are per CPU), so that proof does not apply to it; nor to anything else, after
// LOCK_TIMEOUT_MS of waiting: that is reported as a deadlock of the run (SiteError), as before.
// Runs in the workers; it does not know the memory object.

import { Aborted, Stuck } from '../../memory/faults.ts';
import { LINE_CELLS } from '../../memory/layout.ts';
import { LOCK_TIMEOUT_MS, LockTimeout, type WaitWatch } from '../../memory/litmus-ops.ts';
import type { WaitKind } from '../../memory/ops.ts';

/** Spin passes between looks at the abort flag, the other threads' progress and the clock. */
const CHECK_EVERY = 0x400;

/** Offsets in a progress line: the batch number, then 2 × (instance + 1) + waiting. */
const BATCH = 0;
const WHERE = 1;
/** Bit of an instance's start flag (instance-sync.ts) set when a thread gave the instance up. */
export const STUCK_FLAG = 2;

export interface WaitsConfig {
  m: Int32Array;
  thread: number;
  threads: number;
  progressBase: number;
  flagBase: number;
  abortCell: number;
}

/** One thread's side: its progress, its waits, the instances it gave up. */
export class InstanceWaits implements WaitWatch {
  private batch = 0;
  private k = 0;
  private waiting = false;
  private since = 0;
  /**
   * The last look found that no other thread can end this wait; it is given up only if the
   * wait's condition, tried once more after that look, failed again (a thread may release the
   * lock and move on between the failed try and the look).
   */
  private suspect = false;
  /** Instances this thread gave up, and the site of the first (for a run where all got stuck). */
  stuck = 0;
  firstStuckSite = -1;
  /** This thread's own progress cells: enter() writes one per instance, so found once. */
  private readonly batchCell: number;
  private readonly whereCell: number;

  constructor(private readonly cfg: WaitsConfig) {
    this.batchCell = this.cell(cfg.thread, BATCH);
    this.whereCell = this.cell(cfg.thread, WHERE);
  }

  private cell(thread: number, field: number): number {
    return this.cfg.progressBase + thread * LINE_CELLS + field;
  }

  /** Before a batch's first instance: not in any instance of batch b yet. */
  startBatch(b: number): void {
    this.batch = b;
    Atomics.store(this.cfg.m, this.whereCell, 0);
    Atomics.store(this.cfg.m, this.batchCell, b);
  }

  /** Instance k begins (k = n: the batch's instances are all behind). */
  enter(k: number): void {
    this.k = k;
    this.waiting = false;
    this.suspect = false;
    Atomics.store(this.cfg.m, this.whereCell, 2 * (k + 1));
  }

  /** One pass of a wait (MemoryConfig.relax): throws Aborted, Stuck or LockTimeout. */
  relax = (spins: number, wait: WaitKind): void => {
    if (spins === 1 && !this.waiting) {
      this.waiting = true;
      this.since = 0;
      Atomics.store(this.cfg.m, this.whereCell, 2 * (this.k + 1) + 1);
    }
    if (this.suspect) {
      this.suspect = false;
      if (this.noneCanEnd()) throw new Stuck();
    }
    if (spins % CHECK_EVERY !== 0) return;
    if (Atomics.load(this.cfg.m, this.cfg.abortCell) !== 0) throw new Aborted();
    if (wait !== 'rcu' && this.noneCanEnd()) {
      this.suspect = true;
      return;
    }
    if (this.since === 0) this.since = Date.now();
    else if (Date.now() - this.since > LOCK_TIMEOUT_MS) throw new LockTimeout();
  };

  /** The wait ended: this thread runs on in its instance. */
  ended(): void {
    this.suspect = false;
    if (!this.waiting) return;
    this.waiting = false;
    Atomics.store(this.cfg.m, this.whereCell, 2 * (this.k + 1));
  }

  /** This thread gives up its current instance at `site`: the instance is counted stuck. */
  gaveUp(site: number): void {
    this.stuck++;
    if (this.firstStuckSite < 0) this.firstStuckSite = site;
    Atomics.or(this.cfg.m, this.cfg.flagBase + this.k, STUCK_FLAG);
    this.ended();
  }

  /** Every other thread has passed this instance, or waits in it too. */
  private noneCanEnd(): boolean {
    const { m, threads, thread } = this.cfg;
    const inside = 2 * (this.k + 1);
    for (let j = 0; j < threads; j++) {
      if (j === thread) continue;
      if (Atomics.load(m, this.cell(j, BATCH)) !== this.batch) return false;
      const where = Atomics.load(m, this.cell(j, WHERE));
      if (where !== inside + 1 && where < inside + 2) return false;
    }
    return true;
  }
}
