// The explorer's core: every execution of a program whose threads are code, under a model.
//
//   1. search.ts: every combination of thread runs (each thread's code replayed on the
//      exploring memory, thread.ts) in which each read returns a value some write stores;
//   2. each new combination, as the model's thread traces, through the model's own candidate
//      enumeration (src/model/enumerate/candidates.ts forEachCombination: every reads-from and coherence
//      choice, per-location coherence, lock.cat's lock events) and its axioms (Model.run):
//      the same choices and checks a litmus test's IR meets.
//
// Under lkmm the search runs in rounds: a read that waits for a value only a later write of
// a cycle gives guesses among the values written at its location in the executions accepted
// so far (never a value only a wrong guess produced: that would count up without end,
// guesses.ts); a round that was answered from fewer values than it ended with is followed by
// another, until none is (MAX_GUESS_ROUNDS, or the answer is bounded). docs/explore.md argues
// completeness and soundness. This module does not know scenarios or litmus tests: a Program
// says how to run one thread's code on a Tracer.

import type { Test, Value } from '../litmus/ir.ts';
import type { TracedEvent, Tracer } from '../memory/explore.ts';
import type { ModelName, ModelResult } from '../model/core/base.ts';
import type { Budget } from '../model/core/budget.ts';
import type { Trace } from '../model/core/events.ts';
import { type Execution, memo } from '../model/core/execution.ts';
import { EventSet, restrict, union } from '../model/core/relation.ts';
import { forEachCombination } from '../model/enumerate/candidates.ts';
import { ShapeCache } from '../model/enumerate/shape.ts';
import { MODEL_TABLE } from '../model/models/registry.ts';
import type { BlockedThread } from './deadlocked-state.ts';
import type { Guesses } from './guess-resolution.ts';
import { SeenWrites } from './guesses.ts';
import { marked } from './lock-handover.ts';
import { DEFAULT_LOOP_BOUND } from './loop-bound.ts';
import { PartialCheck } from './partial.ts';
import { Rounds } from './rounds.ts';
import { type Finished, packKey, search } from './search.ts';
import type { Space } from './thread.ts';

/** The largest combination (events, initial writes included) whose shape is kept for the next. */
const KEPT_SHAPE_EVENTS = 256;

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
  /** lkmm: in the last round, some path needed more guesses than allowed (bounded). */
  guessesCut: boolean;
  /**
   * lkmm: MAX_GUESS_ROUNDS ran and accepted executions still wrote values not guessed yet
   * (bounded: a value first written in the last round was never guessed).
   */
  roundsCut: boolean;
  /** Search states visited, over all rounds. */
  states: number;
  /** Rounds of the search run (lkmm's guesses may need more than one). */
  rounds: number;
  /** A thread whose loop was cut while repeating itself exactly (search.ts): possible livelock. */
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

