// RCU's waits and callbacks on the exploring memory (explore.ts). synchronize_rcu() is the
// model's sync-rcu fence where it is called, synchronize_srcu() its sync-srcu fence: the caller
// waits, so nothing of its own falls inside the grace period.
//
// A call_rcu() callback is another matter: the caller goes on while the grace period runs, and
// the kernel runs the callback from RCU_SOFTIRQ on the caller's CPU at any interrupt exit after
// the grace period has ended — possibly before the caller's next statement, possibly at its
// end. So:
//   - when: at each later kernel API call of the CPU (callback-points.ts), running the oldest
//     queued callback is an explored choice (Tracer.choose, as need_resched() and
//     spin_trylock() are), asked again for the next one after it ran; rcu_barrier() runs
//     whatever is left, and so does the end of the thread (the kernel would run them later
//     anyway: the explorer calls rcu_barrier() there);
//   - what the grace period orders: a 'start' event at call_rcu() and an 'end' event just
//     before the callback runs (barrier() fences: call_rcu() is a call, a softirq an
//     interrupt), which the model pairs as one grace period from the one to the other
//     (src/model/models/lkmm-rcu.ts callbackGps). What the caller did in between is on neither
//     side of it, and it is no full fence: weaker than any grace period the kernel runs, so a
//     `never` holds for the kernel; `reachable` may be one the kernel's extra ordering (each
//     CPU runs a full barrier between call_rcu() and the callback) would forbid.
// The callback runs on the caller's CPU, after what the caller did before it: the kernel's
// default. With rcu_nocbs it runs on an rcuo kthread, concurrently with the caller: not
// modelled (a callback that reads what its caller wrote after call_rcu() may see it here when
// an offloaded one need not).

import { callbackPoints } from './callback-points.ts';
import type { Tracer, Weakening } from './explore.ts';
import type { MemoryOps } from './ops.ts';

type RcuCalls = 'synchronize_rcu' | 'synchronize_srcu' | 'call_rcu' | 'rcu_barrier';

/** The explorer's RCU calls, and reset() for the start of a run (a run may stop anywhere). */
export interface ExploringRcu {
  ops: Pick<MemoryOps, RcuCalls>;
  reset(): void;
}

/** Over Tracer `t`; `held`: this CPU is in a read-side critical section; `w`: --ablate's. */
export function exploringRcu(t: Tracer, held: () => boolean, w?: Weakening): ExploringRcu {
  // each queued callback, and whether its grace period's start was recorded (not --ablate'd)
  let queue: { cb: () => void; gp: boolean }[] = [];
  const mark = (gp: 'start' | 'end', op: string) =>
    t.emit({ dir: 'F', loc: -1, value: 0, annot: 'barrier', gp, op });
  const runOldest = () => {
    const first = queue.shift()!;
    if (first.gp) mark('end', 'rcu callback');
    first.cb();
  };
  const points = callbackPoints(
    () => {
      while (queue.length > 0 && t.choose(2, 'rcu callback') === 1) runOldest();
    },
    () => queue.length > 0,
  );
  return {
    ops: {
      // synchronize_rcu(): the grace period, here (inside a read-side critical section it would
      // wait for itself: the kernel's might_sleep() complaint)
      synchronize_rcu: () => {
        if (held())
          throw new Error(
            'synchronize_rcu() inside an RCU read-side critical section waits for itself',
          );
        if (!w?.weakens('synchronize_rcu', 'order', -1))
          t.emit({ dir: 'F', loc: -1, value: 0, annot: 'sync-rcu', op: 'synchronize_rcu' });
      },
      // synchronize_srcu(ssp): the grace period of ssp's srcu_struct, here
      synchronize_srcu: (i) => {
        const srcu = t.loc(i);
        t.emit({ dir: 'F', loc: -1, value: 0, annot: 'sync-srcu', srcu, op: 'synchronize_srcu' });
      },
      // call_rcu(): the grace period starts; the callback waits for a point (above)
      call_rcu(this: object, cb) {
        const gp = !w?.weakens('call_rcu', 'order', -1);
        if (gp) mark('start', 'call_rcu');
        queue.push({ cb, gp });
        points.arm(this);
      },
      // rcu_barrier(): every queued callback runs now, in order
      rcu_barrier: () => {
        points.quietly(() => {
          while (queue.length > 0) runOldest();
        });
      },
    },
    reset: () => {
      queue = [];
    },
  };
}
