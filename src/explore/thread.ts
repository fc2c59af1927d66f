// One thread's code, replayed: run from the start on the exploring memory
// (src/memory/explore.ts) with the answers given so far (the value of each read, then the
// answer to each other question: a trylock's success, need_resched()), up to the first
// question it has no answer for — its frontier — or to its end. loom's way: the code is
// re-run whole each time, nothing is saved between runs, so it must be deterministic given
// its answers (determinism.ts traps the host's clocks and randomness while it runs). What else
// breaks that (state the code keeps between runs) is found by the replays themselves: a replay
// must repeat, event for event, the run of its prefix (the same answers but its last), and ask
// the question that run stopped at where it stopped; and now and then a finished run is run
// twice (ReplayCache). Either refuses the code (replay-check.ts) rather than let the search
// build on two different runs.
//
// A run is cut when it passes the loop bound (Tracer.pass) or MAX_THREAD_EVENTS, and blocked
// at every pass of an await (Tracer.pass with pure: a wait whose failed pass changes nothing but
// what it read — GenMC's spin-assume): the value it read did not let it out, and an execution
// with that failed pass is the one without it plus reads that change nothing, so the search
// lets the thread wait for a write that does (search.ts; docs/explore.md "Loops"). This module
// does not choose answers.

import type { Instr, Value } from '../litmus/ir.ts';
import type { TracedEvent, Tracer } from '../memory/explore.ts';
import type { EventSpec, LocalPair, Trace } from '../model/core/events.ts';
import { NotDeterministic, scenarioRunsSoFar } from './determinism.ts';
import { HELD } from './lock-reads.ts';
import type { Question } from './question.ts';
import { diverged, NOT_DETERMINISTIC, sameEnd, sameEvent, sameQuestion } from './replay-check.ts';

/** Events one thread may perform in one run before the run is cut (a loop with no pass in it). */
export const MAX_THREAD_EVENTS = 2_000;

/** How a run's cells and 64-bit values are named: the exploration's shared view. */
export interface Space {
  loc(cell: number): number;
  loc64(j: number): number;
  /** A location's initial value. */
  init(loc: number): Value;
  /** Whether it is a spinlock (lock.cat's events, judged by the model's lock.ts). */
  isLock(loc: number): boolean;
  wide(v: bigint): Value;
  unwide(id: Value): bigint;
}

export type { Question } from './question.ts';

/** How a replay ended. */
export type Replay<R> =
  | { kind: 'done'; trace: Trace; calls: TracedEvent[]; result: R }
  // No calls: a search keeps the run of each state on its path, and only a finished run's
  // calls are read (--explain); a loop's long runs made that path's memory quadratic.
  | {
      kind: 'asks';
      question: Question;
      trace: Trace;
      /** Its last two passes were the same events with the same values (livelock.ts). */
      repeats?: true;
    }
  | {
      kind: 'cut';
      trace: Trace;
      calls: TracedEvent[];
      /** What cut it: the loop bound (a pass too many) or MAX_THREAD_EVENTS. */
      by: 'loop' | 'events';
      /**
       * Cut at the loop bound with its last pass the same events with the same values as the
       * pass before it: the loop can go round forever as long as memory answers the same (a
       * possible livelock); the repeated events.
       */
      cycle?: TracedEvent[];
    }
  | {
      /**
       * Blocked at an await: its last read returned a value that does not let it out (the
       * trace ends with that read and the wait's events up to its pass). Not an execution to
       * explore; what a deadlock is made of (search.ts).
       */
      kind: 'blocked';
      trace: Trace;
      calls: TracedEvent[];
    };

export interface ReplayOptions {
  thread: number;
  space: Space;
  /** Passes through wait and retry loops (Tracer.pass) a run may make; one more cuts it. */
  loopBound: number;
}

/**
 * Thrown inside a run to stop it; caught by replay. Not an Error: a run stops at every
 * question, and an Error would capture a stack trace each time.
 */