/** Every execution the model accepts, given to `visit` with the runs that make it. */
export function explore<R>(
  program: Program<R>,
  opts: ExploreOptions,
  visit: (x: Execution, runs: Finished<R>[], judged: Judged) => void,
  rejected?: RejectedVisit<R>,
): ExploreStats {
  const start = performance.now();
  const model = MODEL_TABLE[opts.model];
  // lkmm's guesses: the values written in accepted executions, by which threads (guesses.ts).
  const seen = new KeptGuesses(new SeenWrites());
  const judged = new Set<string>();
  // The shapes of the combinations judged, shared by them (and what the model derives from a
  // shape alone): combinations differ mostly in values. Not for large ones (a shape's
  // relations are quadratic in its events), nor across a change of the test's locations.
  let shapeCache: { locations: number; cache: ShapeCache } | undefined;
  const keptShapes = (test: Test, traces: Trace[][]) => {
    let events = test.locations.length;
    for (const [t] of traces) events += t!.events.length;
    if (events > KEPT_SHAPE_EVENTS) return undefined;
    if (shapeCache?.locations !== test.locations.length) {
      const spin = test.locations.map((l) => l.type === 'spinlock');
      shapeCache = {
        locations: test.locations.length,
        cache: new ShapeCache(test, spin, opts.budget.check),
      };
    }
    return shapeCache.cache;
  };
  const stats: ExploreStats = opts.stats ?? emptyStats();
  const judge = (runs: Finished<R>[]) => {
    const key = packKey(runs.flatMap((r) => [r.answers.length, ...r.answers]));
    if (judged.has(key)) return;
    judged.add(key);
    stats.combinations++;
    const byTrace = new Map<Trace, Finished<R>>();
    const traces: Trace[][] = [];
    for (const [th, run] of runs.entries()) {
      const trace = program.refine ? program.refine(th, run) : run.replay.trace;
      if (!trace) return;
      byTrace.set(trace, run);
      traces.push([trace]);
      plainMet ||= trace.events.some((e) => e.dir !== 'F' && !marked(e));
    }
    const test = program.test();
    const shapes = keptShapes(test, traces);
    stats.candidates += forEachCombination(
      test,
      traces,
      opts.budget,
      (x) => {
        const result = model.run(x);
        if (result.failed) {
          rejected?.(
            x,
            x.sk.traces.map((t) => byTrace.get(t)!),
            result,
          );
          return;
        }
        stats.executions++;
        seen.execution(
          x.sk.events.flatMap((e) =>
            e.dir === 'W' && !e.lock && e.thread >= 0
              ? [{ loc: e.loc, value: e.value, thread: e.thread, plain: !marked(e) }]
              : [],
          ),
        );
        const ordered = opts.model !== 'lkmm' || !model.run(orderedReads(x)).failed;
        visit(
          x,
          x.sk.traces.map((t) => byTrace.get(t)!),
          { result, ordered },
        );
      },
      shapes && { shapes },
    );
  };
  // A state where every unfinished thread waits for good is a deadlock if the model accepts
  // it with each await's read reading its location's last write (the one it reads forever).
  // Not for a litmus test's code (refine): its IR has no partial traces.
  const tried = new Set<string>();
  const onDeadlock = (blocked: BlockedThread[], finished: { thread: number; trace: Trace }[]) => {
    if (stats.deadlock) return;
    const key = blocked.map((b) => `${b.thread}:${b.answers.join(',')}`).join('|');
    if (tried.has(key)) return;
    tried.add(key);
    const perThread: Trace[][] = [];
    for (const f of finished) perThread[f.thread] = [f.trace];
    for (const b of blocked) perThread[b.thread] = b.traces;
    const reads = blocked.filter((b) => b.on.kind === 'read');
    forEachCombination(program.test(), perThread, opts.budget, (x) => {
      if (model.run(x).failed) return;
      const last = reads.map((b) => readsLast(x, b.thread, b.on.loc));
      if (last.some((r) => r === undefined)) return;
      stats.deadlock = {
        threads: blocked.map(({ thread, on, answers, holder }) => ({
          thread,
          on,
          answers,
          ...(holder !== undefined && { holder }),
          ...(on.kind === 'read' && { value: last[reads.findIndex((b) => b.thread === thread)] }),
        })),
        finished: finished.map((f) => f.thread),
      };
      return true;
    });
  };
  const lkmm = opts.model === 'lkmm';
  // sc and tso: which threads write which locations, learnt from every run: a read waits for a
  // later write only where another unfinished thread may make one. A wait refused at a
  // location whose writer is learnt later in the round makes the round run again. Not under
  // lkmm: there a write may come only after a guess that itself needs a wait (a cycle), and a
  // refused wait would hide it for good (a generated test, gen-74, lost states that way).
  const writers = new Set<string>();
  let deniedAt = new Set<number>();
  let learntLate = false;
  // lkmm: whether a judged run has a plain access (then a second search: below)
  let plainMet = false;
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
  // Each search state checked as the part of its completions (partial.ts): coherence, and the
  // model's monotone axioms where that pays — under sc and tso (pf-invalidate-race full-check:
  // 26,009 → 3,454 states, 5 times less CPU). Not under lkmm, whose check costs far more
  // than a state: on pf-invalidate-race no-check it cut 214,642 states to 135,983 for 4 times
  // the CPU (most states are below a guess, a read with no reads-from edge yet). Nor
  // when the candidates the model rejects are asked for (--explain of a never: they would be
  // pruned before being judged).
  const prunes = !rejected && opts.model !== 'lkmm';
  const broken = prunes ? model.broken : undefined;
  const partial = new PartialCheck(
    () => program.test(),
    broken && ((x) => broken.call(model, x)),
    opts.budget.tick,
  );
  let statesBefore = 0;
  const searchRounds = (allMarked: boolean) => {
    // lkmm: a round after the first searches only what its grown domain adds (rounds.ts Rounds)
    const rounds = lkmm ? new Rounds<R>() : undefined;
    for (let round = 0; ; round++) {
      learntLate = false;
      deniedAt = new Set();
      const s = search(
        {
          threads: program.threads,
          body: (th, t) => program.run(th, t),
          space: program.space,
          loopBound: opts.loopBound ?? DEFAULT_LOOP_BOUND,
          ...(lkmm && { guesses: seen }),
          ...(opts.maxGuesses !== undefined && { maxGuesses: opts.maxGuesses }),
          ...(opts.guessPruning === false && { guessPruning: false }),
          ...(!allMarked && { allMarked: false }),
          ...(!lkmm && { writes }),
          ...(rounds && { rounds }),
          admits: (threads, m, step) => partial.admits(threads, m, step),
          tick: opts.budget.tick,
          ...(opts.progress && { progress: opts.progress }),
          ...(!program.refine && { onDeadlock }),
          onLivelock: (l) => {
            stats.livelock ??= l;
          },
          // no clock read here, once per state: a stopped search's time is ModelStopped's
          onState: () => {
            stats.states++;
          },
        },
        judge,
      );
      const grew = seen.nextRound();
      stats.rounds = round + 1;
      statesBefore += s.states;
      stats.states = statesBefore;
      // the rounds' searches together are lkmm's answer; elsewhere the last round alone is
      stats.cut = rounds ? stats.cut + s.cut : s.cut;
      stats.guessesCut = (rounds !== undefined && stats.guessesCut) || s.guessesCut > 0;
      // The last round's search is the answer: it guessed every value any round saw written.
      if (!learntLate && (!lkmm || !grew)) break;
      if (round + 1 >= MAX_GUESS_ROUNDS) {
        stats.roundsCut = true;
        break;
      }
    }
  };
  searchRounds(true);
  // lkmm, a plain access met in a run: writes left and the fewest-values choice assume every
  // access marked (a load-buffering cycle through a plain access is no hb cycle: docs/explore.md
  // "Known gap"), so search again without them. A combination judged already is not judged
  // again, so nothing is counted twice.
  if (lkmm && plainMet && opts.guessPruning !== false) searchRounds(false);
  stats.elapsedMs = performance.now() - start;
  return stats;
}

