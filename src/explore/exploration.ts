// What an exploration is given and what it gives (explore.ts runs it): the program (threads of
// code over a Test's locations), the options, the counts behind an answer's qualifier, a
// deadlock, what the model says of an accepted execution. Declarations only.

import type { Test, Value } from '../litmus/ir.ts';
import type { TracedEvent, Tracer } from '../memory/explore.ts';
import type { ModelName, ModelResult } from '../model/core/base.ts';
import type { Budget } from '../model/core/budget.ts';
import type { Trace } from '../model/core/events.ts';
import type { Execution } from '../model/core/execution.ts';
import type { BlockedThread } from './deadlocked-state.ts';
import type { GuessDomain } from './guess-resolution.ts';
import type { Finished } from './search.ts';
import type { Space } from './thread.ts';

/** Rounds of lkmm's guesses before the answer is called bounded. */
export const MAX_GUESS_ROUNDS = 8;

/** A program the explorer can run: threads of code over a Test's locations. */
export interface Program<R> {
  /**
   * The Test the model reads the locations (name, type, init) of; asked for after the threads
   * of a combination have run, since code may name its locations as it touches them.
   */
  test(): Test;
  threads: number;
  /** Run thread `thread` once on a memory built over `t`; what it returns is kept with the trace. */
  run(thread: number, t: Tracer): R;
  space: Space;
  /**
   * Turn a finished run into the trace the model judges (a litmus test's: its IR trace);
   * undefined: no trace of the model's, the combination has no candidate.
   */
  refine?(thread: number, run: Finished<R>): Trace | undefined;
  /**
   * Whether the code may make a plain access, known before it runs (a litmus test: its IR's
   * traces; a scenario: its source names a plain accessor of the kernel API, plain-access.ts);
   * undefined: only the runs judged tell. lkmm: a load-buffering cycle through a plain access
   * is no cycle of happens-before, so the prunings that assume every access marked are left
   * out (docs/explore.md "lkmm's load buffering: guesses").
   */
  plain?: boolean;
  /**
   * lkmm: every write each thread's code can make, known before it runs (a litmus test: its
   * IR's, static-guesses.ts): where the code may make a plain access, the guesses come from it
   * instead of from the accepted executions, which a cycle through a plain access leaves short.
   */
  writes?: GuessDomain;
}

export interface ExploreOptions {
  model: ModelName;
  budget: Budget;
  loopBound?: number;
  /** Set by explore: the share of the search done so far (0..1). */
  progress?: { share: () => number };
  /** lkmm: guesses one search path may make (guess-resolution.ts MAX_GUESSES; Infinity: no cap). */
  maxGuesses?: number;
  /** lkmm: false prunes no guess (search.ts guessPruning): a test's reference. */
  guessPruning?: boolean;
  /**
   * Where to keep the counts as they grow (explore returns the same object): a caller whose
   * budget stops the search still has them.
   */
  stats?: ExploreStats;
}

/** Each candidate execution the model rejects, with the runs that make it (--explain of a never). */
export type RejectedVisit<R> = (x: Execution, runs: Finished<R>[], result: ModelResult) => void;

/** How an exploration went: the counts behind its qualifier. */
export interface ExploreStats {
  /** Executions the model accepted. */
  executions: number;
  /** Combinations of thread runs judged (each with every rf/co choice). */
  combinations: number;
  /** Candidate executions judged. */
  candidates: number;
  /** Search paths cut at the loop bound (0: nothing bounded). */
  cut: number;
  /** Search paths cut at MAX_THREAD_EVENTS, a run with no pass that long (thread.ts). */
  eventsCut: number;
  /** lkmm: in the last round, some path needed more guesses than allowed (bounded). */
  guessesCut: boolean;
  /**
   * lkmm: MAX_GUESS_ROUNDS ran and accepted executions still wrote values not guessed yet
   * (bounded: a value first written in the last round was never guessed).
   */
  roundsCut: boolean;
  /** Search states visited, over all rounds. */
  states: number;
  /** Rounds of the search run, over every search (lkmm's guesses may need more than one). */
  rounds: number;
  /**
   * lkmm: states of the search the answer rests on where every unfinished thread waited and a
   * read guessed (or had no value to guess): a path that needs no guess meets none.
   */
  guessStates: number;
  /**
   * lkmm: the answer holds races aside — the guesses came from the accepted executions, the code
   * may make a plain access and the search met a state where a read guessed, so an execution
   * whose load-buffering cycle passes through a plain access (a data race) and writes a value
   * only that cycle writes may be missed (docs/explore.md "Races aside").
   */
  racesAside: boolean;
  /** A run the model judged made a plain access. */
  plainMet: boolean;
  /** A loop cut while going round and the others unable to break it (livelock.ts): possible livelock. */
  livelock?: { thread: number; cycle: TracedEvent[] };
  /** The first execution found in which every unfinished thread waits for good (search.ts). */
  deadlock?: Deadlock;
  elapsedMs: number;
}

/**
 * A deadlock: a partial execution the model accepts in which every thread that has not finished
 * waits for good — at a lock another of them holds, or at an await whose read returns the last
 * value of its location in coherence order, which does not let it out.
 */
export interface Deadlock {
  /**
   * The waiting threads: where (their answers replay them to it) and on what; at an await, the
   * value it reads for good.
   */
  threads: (Pick<BlockedThread, 'thread' | 'on' | 'answers' | 'holder'> & { value?: Value })[];
  /** The threads that finished. */
  finished: number[];
}

/** What the model says of one accepted execution. */
export interface Judged {
  result: ModelResult;
  /**
   * lkmm: whether it is also accepted with every read ordered before every later access of
   * its thread (as if each had a dependency to them); sc and tso: always.
   */
  ordered: boolean;
}

/** Counts before anything is explored. */
export function emptyStats(): ExploreStats {
  return {
    executions: 0,
    combinations: 0,
    candidates: 0,
    cut: 0,
    eventsCut: 0,
    guessesCut: false,
    roundsCut: false,
    states: 0,
    rounds: 0,
    guessStates: 0,
    racesAside: false,
    plainMet: false,
    elapsedMs: 0,
  };
}
