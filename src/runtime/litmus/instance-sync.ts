// How the threads start each instance of a batch together: the start synchronisation, one of
// START_SYNCS (litmus7's -barrier modes, docs/tune.md). Within a batch, SB's both-zero outcome
// needs the two threads on the same instance within a few nanoseconds of each other; how close
// each mode brings them depends on the CPU, which is what `smplab run --tune` measures.
//
//   fence    — instance k's leader, thread k mod threads, raises the instance's start flag with
//              an Atomics.store (on x86-64 an XCHG: the leader waits until its flag is visible,
//              about when the others see it) and goes on; the others wait for the flag
//              (litmus7's userfence);
//   flag     — the same with a plain store: the leader goes on at once (litmus7's user);
//   timebase — no message per instance: every thread starts instance k at the batch's start
//              time plus k steps of a shared clock (litmus7's timebase, on performance.now());
//   none     — the threads meet only at the batch barrier and run their instances freely.
//
// How far apart the threads start, once they meet, decides how often SB's both-zero outcome
// shows: a follower sees the flag a cache-line transfer after the leader raised it, and by then
// the leader's store may be visible. So the leader may wait `delay` spins after raising the flag
// (litmus7's userfence has the same effect through its mfence, on some CPUs): on the Intel Xeon
// measured, SB's witnesses went from 0.3% of the runs at 0 spins to 69% at 60 (docs/tune.md).
// The right wait depends on the CPU; `sweep` gives each meeting another one (0 to 120 spins)
// so that some of them fall right on any CPU.
//
// The threads need not meet at every instance: with `meet` N they meet at every Nth (instances
// 0, N, 2N, …) and run the N − 1 between freely. Once met, two threads running the same kind
// of instance stay in step for a few more, so most of the races remain while the meeting's
// cost — a cache-line transfer each way, which bounds a meeting per instance at about 4 M
// instances/s on the Intel Xeon measured — is paid once every N (docs/tune.md has the figures).
//
// A meeting only makes races likely; no outcome depends on it for being correct. So when a
// follower has waited far longer than a meeting takes (its leader is not running: the machine
// is busy), it gives up that meeting and runs the next instances without meeting instead of
// burning its CPU (RETRY_AFTER of them, twice as many after each further loss in a row, at
// most RETRY_AFTER_MAX; each batch starts afresh), then tries again; lost meetings are counted.
// With timebase a thread that finds itself a step or more behind the clock runs at once.

import { Aborted } from '../../memory/faults.ts';

export const START_SYNCS = ['fence', 'flag', 'timebase', 'none'] as const;
export type StartSync = (typeof START_SYNCS)[number];

/** The leader's wait after raising an instance's flag: spins, or a different one per instance. */
export type Delay = number | 'sweep';
/** sweep: meeting j's leader waits SWEEP_STEP × ((j × 5) mod SWEEP_STEPS) spins (0 to 120). */
export const SWEEP_STEP = 8;
export const SWEEP_STEPS = 16;

/** Spins on a start flag between looks at the leader's progress (~50 µs; a meeting takes ~0.1 µs). */
export const INSTANCE_SPINS = 1 << 16;
/** After a lost meeting, instances run without meeting before trying again; doubled after each consecutive loss. */
export const RETRY_AFTER = 2_048;
/** The most instances run without meeting, however many meetings were lost in a row. */
export const RETRY_AFTER_MAX = 32_768;
/** timebase: milliseconds from one instance's start to the next (litmus7 waits 2,048 TSC ticks, ~0.8 µs). */
export const TIMEBASE_STEP_MS = 0.001;
/** timebase: how far ahead of its publication thread 0 sets a batch's start (the others must see it first). */
export const TIMEBASE_LEAD_MS = 0.05;

export interface InstanceSync {
  /** Called by the compiled code before instance k. */
  startInstance(k: number): undefined;
  /** Called by every thread after the batch's start barrier: meet again. */
  startBatch(): void;
  /** Meetings this thread gave up, or timebase instances it started late (the report says how often). */
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
  /** Default fence. */
  mode?: StartSync;
  /** fence and flag: the leader's wait after raising the flag (default 0). */
  delay?: Delay;
  /** fence, flag, timebase: meet at every `meet`th instance (default 1: every instance). */
  meet?: number;
  /**
   * timebase: the line (Layout.clockBase) where thread 0 publishes each batch's start time: a
   * float64 in its first two cells, then the batch's number (1, 2, …) in the third.
   */
  clockBase?: number;
  /**
   * timebase: the performance.timeOrigin every thread counts from (the main thread's). On Node
   * the workers share it; a browser's workers each have their own, and this aligns them.
   */
  clockOrigin?: number;
  /** timebase: the clock, in ms (default performance.now()); a test gives one it moves itself. */
  clock?: () => number;
}

/** What a disabled InstanceSync is: no flag, no wait, no check per instance. */
const NO_SYNC: InstanceSync = {
  startInstance: () => undefined,
  startBatch: () => {},
  lostMeetings: () => 0,
};

export function instanceSync(cfg: InstanceSyncConfig): InstanceSync {
  const mode = cfg.enabled ? (cfg.mode ?? 'fence') : 'none';
  switch (mode) {
    case 'none':
      return NO_SYNC;
    case 'timebase':
      return timebaseSync(cfg);
    case 'fence':
      // or, not store: the flag's other bit is a stuck instance's mark (waits.ts)
      return leaderSync(cfg, (m, cell) => Atomics.or(m, cell, 1));
    case 'flag':
      return leaderSync(cfg, (m, cell) => {
        m[cell] = m[cell]! | 1;
      });
  }
}

