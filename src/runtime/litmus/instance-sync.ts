// Meeting at every instance: litmus7's -barrier userfence, in the workers.
//
// Instance k has a leader, thread k mod threads, which raises the instance's start flag and
// goes on; the others wait for that flag. Rotating the leader keeps every thread within about
// one instance of the others, so that they race on the same instance (SB's both-zero outcome
// needs that), at the cost of one line transfer per instance.
//
// The meeting only makes races likely; no outcome depends on it for being correct. So when a
// follower has waited far longer than a meeting takes (its leader is not running: the machine
// is busy), it gives up that meeting and runs the next instances without meeting instead of
// burning its CPU (RETRY_AFTER of them, twice as many after each further loss in a row, at
// most RETRY_AFTER_MAX; each batch starts afresh), then tries again; lost meetings are counted.

import { Aborted } from '../../memory/faults.ts';

/** Spins on a start flag between looks at the leader's progress (~50 µs; a meeting takes ~0.1 µs). */
export const INSTANCE_SPINS = 1 << 16;
/** After a lost meeting, instances run without meeting before trying again; doubled after each consecutive loss. */
export const RETRY_AFTER = 2_048;
/** The most instances run without meeting, however many meetings were lost in a row. */
export const RETRY_AFTER_MAX = 32_768;

export interface InstanceSync {
  /** Called by the compiled code before instance k. */
  startInstance(k: number): undefined;
  /** Called before each batch: meet again. */
  startBatch(): void;
  /** Meetings this thread gave up (the report says how often). */
  lostMeetings(): number;
}

export interface InstanceSyncConfig {
  m: Int32Array;
  thread: number;
  threads: number;
  /** Cell of instance 0's start flag (Layout.flagBase); the flags are 0 at each batch start. */
  flagBase: number;
  abortCell: number;
  /** false: threads > CPUs, where waiting at each instance stalls; run freely within a batch. */
  enabled: boolean;
}

/** What a disabled InstanceSync is: no flag, no wait, no check per instance. */
const NO_SYNC: InstanceSync = {
  startInstance: () => undefined,
  startBatch: () => {},
  lostMeetings: () => 0,
};

export function instanceSync(cfg: InstanceSyncConfig): InstanceSync {
  if (!cfg.enabled) return NO_SYNC;
  const { m, thread, threads, flagBase, abortCell } = cfg;
  // Meet at instances k >= meetFrom; after a lost meeting, free-run for `backoff` instances.
  let meetFrom = 0;
  let backoff = RETRY_AFTER;
  let lost = 0;

  /**
   * The last instance before k whose flag k's leader has raised, searched forward from
   * `from` (an earlier answer) or, the first time (from = -1), backward from k. A leader
   * raises its flags in order, so this is how far it has got.
   */
  const leaderMark = (k: number, from: number): number => {
    if (from === -1) {
      let j = k - threads;
      while (j >= 0 && Atomics.load(m, flagBase + j) === 0) j -= threads;
      return j;
    }
    let j = from;
    while (j + threads < k && Atomics.load(m, flagBase + j + threads) !== 0) j += threads;
    return j;
  };

  /**
   * Wait for the leader of instance k to raise its flag; false when it is not running. An
   * Atomics.load, not a plain read, so that V8 cannot hoist the read out of the loop and spin
   * forever on a stale value. The flag cannot be a stale 1 from the previous batch: the
   * counting worker reset it to 0 before arriving at the start barrier, whose Atomics order
   * that reset before this load. Every INSTANCE_SPINS the leader's progress is looked at: a
   * leader that is behind but running (catching up after it lost a meeting) is waited for;
   * one that raised no flag over a whole round is not running, and the meeting is lost.
   */
  const waitForLeader = (k: number): boolean => {
    let spins = 0;
    let mark = -1;
    while (Atomics.load(m, flagBase + k) === 0) {
      if (++spins < INSTANCE_SPINS) continue;
      if (Atomics.load(m, abortCell) !== 0) throw new Aborted();
      const now = leaderMark(k, mark);
      if (mark !== -1 && now === mark) return false;
      mark = now;
      spins = 0;
    }
    return true;
  };

  const startInstance = (k: number): undefined => {
    // A leader raises its flag even when it is not meeting, so that a follower that meets
    // again finds the instances this thread ran alone already open.
    if (k % threads === thread) {
      Atomics.store(m, flagBase + k, 1);
    } else if (k >= meetFrom) {
      if (waitForLeader(k)) {
        backoff = RETRY_AFTER;
      } else {
        meetFrom = k + backoff;
        backoff = Math.min(backoff * 2, RETRY_AFTER_MAX);
        lost++;
      }
    }
    return undefined;
  };

  return {
    startInstance,
    startBatch: () => {
      meetFrom = 0;
      backoff = RETRY_AFTER;
    },
    lostMeetings: () => lost,
  };
}
