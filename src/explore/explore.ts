// The explorer's core: every execution of a program whose threads are code, under a model.
//
//   1. search.ts: every combination of thread runs (each thread's code replayed on the
//      exploring memory, thread.ts) in which each read returns a value some write stores;
//   2. judge.ts: each new combination through the model's own candidate enumeration and axioms,
//      the same choices and checks a litmus test's IR meets.
//
// Under lkmm the search runs in rounds: a read that waits for a value only a later write of
// a cycle gives guesses among the values its location may be written with (guesses.ts: those
// written in the executions accepted so far, never a value only a wrong guess produced, which
// would count up without end; static-guesses.ts: every write a litmus test's IR can make,
// where a plain access makes the first incomplete); a round that was answered from fewer values
// than it ended with is followed by another, until none is (MAX_GUESS_ROUNDS, or the answer is
// bounded). docs/explore.md argues completeness and soundness. This module does not know
// scenarios or litmus tests: a Program says how to run one thread's code on a Tracer.

import type { ModelName } from '../model/core/base.ts';
import type { Execution } from '../model/core/execution.ts';
import { MODEL_TABLE } from '../model/models/registry.ts';
import {
  type ExploreOptions,
  type ExploreStats,
  emptyStats,
  type Judged,
  MAX_GUESS_ROUNDS,
  type Program,
  type RejectedVisit,
} from './exploration.ts';
import type { GuessDomain } from './guess-resolution.ts';
import { KeptGuesses, SeenWrites } from './guesses.ts';
import { Judge } from './judge.ts';
import { DEFAULT_LOOP_BOUND } from './loop-bound.ts';
import { PartialCheck } from './partial.ts';
import { Rounds } from './rounds.ts';
import { type Finished, type SearchOptions, search } from './search.ts';

// (what callers of explore() name: the program, options, stats)
export * from './exploration.ts';
export { orderedReads } from './judge.ts';

/** Every execution the model accepts, given to `visit` with the runs that make it. */
export function explore<R>(
  program: Program<R>,
  opts: ExploreOptions,
  visit: (x: Execution, runs: Finished<R>[], judged: Judged) => void,
  rejected?: RejectedVisit<R>,
): ExploreStats {
  const start = performance.now();
  const model = MODEL_TABLE[opts.model];
  const lkmm = opts.model === 'lkmm';
  const stats: ExploreStats = opts.stats ?? emptyStats();
  // lkmm's guesses: every write the code can make, where that is known and a plain access
  // makes the accepted executions' writes short (a litmus test); else those writes.
  const known = lkmm && program.plain === true ? program.writes : undefined;
  const domain = known ?? new KeptGuesses(new SeenWrites());
  const judge = new Judge({
    program,
    model,
    lkmm,
    budget: opts.budget,
    stats,
    domain,
    visit,
    rejected,
  });
  const searching: Searching<R> = {
    program,
    opts,
    stats,
    judge,
    domain,
    partial: partialCheck(program, opts.model, opts, rejected !== undefined),
  };
  // lkmm: writes left and the fewest-values choice assume every access marked, or a complete
  // domain (docs/explore.md "lkmm's load buffering: guesses"): a program that may make a plain
  // access is searched without them — at once where that is known before, else a second time
  // once a judged run made one (a combination judged already is not judged again, so nothing
  // is counted twice).
  const marked = !lkmm || known !== undefined || program.plain !== true;
  let last = searchRounds(searching, marked);
  if (lkmm && marked && !known && judge.plainMet && opts.guessPruning !== false)
    last = searchRounds(searching, false);
  stats.guessStates = last.guessStates;
  stats.plainMet = judge.plainMet;
  // Races aside: docs/explore.md. A domain known before the search misses nothing; one learnt
  // misses only through a cycle of a plain access, and only below a state where a read guessed.
  stats.racesAside =
    lkmm && !known && (program.plain === true || judge.plainMet) && last.guessStates > 0;
  stats.elapsedMs = performance.now() - start;
  return stats;
}

/** What one search of an exploration needs (explore's own, shared by its searches). */
interface Searching<R> {
  program: Program<R>;
  opts: ExploreOptions;
  stats: ExploreStats;
  judge: Judge<R>;
  domain: GuessDomain;
  partial: PartialCheck;
}