/**
 * fence and flag: a rotating leader raises each meeting's flag (with `raise`); the others wait.
 * Meeting j is at instance j × meet and led by thread j mod threads.
 */
function leaderSync(
  cfg: InstanceSyncConfig,
  raise: (m: Int32Array, cell: number) => void,
): InstanceSync {
  const { m, thread, threads, flagBase, abortCell } = cfg;
  const delay = cfg.delay ?? 0;
  const meet = cfg.meet ?? 1;
  // From one meeting that a thread leads to its next.
  const span = threads * meet;
  // Written by the wait so that the compiler cannot drop the loop as having no effect.
  let sink = 0;
  const wait = (j: number) => {
    const spins = delay === 'sweep' ? SWEEP_STEP * ((j * 5) % SWEEP_STEPS) : delay;
    for (let i = 0; i < spins; i++) sink = (sink + i) | 0;
  };
  // The instance of the next meeting: every instance before it runs without one.
  let nextMeet = 0;
  // Meet at instances k >= meetFrom; after a lost meeting, free-run for `backoff` instances.
  let meetFrom = 0;
  let backoff = RETRY_AFTER;
  let lost = 0;

  /**
   * The last meeting before instance k whose flag k's leader has raised, searched forward from
   * `from` (an earlier answer) or, the first time (from = -1), backward from k. A leader
   * raises its flags in order, so this is how far it has got.
   */
  const leaderMark = (k: number, from: number): number => {
    if (from === -1) {
      let j = k - span;
      while (j >= 0 && Atomics.load(m, flagBase + j) === 0) j -= span;
      return j;
    }
    let j = from;
    while (j + span < k && Atomics.load(m, flagBase + j + span) !== 0) j += span;
    return j;
  };

  /**
   * Wait for the leader of the meeting at instance k to raise its flag; false when it is not
   * running. An Atomics.load, not a plain read, so that V8 cannot hoist the read out of the
   * loop and spin forever on a stale value. The flag cannot be a stale 1 from the previous
   * batch: the counting worker reset it to 0 before arriving at the start barrier, whose
   * Atomics order that reset before this load. Every INSTANCE_SPINS the leader's progress is
   * looked at: a leader that is behind but running (catching up after it lost a meeting) is
   * waited for; one that raised no flag over a whole round is not running, and the meeting is
   * lost.
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
    // Between meetings: one comparison, no memory touched.
    if (k < nextMeet) return undefined;
    const j = Math.floor(k / meet);
    nextMeet = (j + 1) * meet;
    if (j * meet !== k) return undefined;
    // A leader raises its flag even when it is not meeting, so that a follower that meets
    // again finds the meetings this thread ran alone already open.
    if (j % threads === thread) {
      raise(m, flagBase + k);
      wait(j);
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
      nextMeet = 0;
      meetFrom = 0;
      backoff = RETRY_AFTER;
    },
    lostMeetings: () => lost + (sink & 0),
  };
}

/**
 * timebase: thread 0 publishes the batch's start time after the start barrier; every thread
 * reads it (waiting for it, with the abort check of a long wait) and starts meeting j (instance
 * j × meet) when the clock passes start + j × TIMEBASE_STEP_MS. The clock is performance.now() counted from
 * clockOrigin, the same clock in every worker.
 */
function timebaseSync(cfg: InstanceSyncConfig): InstanceSync {
  const { m, thread, abortCell } = cfg;
  if (cfg.clockBase === undefined) throw new Error('internal: timebase needs Layout.clockBase');
  const clockBase = cfg.clockBase;
  // Float64 cells on the clock line (line-aligned, so 8-byte aligned).
  const start = new Float64Array(m.buffer, m.byteOffset + clockBase * 4, 1);
  const shift = performance.timeOrigin - (cfg.clockOrigin ?? performance.timeOrigin);
  const clock = cfg.clock ?? (() => performance.now());
  const now = () => clock() + shift;
  const meet = cfg.meet ?? 1;
  let t0 = 0;
  let late = 0;
  let batch = 0;
  let nextMeet = 0;

  return {
    startInstance: (k: number): undefined => {
      if (k < nextMeet) return undefined;
      const j = Math.floor(k / meet);
      nextMeet = (j + 1) * meet;
      if (j * meet !== k) return undefined;
      const at = t0 + j * TIMEBASE_STEP_MS;
      if (now() > at + TIMEBASE_STEP_MS) late++;
      else while (now() < at);
      return undefined;
    },
    startBatch: () => {
      batch++;
      nextMeet = 0;
      if (thread === 0) {
        start[0] = now() + TIMEBASE_LEAD_MS;
        // The batch's number after its start time: Atomics order the float's store before it.
        Atomics.store(m, clockBase + 2, batch);
      } else {
        let spins = 0;
        while (Atomics.load(m, clockBase + 2) !== batch)
          if (++spins % INSTANCE_SPINS === 0 && Atomics.load(m, abortCell) !== 0)
            throw new Aborted();
      }
      t0 = start[0]!;
    },
    lostMeetings: () => late,
  };
}
