// seqcount_t and seqlock_t: a writer makes the sequence odd, writes, makes it even again; a
// reader notes an even sequence, reads, and retries if the sequence moved. The smp_wmb() /
// smp_rmb() pairs are the ones in include/linux/seqlock.h: they keep the data accesses inside
// the two sequence accesses on each side. seqcount writers must be serialised by the caller
// (a lock); seqlock_t carries its own spinlock for that.

import { smp_rmb, smp_wmb } from './barriers.ts';
import { this_cpu } from './cpu.ts';
import type { seqcount_t, seqlock_t } from './memory.ts';
import { waitPass } from './sched.ts';
import { spin_lock, spin_unlock } from './spinlock.ts';

/** write_seqcount_begin(s): sequence odd, then smp_wmb(). JS: element write (+1), Atomics.load(fence) */
export function write_seqcount_begin(s: seqcount_t): void {
  s.mem.WRITE_ONCE(s.i, (s.mem.READ_ONCE(s.i) + 1) | 0);
  smp_wmb();
}

/** write_seqcount_end(s): smp_wmb(), then sequence even. JS: Atomics.load(fence), element write (+1) */
export function write_seqcount_end(s: seqcount_t): void {
  smp_wmb();
  s.mem.WRITE_ONCE(s.i, (s.mem.READ_ONCE(s.i) + 1) | 0);
}

/**
 * read_seqcount_begin(s): wait for an even sequence, smp_rmb(), return it.
 * JS: element read (re-read each pass: cpu_relax() is a barrier), Atomics.load(fence)
 */
export function read_seqcount_begin(s: seqcount_t): number {
  let seq = s.mem.READ_ONCE(s.i);
  // Wait for the writer in progress to reach write_seqcount_end() (sequence even again).
  while ((seq & 1) !== 0) {
    waitPass();
    seq = s.mem.READ_ONCE(s.i);
  }
  smp_rmb();
  return seq;
}

/** read_seqcount_retry(s, start): smp_rmb(), then true if the sequence moved (data may be torn). */
export function read_seqcount_retry(s: seqcount_t, start: number): boolean {
  smp_rmb();
  const retry = s.mem.READ_ONCE(s.i) !== start;
  // The caller loops back: a pass the explorer's loop bound counts.
  if (retry) this_cpu().time?.pass('read_seqcount_retry');
  return retry;
}

/** write_seqlock(sl): take the writers' spinlock, then write_seqcount_begin. */
export function write_seqlock(sl: seqlock_t): void {
  spin_lock(sl.lock);
  write_seqcount_begin(sl.seqcount);
}

/** write_sequnlock(sl): write_seqcount_end, then release the writers' spinlock. */
export function write_sequnlock(sl: seqlock_t): void {
  write_seqcount_end(sl.seqcount);
  spin_unlock(sl.lock);
}

/** read_seqbegin(sl): read_seqcount_begin on the seqlock's sequence. */
export function read_seqbegin(sl: seqlock_t): number {
  return read_seqcount_begin(sl.seqcount);
}

/** read_seqretry(sl, start): read_seqcount_retry on the seqlock's sequence. */
export function read_seqretry(sl: seqlock_t, start: number): boolean {
  return read_seqcount_retry(sl.seqcount, start);
}

/** raw_read_seqcount(s): the sequence now, odd or not, then smp_rmb(). JS: element read, Atomics.load(fence) */
export function raw_read_seqcount(s: seqcount_t): number {
  const seq = s.mem.READ_ONCE(s.i);
  smp_rmb();
  return seq;
}