class Stop {
  constructor(
    readonly how: 'asks' | 'cut' | 'blocked',
    readonly question?: Question,
    readonly cycle?: TracedEvent[],
    readonly cutBy: 'loop' | 'events' = 'loop',
  ) {}
}

/** The placeholder an explored event carries where the model keeps the IR instruction. */
const NO_INSTR: Instr = { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } };

/**
 * Run `body` with `answers` (read values and choice indices, in the order asked); `earlier`: a
 * run it must repeat (thread.ts's header).
 */
export function replay<R>(
  body: (t: Tracer) => R,
  answers: readonly number[],
  opts: ReplayOptions,
  earlier?: Replay<R>,
): Replay<R> {
  const run = new Run(answers, opts, earlier);
  let r: Replay<R>;
  try {
    r = { kind: 'done', trace: run.trace, calls: run.calls, result: body(run) };
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const { trace, calls } = run;
    if (e.how === 'blocked') r = { kind: 'blocked', trace, calls };
    else if (e.how === 'cut')
      r = { kind: 'cut', trace, calls, by: e.cutBy, ...(e.cycle && { cycle: e.cycle }) };
    else
      r = { kind: 'asks', question: e.question!, trace, ...(run.repeats() && { repeats: true }) };
  }
  // every answer answers a question an earlier run asked
  if (run.asked !== answers.length)
    throw new NotDeterministic(
      `${NOT_DETERMINISTIC}: replaying ${answers.length} answers, it ${r.kind === 'done' ? 'ended' : `was ${r.kind}`} after asking ${run.asked} questions`,
    );
  if (earlier && earlier.kind !== 'asks') sameEnd(earlier, r);
  return r;
}

/** Distinct prefixes a ReplayCache keeps before it starts afresh (memory, not correctness). */
const CACHED_REPLAYS = 100_000;

/** A node of a ReplayCache: the replay with the answers on the path to it, and those answers. */
interface CacheNode<R> {
  replay?: Replay<R>;
  answers?: readonly number[];
  next?: Map<number, CacheNode<R>>;
}

/**
 * The replays of one search, kept by thread and answers. A search replays the same thread
 * prefix many times: once for every state of the other threads it is combined with (the
 * states are a product of the threads' prefixes). A replay is a function of its answers (the
 * code is deterministic given them, as replay requires), so the first replay of a prefix is
 * every later one's; the search never mutates a replay. The traces being the same objects also
 * lets the model's shape cache and the coherence check (both keyed by trace) reuse their work.
 * Kept in a tree of answers: a lookup allocates nothing, and the answers are one array per
 * replay, which every prefix of the search with those answers shares (prefixes.ts).
 */
export class ReplayCache<R> {
  private roots: CacheNode<R>[] = [];
  private size = 0;
  /** Each thread's finished runs so far (runsTwice). */
  private readonly finished: number[] = [];

  constructor(
    private readonly body: (thread: number, t: Tracer) => R,
    private readonly opts: Omit<ReplayOptions, 'thread'>,
  ) {}