/**
 * Each search state checked as the part of its completions (partial.ts): coherence, and the
 * model's monotone axioms where that pays — under sc and tso (pf-invalidate-race full-check:
 * 26,009 → 3,454 states, 5 times less CPU). Not under lkmm, whose check costs far more than a
 * state: on pf-invalidate-race no-check it cut 214,642 states to 135,983 for 4 times the CPU
 * (most states are below a guess, a read with no reads-from edge yet). Nor when the candidates
 * the model rejects are asked for (--explain of a never: they would be pruned before being
 * judged).
 */
function partialCheck<R>(
  program: Program<R>,
  name: ModelName,
  opts: ExploreOptions,
  keepRejected: boolean,
): PartialCheck {
  const model = MODEL_TABLE[name];
  const broken = !keepRejected && name !== 'lkmm' ? model.broken : undefined;
  return new PartialCheck(
    () => program.test(),
    broken && ((x) => broken.call(model, x)),
    opts.budget.tick,
  );
}

/**
 * One search, in rounds under lkmm (until no answer the domain gave would differ with the
 * domain the round ended with); its counts added to the exploration's. `marked`: the prunings
 * whose argument needs every access marked (or a complete domain) are kept. Returns the
 * search's own count of states where a read guessed.
 */
function searchRounds<R>(s: Searching<R>, marked: boolean): { guessStates: number } {
  const { program, opts, stats, judge, domain } = s;
  const lkmm = opts.model === 'lkmm';
  // sc and tso: which threads write which locations, learnt from every run: a read waits for a
  // later write only where another unfinished thread may make one. A wait refused at a
  // location whose writer is learnt later in the round makes the round run again. Not under
  // lkmm: there a write may come only after a guess that itself needs a wait (a cycle), and a
  // refused wait would hide it for good (a generated test, gen-74, lost states that way).
  const writers = new Set<string>();
  let deniedAt = new Set<number>();
  let learntLate = false;
  const writes = {
    may: (u: number, loc: number) => writers.has(`${u}:${loc}`),
    learn: (u: number, loc: number) => {
      const key = `${u}:${loc}`;
      if (writers.has(key)) return;
      writers.add(key);
      if (deniedAt.has(loc)) learntLate = true;
    },
    denied: (loc: number) => deniedAt.add(loc),
  };
  // lkmm: a round after the first searches only what its grown domain adds (rounds.ts Rounds)
  const rounds = lkmm ? new Rounds<R>() : undefined;
  const options: SearchOptions<R> = {
    threads: program.threads,
    body: (th, t) => program.run(th, t),
    space: program.space,
    loopBound: opts.loopBound ?? DEFAULT_LOOP_BOUND,
    ...(lkmm && { guesses: domain }),
    ...(opts.maxGuesses !== undefined && { maxGuesses: opts.maxGuesses }),
    ...(opts.guessPruning === false && { guessPruning: false }),
    ...(!marked && { allMarked: false }),
    ...(!lkmm && { writes }),
    ...(rounds && { rounds }),
    admits: (threads, m, step) => s.partial.admits(threads, m, step),
    tick: opts.budget.tick,
    ...(opts.progress && { progress: opts.progress }),
    ...(!program.refine && { onDeadlock: (b, f) => judge.deadlock(b, f) }),
    onLivelock: (l) => {
      stats.livelock ??= l;
    },
    // no clock read here, once per state: a stopped search's time is ModelStopped's
    onState: () => {
      stats.states++;
    },
  };
  const statesBefore = stats.states;
  let searched = 0;
  let guessStates = 0;
  for (let round = 0; ; round++) {
    learntLate = false;
    deniedAt = new Set();
    const found = search(options, (runs) => judge.combination(runs));
    const grew = domain.nextRound();
    stats.rounds++;
    searched += found.states;
    guessStates += found.guessStates;
    stats.states = statesBefore + searched;
    // the rounds' searches together are lkmm's answer; elsewhere the last round alone is
    stats.cut = rounds ? stats.cut + found.cut : found.cut;
    stats.eventsCut = rounds ? stats.eventsCut + found.eventsCut : found.eventsCut;
    stats.guessesCut = (rounds !== undefined && stats.guessesCut) || found.guessesCut > 0;
    // The last round's search is the answer: it guessed every value any round saw written.
    if (!learntLate && (!lkmm || !grew)) break;
    if (round + 1 >= MAX_GUESS_ROUNDS) {
      stats.roundsCut = true;
      break;
    }
  }
  return { guessStates };
}
