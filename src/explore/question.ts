// What a thread's run asks the explorer when it stops: the value of a read, the answer to a
// choice, or leave to take a lock. thread.ts asks it; replay-check.ts checks a replay asks it again.

/** The question a run stopped at. */
export type Question =
  /** `lock`: spin_is_locked()'s read of a lock (answered HELD or FREE: lock-reads.ts). */
  | { kind: 'read'; loc: number; lock?: true }
  | { kind: 'choice'; n: number; what: string }
  /**
   * spin_lock() of `loc`: answered (0) when the search lets the thread take it; `attempt`: a
   * spin_trylock() that succeeds (Tracer.lock).
   */
  | { kind: 'lock'; loc: number; attempt?: true };
