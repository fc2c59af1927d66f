// Where a CPU's call_rcu() callbacks may run. The kernel (callbacks not offloaded, the default)
// runs them from RCU_SOFTIRQ on the CPU that queued them, at the exit of any interrupt once
// their grace period has ended: between any two statements of the code running there, possibly
// before the caller's next one. Here the points are that CPU's kernel API calls that reach its
// memory object (every access, fence, lock, RCU call): once the CPU has queued a callback,
// each primitive first gives the callbacks their chance while one is queued. Nothing is
// patched before the first call_rcu(), so code that never calls it runs the memory object as
// it is; after it the patch stays (a check of the queue per call: patching the object in and
// out at each call_rcu() cost V8 its optimised calls, a tenth of the updater's speed).
//
// Calls that reach no memory (kthread_should_stop(), ndelay(), cpu.observe()) are no points:
// what a callback writes to memory is the same one call later, but JS state it shares with its
// CPU's code (a local free list) is seen one memory call later than an interrupt could.
//
// This module does not decide whether a callback runs: a grace-period poll on hw and weak
// (derived.ts), an explored choice on the explorer (explore-rcu.ts).

import { UserError } from '../errors.ts';

/** Not points: the runner's side, and rcu_barrier() and rcu_read_lock_held(), which run or order nothing a point could. */
const NOT_POINTS: ReadonlySet<string> = new Set([
  'init',
  'final',
  'drain',
  'begin_instance',
  'abandon',
  'rcu_barrier',
  'rcu_read_lock_held',
]);

type Primitive = (...args: unknown[]) => unknown;

/** The callback points of one CPU's memory object. */
export interface CallbackPoints {
  /** Make every primitive of `ops` a point (the memory object call_rcu() was called on). */
  arm(ops: object): void;
  /**
   * Another object of the same CPU whose primitives are points too once armed (its 64-bit
   * accesses: a callback may run before an atomic64_set() as before a WRITE_ONCE()).
   */
  attach(ops: object): void;
  /** Run `f` (callbacks) with no point inside it: a callback's own calls do not run the next one. */
  quietly(f: () => void): void;
  /** A wait (synchronize_rcu(), rcu_barrier()): refused inside a callback, as quietly() is. */
  waits(): void;
}

/**
 * `point` runs what is ready; `queued` says whether anything is queued (no point without).
 * Primitives take at most three arguments (cmpxchg, atomic_add_unless): the patch passes three.
 */
export function callbackPoints(point: () => void, queued: () => boolean): CallbackPoints {
  let armed = false;
  let quiet = false;
  const waits = () => {
    if (quiet)
      throw new UserError(
        'a call_rcu() callback waits for callbacks (rcu_barrier(), synchronize_rcu()): it runs in softirq, where nothing may sleep',
      );
  };
  const quietly = (f: () => void) => {
    waits();
    quiet = true;
    try {
      f();
    } finally {
      quiet = false;
    }
  };
  const patch = (ops: object) => {
    const target = ops as Record<string, unknown>;
    for (const [name, f] of Object.entries(target)) {
      if (typeof f !== 'function' || NOT_POINTS.has(name)) continue;
      const primitive = f as Primitive;
      target[name] = (a: unknown, b: unknown, c: unknown) => {
        if (!quiet && queued()) quietly(point);
        return primitive.call(target, a, b, c);
      };
    }
  };
  const attached: object[] = [];
  return {
    arm(ops) {
      if (armed) return;
      armed = true;
      patch(ops);
      for (const o of attached) patch(o);
    },
    attach(ops) {
      attached.push(ops);
      if (armed) patch(ops);
    },
    quietly,
    waits,
  };
}
