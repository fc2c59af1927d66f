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

import { Aborted } from './litmus-ops.ts';

/** Spins on a start flag before giving up this meeting (~100 µs; a meeting takes ~0.1 µs). */
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

export function instanceSync(cfg: InstanceSyncConfig): InstanceSync {
  const { m, thread, threads, flagBase, abortCell } = cfg;
  // Meet at instances k >= meetFrom; after a lost meeting, free-run for `backoff` instances.
  let meetFrom = cfg.enabled ? 0 : Number.POSITIVE_INFINITY;
  let backoff = RETRY_AFTER;
  let lost = 0;
  const startInstance = (k: number): undefined => {
    // A leader raises its flag even when it is not meeting: a follower that has gone back to
    // meeting must not wait for a thread that runs ahead alone (both would lose every meeting).
    if (k % threads === thread) {
      Atomics.store(m, flagBase + k, 1);
      return undefined;
    }
    if (k < meetFrom) return undefined;
    // Waits for the leader of instance k to raise its flag. An Atomics.load, not a plain read,
    // so that V8 cannot hoist the read out of the loop and spin forever on a stale value. The
    // flag cannot be a stale 1 from the previous batch: the counting worker reset it to 0
    // before arriving at the start barrier, whose Atomics order that reset before this load.
    let spins = 0;
    while (Atomics.load(m, flagBase + k) === 0) {
      if (++spins < INSTANCE_SPINS) continue;
      if (Atomics.load(m, abortCell) !== 0) throw new Aborted();
      meetFrom = k + backoff;
      backoff = Math.min(backoff * 2, RETRY_AFTER_MAX);
      lost++;
      return undefined;
    }
    backoff = RETRY_AFTER;
    return undefined;
  };
  return {
    startInstance,
    startBatch: () => {
      meetFrom = cfg.enabled ? 0 : Number.POSITIVE_INFINITY;
      backoff = RETRY_AFTER;
    },
    lostMeetings: () => lost,
  };
}
