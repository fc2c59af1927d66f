// RCU's grace periods, waits and callbacks on the exploring memory (explore.ts).
// synchronize_rcu() is the model's sync-rcu fence where it is called, synchronize_srcu() its
// sync-srcu fence: the caller waits, so nothing of its own falls inside the grace period.
//
// A call_rcu() callback is another matter: the caller goes on while the grace period runs, and
// the kernel runs the callback from RCU_SOFTIRQ on the caller's CPU at any interrupt exit after
// the grace period has ended — possibly before the caller's next statement, possibly at its
// end. So:
//   - when: at each later kernel API call of the CPU (callback-points.ts), running the oldest
//     queued callback is an explored choice (Tracer.choose, as need_resched() and
//     spin_trylock() are), asked again for the next one after it ran; rcu_barrier() runs
//     those queued when it is called, and the end of the thread whatever is left (the kernel
//     would run them later anyway: the explorer calls the memory's drain() there);
//   - what the grace period orders: a 'start' event at call_rcu() and an end event just
//     before the callback runs, naming its start (barrier() fences: call_rcu() is a call, a
//     softirq an interrupt), which the model pairs as one grace period from the one to the
//     other (src/model/models/lkmm-rcu.ts splitGps). What the caller did in between is on
//     neither side of it, and it is no full fence: weaker than any grace period the kernel
//     runs, so a `never` holds for the kernel; `reachable` may be one the kernel's extra
//     ordering (each CPU runs a full barrier between call_rcu() and the callback) would forbid.
// A polled grace period is the same pair: from start_poll_synchronize_rcu() to the first poll
// that says it ended; each poll before is an explored choice ("not yet" a pass of the loop).
// The callback runs on the caller's CPU, after what the caller did before it: the kernel's
// default. With rcu_nocbs it runs on an rcuo kthread, concurrently with the caller: not
// modelled (a callback that reads what its caller wrote after call_rcu() may see it here when
// an offloaded one need not).

import { callbackPoints } from './callback-points.ts';
import type { MemoryOps } from './ops.ts';
import type { Tracer, Weakening } from './tracer.ts';

type RcuCalls =
  | 'synchronize_rcu'
  | 'synchronize_srcu'
  | 'call_rcu'
  | 'rcu_barrier'
  | 'start_poll_synchronize_rcu'
  | 'poll_state_synchronize_rcu'
  | 'start_poll_synchronize_srcu'
  | 'poll_state_synchronize_srcu';

/** The explorer's RCU calls, and reset() for the start of a run (a run may stop anywhere). */
export interface ExploringRcu {
  ops: Pick<MemoryOps, RcuCalls>;
  reset(): void;
  /** Make `ops` (the CPU's 64-bit accesses) callback points too (callback-points.ts). */
  attach(ops: object): void;
  /** Run every callback still queued, and those they queue (the end of the thread). */
  drain(): void;
}

/** CPUs a polled grace period's cookie tells apart (cookie = index here × COOKIE_CPUS + cpu). */
const COOKIE_CPUS = 64;

/**
 * Over Tracer `t`; `held`: this CPU is in a read-side critical section; `w`: --ablate's; `cpu`:
 * this CPU's number, which its cookies carry (the kernel's cookies are global: another CPU's
 * must not name one of this CPU's grace periods).
 */