/** times()'s key for writes of any value (no value is NaN). */
const ALL = Number.NaN;

/**
 * lkmm's guess domain (guesses.ts) as the search asks it: each answer kept until the domain may
 * have changed — an accepted execution's writes added, or a new round (whose questions must be
 * noted again) — since the search asks the same few questions at most of its states.
 */
class KeptGuesses implements Guesses {
  /** values(), by location and the writers as a bit mask. */
  private readonly values_ = new Map<number, readonly Value[]>();
  /** writes(), by location, then value and thread. */
  private readonly writes_ = new Map<number, Map<number, boolean>>();
  /** plain() and times(), by location, then value (ALL: times() of any value) and thread. */
  private readonly plain_ = new Map<number, Map<Value, Map<number, boolean>>>();
  private readonly times_ = new Map<number, Map<Value, Map<number, number>>>();

  constructor(private readonly seen: SeenWrites) {}

  /** Only what the domain did not have changes its answers (most executions repeat it). */
  execution(writes: Parameters<SeenWrites['execution']>[0]): void {
    if (this.seen.execution(writes)) this.forget();
  }

  nextRound(): boolean {
    this.forget();
    return this.seen.nextRound();
  }

  values(loc: number, writers: readonly number[]): readonly Value[] {
    let mask = 0;
    for (const u of writers) mask += u < 30 ? 2 ** u : Number.NaN;
    if (Number.isNaN(mask)) return this.seen.values(loc, writers);
    const key = loc * 2 ** 30 + mask;
    let out = this.values_.get(key);
    if (!out) {
      out = this.seen.values(loc, writers);
      this.values_.set(key, out);
    }
    return out;
  }

