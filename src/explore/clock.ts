// ktime_get_ns() on the explorer: one thread's clock, whose every gap is an explored choice.
//
// In the kernel any time may pass between two reads of the clock on one CPU (an interrupt,
// preemption, a vCPU the host stalled), so a timeout computed from it can fire at any read. A
// thread's first read is its start (0); each later read is an explored choice of the gap since
// its previous read: a moment (MOMENT_NS), or past any deadline (PAST_ANY_DEADLINE_NS). Code
// that compares the time elapsed since one of its reads with one deadline gets every branch it
// can take: not yet at every read, or past it from any read on. What two gaps do not give (a
// time that must fall inside a window a < t < b, a deadline over an hour, the sum of many
// moments, one CPU's time compared with another's or with a constant) the search cannot claim:
// a never of a variant whose code read the clock says "clock aside" (Extent.clockAside).
// ndelay() moves the clock on without a choice (nothing it waits for is explored), and the lab's
// latency stamps (Cpu.stamp) do not read it. This module does not trace memory; it asks the
// thread's Tracer for its choices and passes.

import type { Tracer } from '../memory/explore.ts';

/** "A moment": the gap when nothing held the CPU between two reads. */
export const MOMENT_NS = 1;
/** "Past any deadline": the gap when the CPU was held up (an hour: beyond every kernel timeout). */
export const PAST_ANY_DEADLINE_NS = 3_600_000_000_000;

/** One thread's ktime_get_ns() on the explorer, reset at the start of each of its runs. */
export class ExploredClock {
  private ns = 0;
  private reads = 0;
  /** The thread's event count at its last read: a read with none since is a pass (below). */
  private eventsAtRead = 0;

  /**
   * `tracer`: the run's Tracer; `events`: how many events the run has traced so far; `onRead`:
   * told at each read (the variant's answer then holds clock aside).
   */
  constructor(
    private readonly tracer: () => Pick<Tracer, 'choose' | 'pass'>,
    private readonly events: () => number,
    private readonly onRead: () => void,
  ) {}

  reset(): void {
    this.ns = 0;
    this.reads = 0;
    this.eventsAtRead = 0;
  }

  /**
   * ktime_get_ns(). A read with no event since the previous one is a pass of the loop bound: a
   * loop that polls only the clock (`while (ktime_get_ns() < end);`) would otherwise ask for a
   * moment forever.
   */
  read(): number {
    this.onRead();
    if (this.reads++ > 0) {
      const t = this.tracer();
      if (this.events() === this.eventsAtRead) t.pass('ktime_get_ns');
      this.ns += t.choose(2, 'ktime_get_ns') === 1 ? PAST_ANY_DEADLINE_NS : MOMENT_NS;
    }
    this.eventsAtRead = this.events();
    return this.ns;
  }

  /** ndelay(ns): at least `ns` pass, chosen by no one (the next read adds its gap). */
  delay(ns: number): void {
    if (ns > 0) this.ns += ns;
  }
}
