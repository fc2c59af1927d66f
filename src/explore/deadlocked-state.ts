// A state of the search (search.ts) in which every unfinished thread waits for good, as the
// search hands it to the explorer (SearchOptions.onDeadlock): each waiting thread, what it
// waits on and its traces there, and the threads that finished.
//
// This module neither checks the state with the model (explore.ts does) nor tells it to a user
// (deadlock.ts); whether an await's thread is blocked by every write it may read is the
// search's to say (its blockedRuns).

import type { Trace } from '../model/core/events.ts';
import { holder, type ThreadState } from './search-state.ts';

/** A thread that finished in such a state: its answers and its whole trace. */
export interface FinishedThread {
  thread: number;
  answers: readonly number[];
  trace: Trace;
}

/** A thread waiting for good in a state the search met (SearchOptions.onDeadlock). */
export interface BlockedThread {
  thread: number;
  /** At an await's read of `loc`, or at spin_lock() of `loc`. */
  on: { kind: 'read' | 'lock'; loc: number };
  /** At a lock: the thread that holds it (itself, when it takes a lock it holds). */
  holder?: number;
  /** Its answers so far (a replay with them stops where it waits). */
  answers: number[];
  /**
   * Its trace up to where it waits: at a lock, before the lock's events; at an await, one per
   * write it may read last that does not let it out, each ending with that read.
   */
  traces: Trace[];
}

/**
 * Every unfinished thread waits for good: at an await a write done that may be its location's
 * last leaves blocked (the model then says whether it reads that one last: judge.ts), or at a
 * lock another waiting (or finished) thread holds. Undefined: some thread may still go on.
 * `blockedRuns`: thread t's runs blocked at its await's read by such a write, undefined if none
 * is (search.ts).
 */
export function deadlockIn<R>(
  states: ThreadState<R>[],
  blockedRuns: (states: ThreadState<R>[], t: number) => readonly { trace: Trace }[] | undefined,
): { threads: BlockedThread[]; finished: FinishedThread[] } | undefined {
  const threads: BlockedThread[] = [];
  for (const [t, s] of states.entries()) {
    if (s.p.replay.kind !== 'asks') continue;
    const q = s.p.replay.question;
    if (q.kind === 'lock') {
      const by = holder(states, q.loc);
      // (a spin_trylock() waiting to succeed could fail instead: no deadlock)
      if (by < 0 || q.attempt) return undefined;
      threads.push({
        thread: t,
        on: q,
        holder: by,
        answers: [...s.p.answers],
        traces: [s.p.replay.trace],
      });
      continue;
    }
    const runs = q.kind === 'read' ? blockedRuns(states, t) : undefined;
    if (!runs) return undefined;
    threads.push({
      thread: t,
      on: q as BlockedThread['on'],
      answers: [...s.p.answers],
      traces: runs.map((r) => r.trace),
    });
  }
  const finished = states.flatMap((s, t) =>
    s.p.replay.kind === 'done'
      ? [{ thread: t, answers: s.p.answers, trace: s.p.replay.trace }]
      : [],
  );
  return { threads, finished };
}