export function exploringRcu(t: Tracer, held: () => boolean, w?: Weakening, cpu = 0): ExploringRcu {
  // A grace period's start event (its index in the trace; undefined when --ablate removed it),
  // and its end, paired with it; `srcu`: the srcu_struct's location.
  const start = (op: string, srcu?: number): number | undefined => {
    if (w?.weakens(op, 'order', -1)) return undefined;
    return t.emit({ dir: 'F', loc: -1, value: 0, annot: 'barrier', gp: 'start', op, srcu });
  };
  const end = (gp: number | undefined, op: string, srcu?: number) => {
    if (gp !== undefined) t.emit({ dir: 'F', loc: -1, value: 0, annot: 'barrier', gp, op, srcu });
  };
  let queue: { cb: () => void; gp: number | undefined }[] = [];
  const runOldest = () => {
    const first = queue.shift()!;
    end(first.gp, 'rcu callback');
    first.cb();
  };
  const points = callbackPoints(
    () => {
      while (queue.length > 0 && t.choose(2, 'rcu callback') === 1) runOldest();
    },
    () => queue.length > 0,
  );
  // The polled grace periods, their cookies their indexes here with this CPU's number: a poll
  // says "ended" or not, an explored choice until it has said so once (a grace period that
  // ended stays ended). "Not yet" is a pass of the loop bound (a loop polling it is a wait). A
  // cookie not from here (another CPU's) gets the choice with no ordering at all.
  let polled: { gp: number | undefined; srcu?: number; ended: boolean }[] = [];
  const startPoll = (op: string, srcu?: number) =>
    (polled.push({ gp: start(op, srcu), srcu, ended: false }) - 1) * COOKIE_CPUS + cpu;
  const poll = (cookie: number, op: string, srcu?: number): boolean => {
    const own = cookie >= 0 && cookie % COOKIE_CPUS === cpu;
    const p = own ? polled[(cookie - cpu) / COOKIE_CPUS] : undefined;
    if (p?.ended) return true;
    if (t.choose(2, op) === 0) {
      t.pass(op);
      return false;
    }
    if (p && p.srcu === srcu) {
      p.ended = true;
      end(p.gp, op, srcu);
    }
    return true;
  };
  return {
    ops: {
      // synchronize_rcu(): the grace period, here (inside a read-side critical section it would
      // wait for itself: the kernel's might_sleep() complaint)
      synchronize_rcu: () => {
        points.waits(); // (in a callback: softirq, where nothing may sleep)
        if (held())
          throw new Error(
            'synchronize_rcu() inside an RCU read-side critical section waits for itself',
          );
        if (!w?.weakens('synchronize_rcu', 'order', -1))
          t.emit({ dir: 'F', loc: -1, value: 0, annot: 'sync-rcu', op: 'synchronize_rcu' });
      },
      // synchronize_srcu(ssp): the grace period of ssp's srcu_struct, here
      synchronize_srcu: (i) => {
        points.waits();
        const srcu = t.loc(i);
        t.emit({ dir: 'F', loc: -1, value: 0, annot: 'sync-srcu', srcu, op: 'synchronize_srcu' });
      },
      // call_rcu(): the grace period starts; the callback waits for a point (above)
      call_rcu(this: object, cb) {
        queue.push({ cb, gp: start('call_rcu') });
        points.arm(this);
      },
      // start_poll_synchronize_rcu() / _srcu(): a grace period starts; its cookie
      start_poll_synchronize_rcu: () => startPoll('start_poll_synchronize_rcu'),
      poll_state_synchronize_rcu: (cookie) => poll(cookie, 'poll_state_synchronize_rcu'),
      start_poll_synchronize_srcu: (i) => startPoll('start_poll_synchronize_srcu', t.loc(i)),
      poll_state_synchronize_srcu: (i, cookie) =>
        poll(cookie, 'poll_state_synchronize_srcu', t.loc(i)),
      // rcu_barrier(): every callback queued when it is called runs now, in order; one those
      // queue waits for a later point (the kernel's barrier callback is entrained behind the
      // queued ones, a callback queued while it waits behind it: rcubarrier.rst)
      rcu_barrier: () => {
        points.quietly(() => {
          for (let n = queue.length; n > 0; n--) runOldest();
        });
      },
    },
    reset: () => {
      queue = [];
      polled = [];
    },
    // the end of the thread: every callback still queued runs, those they queue too
    drain: () => {
      points.quietly(() => {
        while (queue.length > 0) runOldest();
      });
    },
    // the CPU's 64-bit accesses are callback points too (explore.ts exploringOps64)
    attach: points.attach,
  };
}