  /**
   * Thread `thread` replayed with `answers` and then `more` (if given), and those answers as
   * one kept array; `fresh` is told of each replay actually run.
   */
  get(
    thread: number,
    answers: readonly number[],
    more?: number,
    fresh?: (r: Replay<R>) => void,
  ): { replay: Replay<R>; answers: readonly number[] } {
    if (this.size >= CACHED_REPLAYS) {
      this.roots = [];
      this.size = 0;
    }
    let node = this.roots[thread];
    if (!node) {
      node = {};
      this.roots[thread] = node;
    }
    let parent: CacheNode<R> | undefined;
    for (let i = 0; i < answers.length + (more === undefined ? 0 : 1); i++) {
      const a = i < answers.length ? answers[i]! : more!;
      node.next ??= new Map();
      let child = node.next.get(a);
      if (!child) {
        child = {};
        node.next.set(a, child);
      }
      parent = node;
      node = child;
    }
    if (node.replay) return node as { replay: Replay<R>; answers: readonly number[] };
    const all = more === undefined ? answers.slice() : [...answers, more];
    const opts = { ...this.opts, thread };
    const run = (t: Tracer) => this.body(thread, t);
    const scenarioRuns = scenarioRunsSoFar();
    // its prefix's run, which it must repeat (one answer fewer: a question asked)
    const r = replay(run, all, opts, parent?.replay?.kind === 'asks' ? parent.replay : undefined);
    // only a scenario's code (run under deterministically()) can keep state between runs: the
    // code compiled from a litmus test cannot, and its searches are many and small
    if (r.kind !== 'asks' && scenarioRunsSoFar() !== scenarioRuns && this.runsTwice(thread))
      replay(run, all, opts, r);
    node.replay = r;
    node.answers = all;
    this.size++;
    fresh?.(r);
    return { replay: r, answers: all };
  }

  /**
   * Whether to run this finished run of `thread` twice: its 1st, 2nd, 4th, 8th… (a few, spread
   * over the search). The prefix check sees nothing after a run's last question: what its
   * code does there with state kept between runs shows only in another run of the same answers.
   */
  private runsTwice(thread: number): boolean {
    const n = (this.finished[thread] ?? 0) + 1;
    this.finished[thread] = n;
    return (n & (n - 1)) === 0;
  }
}

/** Each replayed trace's writes by location (a trace is never changed once replayed). */
const writesByLoc = new WeakMap<Trace, Map<number, number[]>>();

/** The indices of a trace's writes (lock events apart) of `loc`, in program order. */
export function writesIn(trace: Trace, loc: number): readonly number[] {
  let byLoc = writesByLoc.get(trace);
  if (!byLoc) {
    byLoc = new Map();
    for (const [i, e] of trace.events.entries()) {
      if (e.dir !== 'W' || e.lock) continue;
      const list = byLoc.get(e.loc);
      if (list) list.push(i);
      else byLoc.set(e.loc, [i]);
    }
    writesByLoc.set(trace, byLoc);
  }
  return byLoc.get(loc) ?? [];
}

/**
 * Integers as a string key, one character each where they are small: a search keeps one key
 * per state it visited (hundreds of thousands), so their size is the search's memory.
 */
export function packKey(nums: readonly number[]): string {
  let out = '';
  for (const n of nums)
    out +=
      n >= 0 && n < 0xf000
        ? String.fromCharCode(n)
        : String.fromCharCode(0xffff, (n >>> 16) & 0xffff, n & 0xffff);
  return out;
}

/** One run's Tracer: a class, not closures, since a search makes one per state. */
class Run implements Tracer {
  readonly trace: Trace;
  readonly calls: TracedEvent[] = [];
  asked = 0;
  private passes = 0;
  /** Any pass: where the last three were, in `calls` (a repeated pass is a possible livelock). */
  private lastPass = -1;
  private passBefore = -1;
  private passEarlier = -1;
  private readonly space: Space;
  /** The events this run must repeat (an earlier run's: replay), none if none. */
  private readonly repeat: readonly EventSpec[];
  /** Whether the earlier run ended (a run run twice): no event may follow its events. */
  private readonly whole: boolean;
  /** The earlier run's question, asked as question `askedAt` (its answers' count), or -1. */
  private readonly question: Question | undefined;
  private readonly askedAt: number;

  constructor(
    private readonly answers: readonly number[],
    private readonly opts: ReplayOptions,
    earlier: Replay<unknown> | undefined,
  ) {
    this.space = opts.space;
    this.repeat = earlier?.trace.events ?? [];
    this.whole = earlier !== undefined && earlier.kind !== 'asks';
    this.question = earlier?.kind === 'asks' ? earlier.question : undefined;
    this.askedAt = earlier?.kind === 'asks' ? answers.length - 1 : -1;
    this.trace = {
      thread: opts.thread,
      events: [],
      regs: new Map(),
      addr: [],
      data: [],
      ctrl: [],
      rmw: [],
    };
  }

