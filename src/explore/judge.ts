// Judging what the search found (explore.ts): each new combination of finished thread runs,
// as the model's thread traces, through the model's own candidate enumeration
// (src/model/enumerate/candidates.ts forEachCombination: every reads-from and coherence choice,
// per-location coherence, lock.cat's lock events) and its axioms (Model.run) — the same choices
// and checks a litmus test's IR meets. Each accepted execution's writes go to lkmm's guess
// domain; a state where every unfinished thread waits for good is checked as a deadlock.
//
// This module neither searches nor keeps the domain's rounds (explore.ts).

import type { Test, Value } from '../litmus/ir.ts';
import type { Model, ModelResult } from '../model/core/base.ts';
import type { Budget } from '../model/core/budget.ts';
import type { Trace } from '../model/core/events.ts';
import { type Execution, memo } from '../model/core/execution.ts';
import { EventSet, restrict, union } from '../model/core/relation.ts';
import { forEachCombination } from '../model/enumerate/candidates.ts';
import { ShapeCache } from '../model/enumerate/shape.ts';
import type { BlockedThread, FinishedThread } from './deadlocked-state.ts';
import type { Deadlock, ExploreStats, Judged, Program, RejectedVisit } from './exploration.ts';
import type { GuessDomain } from './guess-resolution.ts';
import { marked } from './lock-handover.ts';
import { type Finished, packKey } from './search.ts';

/** The largest combination (events, initial writes included) whose shape is kept for the next. */
const KEPT_SHAPE_EVENTS = 256;

/** What the judge is given: the program, the model, where its counts and findings go. */
export interface JudgeOptions<R> {
  program: Program<R>;
  model: Model;
  /** lkmm: each accepted execution is also judged with every read ordered (Judged.ordered). */
  lkmm: boolean;
  budget: Budget;
  stats: ExploreStats;
  /** lkmm's guesses: fed each accepted execution's writes. */
  domain: GuessDomain;
  visit: (x: Execution, runs: Finished<R>[], judged: Judged) => void;
  rejected?: RejectedVisit<R> | undefined;
}

export class Judge<R> {
  /** Whether a judged run had a plain access (lkmm: explore.ts's second search). */
  plainMet = false;
  /** The combinations judged, by their answers: each is judged once, over every round. */
  private readonly judged = new Set<string>();
  /**
   * The shapes of the combinations judged, shared by them (and what the model derives from a
   * shape alone): combinations differ mostly in values. Not for large ones (a shape's
   * relations are quadratic in its events), nor across a change of the test's locations.
   */
  private shapeCache: { locations: number; cache: ShapeCache } | undefined;
  /** The deadlocked states tried, by every thread's answers (the finished threads' too). */
  private readonly tried = new Set<string>();

  constructor(private readonly o: JudgeOptions<R>) {}

  /** A complete combination from the search: judged unless it was before. */
  combination(runs: Finished<R>[]): void {
    const { program, model, stats } = this.o;
    const key = packKey(runs.flatMap((r) => [r.answers.length, ...r.answers]));
    if (this.judged.has(key)) return;
    this.judged.add(key);
    stats.combinations++;
    const byTrace = new Map<Trace, Finished<R>>();
    const traces: Trace[][] = [];
    for (const [th, run] of runs.entries()) {
      const trace = program.refine ? program.refine(th, run) : run.replay.trace;
      if (!trace) return;
      byTrace.set(trace, run);
      traces.push([trace]);
      this.plainMet ||= trace.events.some((e) => e.dir !== 'F' && !marked(e));
    }
    const test = program.test();
    const shapes = this.keptShapes(test, traces);
    const runsOf = (x: Execution) => x.sk.traces.map((t) => byTrace.get(t)!);
    stats.candidates += forEachCombination(
      test,
      traces,
      this.o.budget,
      (x) => {
        const result = model.run(x);
        if (result.failed) {
          this.o.rejected?.(x, runsOf(x), result);
          return;
        }
        this.accepted(x, runsOf(x), result);
      },
      shapes && { shapes },
    );
  }

  /**
   * A state where every unfinished thread waits for good is a deadlock if the model accepts it
   * with each await's read reading its location's last write (the one it reads forever). Not
   * for a litmus test's code (refine): its IR has no partial traces.
   */
  deadlock(blocked: BlockedThread[], finished: FinishedThread[]): void {
    const { stats, model, program } = this.o;
    if (stats.deadlock) return;
    // (the finished threads' runs are part of the state: with other values read there, the
    // model may accept a candidate it rejected)
    const key = [...blocked, ...finished]
      .map((b) => `${b.thread}:${b.answers.join(',')}`)
      .join('|');
    if (this.tried.has(key)) return;
    this.tried.add(key);
    const perThread: Trace[][] = [];
    for (const f of finished) perThread[f.thread] = [f.trace];
    for (const b of blocked) perThread[b.thread] = b.traces;
    const reads = blocked.filter((b) => b.on.kind === 'read');
    forEachCombination(program.test(), perThread, this.o.budget, (x) => {
      if (model.run(x).failed) return;
      const last = reads.map((b) => readsLast(x, b.thread, b.on.loc));
      if (last.some((r) => r === undefined)) return;
      stats.deadlock = deadlockOf(blocked, finished, reads, last);
      return true;
    });
  }

  private accepted(x: Execution, runs: Finished<R>[], result: ModelResult): void {
    const { stats, model } = this.o;
    stats.executions++;
    this.o.domain.execution(
      x.sk.events.flatMap((e) =>
        e.dir === 'W' && !e.lock && e.thread >= 0
          ? [{ loc: e.loc, value: e.value, thread: e.thread, plain: !marked(e) }]
          : [],
      ),
    );
    const ordered = !this.o.lkmm || !model.run(orderedReads(x)).failed;
    this.o.visit(x, runs, { result, ordered });
  }

  private keptShapes(test: Test, traces: Trace[][]): ShapeCache | undefined {
    let events = test.locations.length;
    for (const [t] of traces) events += t!.events.length;
    if (events > KEPT_SHAPE_EVENTS) return undefined;
    if (this.shapeCache?.locations !== test.locations.length) {
      const spin = test.locations.map((l) => l.type === 'spinlock');
      this.shapeCache = {
        locations: test.locations.length,
        cache: new ShapeCache(test, spin, this.o.budget.check),
      };
    }
    return this.shapeCache.cache;
  }
}

/** The deadlock found: each waiting thread (at an await, the value it reads for good). */
function deadlockOf(
  blocked: BlockedThread[],
  finished: { thread: number }[],
  reads: BlockedThread[],
  last: (Value | undefined)[],
): Deadlock {
  return {
    threads: blocked.map(({ thread, on, answers, holder }) => ({
      thread,
      on,
      answers,
      ...(holder !== undefined && { holder }),
      ...(on.kind === 'read' && { value: last[reads.findIndex((b) => b.thread === thread)] }),
    })),
    finished: finished.map((f) => f.thread),
  };
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

/**
 * The execution with an address and a control dependency from every read to every later event
 * of its thread: what lkmm would see of code whose every later access depends on what it read.
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
    const later = restrict(sk.po, reads, all);
    // An address dependency as well as a control one: lkmm orders a read before a later read
    // only through addr (to-r = addr ; [R]), ctrl only into writes (rwdep).
    return {
      addr: union(sk.addr, later),
      ctrl: union(sk.ctrl, later),
      memo: new Map<string, unknown>(),
    };
  });
  return { ...x, sk: { ...sk, ...ordered } };
}
