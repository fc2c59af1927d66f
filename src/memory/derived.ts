// Primitives a memory object can define from its other primitives: atomic_add(),
// atomic_add_unless(), the spinlock, as the kernel builds them (a cmpxchg loop;
// queued_spin_lock's fast path, a queued count, queued_spin_trylock's refusal when anyone is
// queued), and RCU's waits (synchronize_rcu()
// and synchronize_srcu() poll the grace period they start; call_rcu() queues a callback with
// its grace period's cookie, polled at each later call of the CPU). x86, portable and any later memory object get the same algorithm,
// so a lock or a wait behaves alike on every backend; only the accesses underneath differ.
// Cells as in ops.ts: lock word i, queued count i + 1.

import { callbackPoints } from './callback-points.ts';
import type { MemoryOps, WaitKind } from './ops.ts';

/** The primitives the derived ones are made of. */
export type CoreOps = Omit<MemoryOps, DerivedName | RcuWaitName>;
type DerivedName =
  | 'rcu_dereference'
  | 'atomic_add'
  | 'atomic_add_unless'
  | 'spin_lock'
  | 'spin_unlock'
  | 'spin_trylock'
  | 'spin_is_locked'
  | 'spin_is_contended';
type RcuWaitName = 'synchronize_rcu' | 'synchronize_srcu' | 'call_rcu' | 'rcu_barrier';

/** `core` completed with the derived primitives; `relax` is one pass of a wait. */
export function withDerivedOps(
  core: CoreOps,
  relax: (spins: number, wait: WaitKind) => void,
): MemoryOps {
  const o = core;
  return {
    ...core,
    // atomic_add(): the relaxed add, its old value dropped (a CPU orders it no differently)
    atomic_add: (i, v) => {
      o.atomic_fetch_add_relaxed(i, v);
    },
    ...rcuWaits(core, relax),
    // rcu_dereference(): READ_ONCE(), then smp_rmb() to stand for the address dependency a JS
    // value cannot carry (it orders every later load: more than the dependency, never less)
    rcu_dereference: (i) => {
      const v = o.READ_ONCE(i);
      o.smp_rmb();
      return v;
    },
    // atomic_add_unless(): add unless the value is u; 1 if it added. A READ_ONCE then a fully
    // ordered cmpxchg, retried only while another CPU changed the cell in between.
    atomic_add_unless: (i, a, u) => {
      for (;;) {
        const old = o.READ_ONCE(i);
        if (old === (u | 0)) return 0;
        if (o.cmpxchg(i, old, (old + a) | 0) === old) return 1;
      }
    },
    // spin_lock(): acquire. cmpxchg_acquire(0 → 1); if held, count ourselves queued, wait for
    // the word to read 0 (barrier() each pass: the compiler must re-read it), race for it again.
    spin_lock: (i) => {
      if (o.cmpxchg_acquire(i, 0, 1) === 0) return;
      o.atomic_fetch_add_relaxed(i + 1, 1);
      let spins = 0;
      do {
        while (o.READ_ONCE(i) !== 0) {
          o.barrier();
          relax(++spins, 'lock');
        }
      } while (o.cmpxchg_acquire(i, 0, 1) !== 0);
      o.atomic_fetch_add_relaxed(i + 1, -1);
    },
    // spin_unlock(): release; the critical section's accesses stay before. smp_store_release(0)
    spin_unlock: (i) => o.smp_store_release(i, 0),
    // spin_trylock(): queued_spin_trylock: fails when held or when anyone is queued, else
    // cmpxchg_acquire(0 → 1). The reads are acquires so that V8 cannot hoist them out of a retry loop.
    spin_trylock: (i) =>
      o.smp_load_acquire(i + 1) === 0 &&
      o.smp_load_acquire(i) === 0 &&
      o.cmpxchg_acquire(i, 0, 1) === 0,
    // spin_is_locked(): held or queued for (the whole qspinlock word non-zero). smp_load_acquire of both
    spin_is_locked: (i) => o.smp_load_acquire(i) !== 0 || o.smp_load_acquire(i + 1) !== 0,
    // spin_is_contended(): someone is queued. smp_load_acquire(i + 1) !== 0
    spin_is_contended: (i) => o.smp_load_acquire(i + 1) !== 0,
  };
}

type PollOps = Pick<
  MemoryOps,
  | 'start_poll_synchronize_rcu'
  | 'poll_state_synchronize_rcu'
  | 'start_poll_synchronize_srcu'
  | 'poll_state_synchronize_srcu'
  | 'rcu_read_lock_held'
>;

/**
 * synchronize_rcu(), synchronize_srcu(), call_rcu() and rcu_barrier() over a memory object's
 * grace-period polls. Callbacks are this CPU's: queued with the cookie of the grace period
 * call_rcu() starts, run in order once it has ended, at any later kernel API call of this CPU
 * (callback-points.ts: while one is queued, each primitive first polls the oldest one's grace
 * period), and at the latest in rcu_barrier().
 */
export function rcuWaits(
  o: PollOps,
  relax: (spins: number, wait: WaitKind) => void,
): Pick<MemoryOps, RcuWaitName> {
  const queue: { cookie: number; cb: () => void }[] = [];
  const runReady = () => {
    while (queue.length > 0 && o.poll_state_synchronize_rcu(queue[0]!.cookie)) queue.shift()!.cb();
  };
  const points = callbackPoints(runReady, () => queue.length > 0);
  const waitFor = (wait: WaitKind, done: () => boolean) => {
    for (let spins = 1; !done(); spins++) relax(spins, wait);
  };
  return {
    // synchronize_rcu(): start a grace period and poll it until it ends; inside a read-side
    // critical section it would wait for itself (the kernel's might_sleep() complaint)
    synchronize_rcu: () => {
      if (o.rcu_read_lock_held())
        throw new Error(
          'synchronize_rcu() inside an RCU read-side critical section waits for itself',
        );
      const cookie = o.start_poll_synchronize_rcu();
      waitFor('rcu', () => o.poll_state_synchronize_rcu(cookie));
      points.quietly(runReady);
    },
    // synchronize_srcu(ssp): the same on the srcu_struct's grace periods
    synchronize_srcu: (i) => {
      const cookie = o.start_poll_synchronize_srcu(i);
      waitFor('srcu', () => o.poll_state_synchronize_srcu(i, cookie));
    },
    // call_rcu(): queue the callback with a new grace period's cookie; from now on every call
    // of this memory object (`this`, the object it was called on) is a point where it may run
    call_rcu(this: object, cb) {
      queue.push({ cookie: o.start_poll_synchronize_rcu(), cb });
      points.arm(this);
    },
    // rcu_barrier(): wait for each queued callback's grace period in turn, and run it
    rcu_barrier: () => {
      while (queue.length > 0) {
        const first = queue[0]!;
        waitFor('rcu', () => o.poll_state_synchronize_rcu(first.cookie));
        points.quietly(runReady);
      }
    },
  };
}