  private answer(q: Question): number {
    if (this.asked === this.askedAt)
      sameQuestion(this.question!, q, this.trace.events.length, this.repeat.length);
    if (this.asked < this.answers.length) return this.answers[this.asked++]!;
    throw new Stop('asks', q);
  }

  loc(cell: number): number {
    return this.space.loc(cell);
  }

  loc64(j: number): number {
    return this.space.loc64(j);
  }

  value(loc: number): number {
    return this.answer({ kind: 'read', loc });
  }

  held(loc: number): boolean {
    return this.answer({ kind: 'read', loc, lock: true }) === HELD;
  }

  choose(n: number, what: string): number {
    const a = this.answer({ kind: 'choice', n, what });
    if (a >= n)
      throw new NotDeterministic(
        `${NOT_DETERMINISTIC}: replaying its answers, ${what} had ${n} answers where an earlier run had more`,
      );
    return a;
  }

  emit(e: TracedEvent): number {
    if (this.calls.length >= MAX_THREAD_EVENTS)
      throw new Stop('cut', undefined, undefined, 'events');
    const i = this.trace.events.length;
    if (i < this.repeat.length ? !sameEvent(this.repeat[i]!, e) : this.whole)
      diverged(i, e, this.repeat[i]);
    this.calls.push(e);
    const spec: EventSpec = {
      dir: e.dir,
      loc: e.loc,
      value: e.value,
      annot: e.annot,
      instr: NO_INSTR,
    };
    if (e.lock) spec.lock = e.lock;
    if (e.rmw) spec.rmw = e.rmw;
    if (e.srcu !== undefined) spec.srcu = e.srcu;
    if (e.gp !== undefined) spec.gp = e.gp;
    this.trace.events.push(spec);
    return this.trace.events.length - 1;
  }

  pair(r: number, w: number, data: boolean): void {
    this.trace.rmw.push([r, w] as LocalPair);
    if (data) this.trace.data.push([r, w] as LocalPair);
  }

  pass(_what: string, pure?: boolean): void {
    if (pure) throw new Stop('blocked');
    const calls = this.calls;
    if (++this.passes > this.opts.loopBound) {
      const repeats =
        this.passBefore >= 0 &&
        calls.length > this.lastPass &&
        sameSegment(calls, this.passBefore, this.lastPass, calls.length);
      throw new Stop('cut', undefined, repeats ? calls.slice(this.lastPass) : undefined);
    }
    this.passEarlier = this.passBefore;
    this.passBefore = this.lastPass;
    this.lastPass = calls.length;
  }

  /** Whether its last two whole passes were the same events with the same values. */
  repeats(): boolean {
    return (
      this.lastPass > this.passBefore &&
      sameSegment(this.calls, this.passEarlier, this.passBefore, this.lastPass)
    );
  }

  lock(loc: number, attempt?: true): void {
    this.answer({ kind: 'lock', loc, ...(attempt && { attempt }) });
  }

  wide(v: bigint): number {
    return this.space.wide(v);
  }

  unwide(id: number): bigint {
    return this.space.unwide(id);
  }
}

/** Whether calls[a..b) and calls[b..c) are the same events with the same values. */
function sameSegment(calls: TracedEvent[], a: number, b: number, c: number): boolean {
  if (a < 0 || b - a !== c - b) return false;
  for (let i = 0; i < b - a; i++) {
    const x = calls[a + i]!;
    const y = calls[b + i]!;
    if (x.op !== y.op || x.loc !== y.loc || x.value !== y.value || x.dir !== y.dir) return false;
  }
  return true;
}