  writes(u: number, loc: number, value: Value): boolean {
    if (u >= 64) return this.seen.writes(u, loc, value);
    let byValue = this.writes_.get(loc);
    if (!byValue) {
      byValue = new Map();
      this.writes_.set(loc, byValue);
    }
    const key = value * 64 + u;
    let out = byValue.get(key);
    if (out === undefined) {
      out = this.seen.writes(u, loc, value);
      byValue.set(key, out);
    }
    return out;
  }

  plain(u: number, loc: number, value: Value): boolean {
    return this.kept(this.plain_, u, loc, value, () => this.seen.plain(u, loc, value));
  }

  times(u: number, loc: number, value?: Value): number {
    return this.kept(this.times_, u, loc, value ?? ALL, () => this.seen.times(u, loc, value));
  }

  /** An answer by location, then value and thread (asked of the domain once, then kept). */
  private kept<T>(
    table: Map<number, Map<Value, Map<number, T>>>,
    u: number,
    loc: number,
    value: Value | typeof ALL,
    ask: () => T,
  ): T {
    let byValue = table.get(loc);
    if (!byValue) {
      byValue = new Map();
      table.set(loc, byValue);
    }
    let byThread = byValue.get(value);
    if (!byThread) {
      byThread = new Map();
      byValue.set(value, byThread);
    }
    let out = byThread.get(u);
    if (out === undefined) {
      out = ask();
      byThread.set(u, out);
    }
    return out;
  }

  private forget(): void {
    this.values_.clear();
    this.writes_.clear();
    this.plain_.clear();
    this.times_.clear();
  }
}

/**
 * The value thread `thread`'s last read of `loc` reads when that is the last write of `loc` in
 * coherence order (what an await reads for good once every write is done), else undefined.
 */
function readsLast(x: Execution, thread: number, loc: number): Value | undefined {
  const sk = x.sk;
  let read = -1;
  for (const e of sk.events) if (e.thread === thread && e.dir === 'R' && e.loc === loc) read = e.id;
  const order = x.coOrder[loc] ?? [];
  const last = order[order.length - 1] ?? sk.init[loc]!;
  return read >= 0 && x.rf.has(last, read) ? sk.events[read]!.value : undefined;
}

/** Counts before anything is explored. */
export function emptyStats(): ExploreStats {
  return {
    executions: 0,
    combinations: 0,
    candidates: 0,
    cut: 0,
    guessesCut: false,
    roundsCut: false,
    states: 0,
    rounds: 0,
    elapsedMs: 0,
  };
}

/**
 * The execution with a control dependency from every read to every later event of its
 * thread: what lkmm would see of code whose every later access depends on what it read.
 */
export function orderedReads(x: Execution): Execution {
  const sk = x.sk;
  // Kept on the skeleton (the shape: po and which events are reads decide it), with a memo of
  // its own that the ordered runs of one shape share: a fresh memo per run made each run
  // derive the shape's relations again (pf-invalidate-race full-check: 144 of its 224 first
  // runs of a shape, each some six times a run that finds them made).
  const ordered = memo(sk, 'explore:ordered-reads', () => {
    const reads = EventSet.where(
      sk.n,
      (i) => sk.events[i]!.dir === 'R' && sk.events[i]!.thread >= 0,
    );
    const all = EventSet.where(sk.n, () => true);
    return { ctrl: union(sk.ctrl, restrict(sk.po, reads, all)), memo: new Map<string, unknown>() };
  });
  return { ...x, sk: { ...sk, ...ordered } };
}
