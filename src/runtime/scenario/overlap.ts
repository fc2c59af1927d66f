// How much the threads of an 'iterations' scenario overlapped: the share of races in which
// every thread was inside its body on the same memory copy at the same time — the racy window.
// A 0 in an outcome table means little if the threads never met; this says whether they did.
//
// It is an estimate, from two timestamps per thread and batch (each thread's first body start
// and last body end), taking every copy of a batch to cost a thread the same time: copy k of
// thread t then runs in [start_t + k·d_t, start_t + (k+1)·d_t], d_t = (end_t − start_t)/n. A
// timestamp per body would perturb the race it measures (two clock reads against a few
// nanoseconds of body). The clock is performance.timeOrigin + performance.now(), the same for
// every worker of the process.

/** Now, in milliseconds, on a clock every worker thread of this process shares. */
export const sharedNow = (): number => performance.timeOrigin + performance.now();

/**
 * Copies of a batch of `n` whose threads' windows share an instant: `times` holds each
 * thread's [start, end] of the batch, in order.
 */
export function overlappedCopies(times: ArrayLike<number>, threads: number, n: number): number {
  if (threads < 2 || n === 0) return n;
  let overlapped = 0;
  for (let k = 0; k < n; k++) {
    let latestStart = Number.NEGATIVE_INFINITY;
    let earliestEnd = Number.POSITIVE_INFINITY;
    for (let t = 0; t < threads; t++) {
      const start = times[2 * t]!;
      const d = (times[2 * t + 1]! - start) / n;
      latestStart = Math.max(latestStart, start + k * d);
      earliestEnd = Math.min(earliestEnd, start + (k + 1) * d);
    }
    if (latestStart < earliestEnd) overlapped++;
  }
  return overlapped;
}
