// What the exploring memory (explore.ts) and its RCU part (explore-rcu.ts) ask of the explorer
// and hand it: the Tracer, the events it records, and --ablate's Weakening. Types only, in a
// module of their own so that the two memory modules import them without importing each other.

import type { AccessAnnot, FenceAnnot, Value } from '../litmus/ir.ts';

/** lock.cat's events, as src/model/core/events.ts names them (LockRole): memory does not import model. */
export type LockRole = 'LKR' | 'LKW' | 'UL' | 'LF' | 'RL' | 'RU';

/** An event as the exploring memory reports it (the model's EventSpec, without its Instr). */
export interface TracedEvent {
  dir: 'R' | 'W' | 'F';
  /** Location index (the Tracer's numbering); -1 for a fence. */
  loc: number;
  value: Value;
  annot: AccessAnnot | FenceAnnot;
  lock?: LockRole;
  rmw?: 'pair' | 'failed';
  /** synchronize_srcu(): the location of its srcu_struct (the event is a fence, loc -1). */
  srcu?: number;
  /** A grace period nobody waits through starts ('start'), or ends (its start's index): explore-rcu.ts. */
  gp?: 'start' | number;
  /** Which primitive made it (for --explain): `cmpxchg_acquire`, `spin_lock`. */
  op: string;
}

/** What the exploring memory asks of the explorer. */
export interface Tracer {
  /** The location a 32-bit cell index names (a UserError when the code points elsewhere). */
  loc(cell: number): number;
  /** The location of 64-bit cell j (a u64 accessed as a whole); its values are Tracer.wide ids. */
  loc64(j: number): number;
  /** The value a read of `loc` returns: the explorer's choice. */
  value(loc: number): Value;
  /**
   * spin_is_locked() of lock `loc`: whether it is held, as the explorer answers it — a read of
   * the lock's location, from an LKW (held) or a UL or the initial write (free), the source
   * the explorer's choice as for a data read (src/explore/lock-reads.ts).
   */
  held(loc: number): boolean;
  /** One of `n` answers (0..n-1) to a question with no event (spin_trylock's success...). */
  choose(n: number, what: string): number;
  /** Record an event; returns its index in the thread's trace. */
  emit(e: TracedEvent): number;
  /**
   * Record that events r and w (indices) are the read and write of one rmw; `data`: the value
   * written is computed from the value read (an add, not an xchg or cmpxchg), which herd7 counts
   * as a data dependency from r to w (its iico_data; src/model/enumerate/atomic.ts does the same).
   */
  pair(r: number, w: number, data: boolean): void;
  /**
   * A pass of a wait or retry loop: the loop bound counts it. `pure`: an await, whose failed
   * pass changes nothing but what it read (the explorer lets the thread wait for a write that
   * lets it out instead: src/explore/thread.ts).
   */
  pass(what: string, pure?: boolean): void;
  /**
   * spin_lock() of `loc` is about to take it: returns when the explorer lets this thread take
   * it (a thread whose lock another holds waits there; all waiting is a deadlock). `attempt`:
   * a spin_trylock() that succeeds, which waits the same way but is no deadlock (it could fail).
   */
  lock(loc: number, attempt?: true): void;
  /** A 64-bit value as a Value (an id the Tracer keeps), and back. */
  wide(v: bigint): Value;
  unwide(id: Value): bigint;
}

/**
 * --ablate: the ordering some calls lose. Asked at each event that orders (a fence, an acquire
 * or release access, a fully ordered, acquire or release rmw, a lock taken or released) before
 * it is recorded; the caller knows which call of the scenario is running (explore/ablate.ts).
 */
export interface Weakening {
  /**
   * Whether primitive `op` loses its ordering here: a fence is dropped, an acquire or release
   * access becomes ONCE, an rmw becomes _relaxed. `lock`: spin_lock() or spin_trylock() taking
   * `loc` is removed; `unlock`: the spin_unlock() releasing a removed lock is removed too.
   */
  weakens(op: string, what: 'order' | 'lock' | 'unlock', loc: number): boolean;
}
