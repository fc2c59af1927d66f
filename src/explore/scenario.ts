// A program scenario on the explorer: one variant's threads, run on the exploring memory as
// its model instance (Scenario.model), every execution judged by a model, each outcome of the
// scenario's table answered `reachable` (with an execution that reaches it) or `never`, and how
// far that holds (exhaustive, within the loop bound, or as far as the budget went).
//
// What the kernel API's time and scheduling become here (CpuContext.time): ktime_get_ns() is an
// explored gap since the CPU's previous read, a moment or past any deadline (clock.ts; a never
// of a variant whose code read it holds "clock aside"); ndelay() moves that clock on at once;
// cpu.stamp(), the lab's clock for latencies, is 0 (no choice); need_resched(), and cond_resched() which asks it, are explored choices (no, then
// yes), and a yes stays until cond_resched() schedules (TIF_NEED_RESCHED); cpu_relax(), cond_resched() and a read_seqcount_retry() that says retry are passes of
// a loop, counted against the loop bound; kthread_should_stop() is an explored choice (kthread_stop()
// may come at any call) until it said false ModelInstance.iterations times (default 1), then
// true, and the answer holds within that bound (Extent.stops); spin_is_contended() is an explored choice (src/memory/explore.ts).
// prandom_u32_state() is the kernel's deterministic generator and needs nothing.
//
// This module answers one variant under one model; the backend (src/backends/model.ts) loops
// over variants and models, and report/ prints.

import { UserError } from '../errors.ts';
import { bindCpu, type Cpu, type CpuContext } from '../kernel/cpu.ts';
import { bindMemory } from '../kernel/memory.ts';
import type { Results, Scenario, ThreadResult } from '../kernel/scenario.ts';
import type { Value } from '../litmus/ir.ts';
import { exploringOps, exploringOps64, type Tracer, type Weakening } from '../memory/explore.ts';
import type { ModelName, ModelResult } from '../model/core/base.ts';
import { Budget, ModelStopped, type StopFlag } from '../model/core/budget.ts';
import { type Execution, finalValues, finalWrites } from '../model/core/execution.ts';
import type { Relation } from '../model/core/relation.ts';
import { MODEL_TABLE } from '../model/models/registry.ts';
import { callSite } from './call-site.ts';
import { ExploredClock } from './clock.ts';
import { deterministically } from './determinism.ts';
import {
  type ExploreStats,
  emptyStats,
  explore,
  type Judged,
  MAX_GUESS_ROUNDS,
  type Program,
} from './explore.ts';
import { MAX_GUESSES } from './guess-resolution.ts';
import { DEFAULT_LOOP_BOUND } from './loop-bound.ts';
import { declaredPlainFree, mayMakePlainAccess, PlainFreeCheck } from './plain-access.ts';
import { ScenarioSpace } from './scenario-space.ts';
import type { Finished } from './search.ts';
import { MAX_THREAD_EVENTS } from './thread.ts';

/** What one thread's run gives the arbiter: what it returned and what it observed. */
export interface ScenarioRun {
  results: readonly number[];
  observed: string[];
}

/** An execution that reaches an outcome: the model's execution and each thread's run. */
export interface Witness {
  x: Execution;
  runs: Finished<ScenarioRun>[];
}

export interface OutcomeVerdict {
  outcome: string;
  /** Accepted executions that reach it (0: never, as far as `extent` says). */
  executions: number;
  /** Of those, the ones with no data race (lkmm's data-race flag: plain accesses racing). */
  raceFree: number;
  /**
   * Of those, the ones lkmm still accepts with every read ordered before its thread's later
   * accesses (0 while reachable: kernel code with a dependency on the path forbids it).
   */
  ordered: number;
  witness?: Witness;
}

/** How far the answer holds. */
export type Extent =
  | {
      kind: 'exhaustive';
      /** lkmm: races aside (ExploreStats.racesAside, docs/explore.md "Races aside"). */
      racesAside?: true;
      /** The code read ktime_get_ns(): two gaps per read are not every time (clock.ts). */
      clockAside?: true;
    }
  | {
      kind: 'bounded';
      /** lkmm: races aside, as for exhaustive. */
      racesAside?: true;
      /** The code read ktime_get_ns(), as for exhaustive. */
      clockAside?: true;
      loopBound: number;
      /** Paths cut at the loop bound (0: the loop bound did not limit the answer). */
      cut: number;
      /** Paths cut at `limit` events of one thread (thread.ts MAX_THREAD_EVENTS), no loop bound. */
      events?: { limit: number; cut: number };
      /** lkmm: paths were cut at this many guessed reads. */
      guesses?: number;
      /** lkmm: guessing stopped after this many rounds while new values still appeared. */
      rounds?: number;
      /**
       * kthread_should_stop() said true because the thread had been told to go on this many
       * times (ModelInstance.iterations), by thread name: more passes were not explored.
       */
      stops?: Record<string, number>;
    }
  | {
      kind: 'gave-up' | 'interrupted';
      percent: number;
      /** gave-up: the heap, not the time budget, ran out (it was nearly full). */
      heapFull?: true;
    }
  /** Not explored: the scenario refuses the explorer (ModelVariantResult.refused says why). */
  | { kind: 'refused' };

/**
 * What an outcome no accepted execution reached is, given how far the search went: `never`
 * when it went to the end (or to the loop bound, which the extent says), `unknown` when the
 * budget or Ctrl-C stopped it first.
 */
export type NotReached = 'never' | 'unknown';
export const notReachedVerdict = (e: Extent): NotReached =>
  e.kind === 'gave-up' || e.kind === 'interrupted' || e.kind === 'refused' ? 'unknown' : 'never';

/** A candidate execution the model rejects that reaches the outcome --explain asks about. */
export interface RejectedWitness extends Witness {
  failed: NonNullable<ModelResult['failed']>;
  named?: Map<string, Relation>;
}

export interface VariantVerdict {
  variant: string;
  model: ModelName;
  outcomes: OutcomeVerdict[];
  extent: Extent;
  stats: ExploreStats;
  /** The code explored and its locations, for replaying a witness (--explain). */
  program: Program<ScenarioRun>;
  space: ScenarioSpace;
  /**
   * --explain of an outcome never reached: the smallest candidate reaching it that the model
   * rejects, how many there were, and how many each axiom rejected.
   */
  rejected?: { smallest?: RejectedWitness; count: number; byAxiom: Record<string, number> };
  /**
   * An accepted execution called synchronize_rcu() or synchronize_srcu(): a fence here, not a
   * wait, so a grace period that cannot end (a reader blocked inside its section) is no deadlock
   * the search can meet (docs/explore.md "Deadlock").
   */
  gracePeriods?: true;
}

export interface ScenarioExploreOptions {
  model: ModelName;
  timeoutMs: number;
  loopBound?: number;
  signal?: StopFlag;
  /**
   * Stop as soon as every one of these outcomes is reached (a reachable answer holds however
   * early the search stops; the others are then 'interrupted').
   */
  until?: readonly string[];
  /** Keep the candidates the model rejects that reach this outcome (--explain of a never). */
  explain?: string;
  /** --ablate: each thread's memory weakened so (explore/ablate.ts). */
  weakening?: (thread: number) => ThreadWeakening;
  /** lkmm: false prunes no guess (search.ts guessPruning): a test's reference. */
  guessPruning?: false;
}

/** A thread's Weakening (--ablate), told when each run of its code starts over. */
export interface ThreadWeakening extends Weakening {
  reset(): void;
}

/** Why the explorer cannot run the scenario, or undefined. */
export function scenarioRefusal(s: Scenario): string | undefined {
  return s.model?.refuse;
}

/** Explore one variant of `s` under a model. */
export function exploreVariant(
  s: Scenario,
  variant: string,
  opts: ScenarioExploreOptions,
): VariantVerdict {
  const refusal = scenarioRefusal(s);
  if (refusal) throw new UserError(`scenario ${s.name} is not explored: ${refusal}`);
  const loopBound = opts.loopBound ?? DEFAULT_LOOP_BOUND;
  const maxGuesses = guessCap(s, variant);
  const space = new ScenarioSpace(s.memory, `scenario ${s.name}`);
  const tally = new Map(
    s.outcomes.map((o) => [
      o.name,
      { outcome: o.name, executions: 0, raceFree: 0, ordered: 0 } as OutcomeVerdict,
    ]),
  );
  const until = opts.until;
  const reachedAll = () => until?.every((o) => tally.get(o)!.executions > 0) ?? false;
  const budget = new Budget({
    timeoutMs: opts.timeoutMs,
    what: `${s.name} ${variant} explored under ${opts.model}`,
    signal: {
      get aborted() {
        return (opts.signal?.aborted ?? false) || reachedAll();
      },
    },
  });
  const clock = { read: false };
  const stops: Record<string, number> = {};
  const program = scenarioProgram(s, variant, space, clock, stops, opts.weakening);
  const progress = { share: () => 0 };
  let gracePeriods = false;
  const visit = (x: Execution, runs: Finished<ScenarioRun>[], judged: Judged) => {
    gracePeriods ||= x.sk.events.some(isGracePeriod);
    const racy = judged.result.flags.includes('data-race');
    for (const name of outcomesOf(s, variant, space, x, runs, clock)) {
      const v = tally.get(name);
      if (!v)
        throw new UserError(
          `scenario ${s.name}: outcome "${name}" is not declared (declared: ${[...tally.keys()].join(', ')})`,
        );
      // The first execution reaching it; for --explain, the smallest.
      if (v.executions++ === 0 || (name === opts.explain && x.sk.n < v.witness!.x.sk.n))
        v.witness = { x, runs };
      if (!racy) v.raceFree++;
      if (judged.ordered) v.ordered++;
    }
  };
  const outcomes = () => [...tally.values()];
  const rejected: VariantVerdict['rejected'] = opts.explain ? { count: 0, byAxiom: {} } : undefined;
  const onRejected = (x: Execution, runs: Finished<ScenarioRun>[], result: ModelResult) => {
    const asked = opts.explain!;
    if (tally.get(asked)?.executions || !outcomesOf(s, variant, space, x, runs, clock).has(asked))
      return;
    const r = rejected!;
    r.count++;
    const axiom = result.failed!.axiom.name;
    r.byAxiom[axiom] = (r.byAxiom[axiom] ?? 0) + 1;
    if (r.smallest && r.smallest.x.sk.n <= x.sk.n) return;
    const kept = MODEL_TABLE[opts.model].run(x, true);
    r.smallest = { x, runs, failed: kept.failed!, ...(kept.named && { named: kept.named }) };
  };
  const found = () => ({
    program,
    space,
    ...(rejected && { rejected }),
    ...(gracePeriods && { gracePeriods: true as const }),
  });
  const live = emptyStats();
  try {
    const stats = budget.guard(() =>
      explore(
        program,
        {
          model: opts.model,
          budget,
          loopBound,
          progress,
          maxGuesses,
          stats: live,
          ...(opts.guessPruning === false && { guessPruning: false }),
        },
        visit,
        rejected && onRejected,
      ),
    );
    const stopped = Object.keys(stops).length > 0;
    const bounded =
      stats.cut > 0 || stats.eventsCut > 0 || stats.guessesCut || stats.roundsCut || stopped;
    const aside = {
      ...(stats.racesAside && { racesAside: true as const }),
      ...(clock.read && { clockAside: true as const }),
    };
    const extent: Extent = bounded
      ? {
          kind: 'bounded',
          loopBound,
          cut: stats.cut,
          ...(stats.eventsCut > 0 && {
            events: { limit: MAX_THREAD_EVENTS, cut: stats.eventsCut },
          }),
          ...(stats.guessesCut && { guesses: maxGuesses }),
          ...(stats.roundsCut && { rounds: MAX_GUESS_ROUNDS }),
          ...(stopped && { stops: inThreadOrder(s, stops) }),
          ...aside,
        }
      : { kind: 'exhaustive', ...aside };
    return { variant, model: opts.model, outcomes: outcomes(), extent, stats, ...found() };
  } catch (e) {
    if (!(e instanceof ModelStopped)) throw e;
    const percent = Math.floor(100 * progress.share());
    return {
      ...found(),
      variant,
      model: opts.model,
      outcomes: outcomes(),
      extent: {
        kind: e.reason === 'budget' ? 'gave-up' : 'interrupted',
        percent,
        ...(e.heapFull && { heapFull: true }),
      },
      stats: { ...live, elapsedMs: e.elapsedMs },
    };
  }
}

/** synchronize_rcu()'s or synchronize_srcu()'s fence (explore-rcu.ts). */
const isGracePeriod = (e: { dir: string; annot?: string }): boolean =>
  e.dir === 'F' && (e.annot === 'sync-rcu' || e.annot === 'sync-srcu');

/** `byThread`'s entries in the scenario's thread order (the order they were met varies). */
function inThreadOrder<T>(s: Scenario, byThread: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    s.threads.filter((t) => t.name in byThread).map((t) => [t.name, byThread[t.name]!]),
  );
}

/** The scenario's threads, for this variant, as a Program over its memory. */
function scenarioProgram(
  s: Scenario,
  variant: string,
  space: ScenarioSpace,
  clock: { read: boolean },
  stops: Record<string, number>,
  weakening?: (thread: number) => ThreadWeakening,
): Program<ScenarioRun> {
  const cpus = s.threads.map((_, th) =>
    threadCpu(s, variant, space, th, clock, stops, weakening?.(th)),
  );
  return {
    test: () => ({
      name: `${s.name} ${variant}`,
      file: s.file ?? s.name,
      locations: space.locations,
      threads: [],
      condition: { quantifier: 'exists', prop: { kind: 'true' } },
      extraKeys: [],
      hash: '',
    }),
    threads: s.threads.length,
    plain: mayMakePlain(s, variant),
    space: {
      loc: (cell) => space.loc(cell),
      loc64: (j) => space.loc64(j),
      init: (loc) => space.init(loc),
      isLock: (loc) => space.locations[loc]!.type === 'spinlock',
      wide: (v) => space.wide(v),
      unwide: (id) => space.unwide(id),
    },
    run: (th, t) => cpus[th]!(t),
  };
}

/**
 * Whether `variant`'s code may make a plain access: not where the scenario declares it
 * plain-free (model.plainFree, which threadCpu checks on every run); else where its source says
 * so (plain-access.ts) or the scenario adds it (model.plain).
 */
function mayMakePlain(s: Scenario, variant: string): boolean {
  if (declaredPlainFree(s, variant)) return false;
  return (s.model?.plain?.includes(variant) ?? false) || mayMakePlainAccess(s.file);
}

/** The scenario's cap on guessed reads for `variant` (ModelInstance.guesses), or none. */
function guessCap(s: Scenario, variant: string): number {
  const g = s.model?.guesses;
  if (g === undefined) return MAX_GUESSES;
  return typeof g === 'number' ? g : (g[variant] ?? MAX_GUESSES);
}

function iterationsOf(s: Scenario, thread: string): number {
  const it = s.model?.iterations;
  if (it === undefined) return 1;
  if (typeof it === 'number') return it;
  return it[thread] ?? 1;
}

/**
 * Thread `th`'s CPU on the exploring memory, made once and run many times: each run points
 * it at that run's Tracer (building the memory object and handles per run cost more than
 * the run). `clock.read`: set once any run reads ktime_get_ns().
 */
function threadCpu(
  s: Scenario,
  variant: string,
  space: ScenarioSpace,
  th: number,
  clock: { read: boolean },
  stops: Record<string, number>,
  weakening?: ThreadWeakening,
): (t: Tracer) => ScenarioRun {
  const thread = s.threads[th]!;
  let t: Tracer | undefined;
  const now = (): Tracer => t!;
  let events = 0;
  const relay: Tracer = {
    loc: (cell) => now().loc(cell),
    loc64: (j) => now().loc64(j),
    value: (loc) => now().value(loc),
    held: (loc) => now().held(loc),
    choose: (n, what) => now().choose(n, what),
    emit: (e) => {
      events++;
      return now().emit(e);
    },
    pair: (r, w, data) => now().pair(r, w, data),
    pass: (what, pure) => now().pass(what, pure),
    lock: (loc, attempt) => now().lock(loc, attempt),
    wide: (v) => now().wide(v),
    unwide: (id) => now().unwide(id),
  };
  const plainFree = declaredPlainFree(s, variant)
    ? new PlainFreeCheck(`scenario ${s.name}, thread ${thread.name}`, variant)
    : undefined;
  const traced = plainFree ? plainFree.over(relay) : relay;
  const mem = exploringOps(traced, weakening, th);
  const mem64 = exploringOps64(traced, mem, weakening);
  const m = bindMemory(space.layout, 0, mem, mem64);
  const iterations = iterationsOf(s, thread.name);
  // kthread_stop() may come before any call: stop is an explored choice at each, until the
  // thread was told to go on `iterations` times (the instance's bound, which `stops` records);
  // once stopped, it stays stopped (KTHREAD_SHOULD_STOP is never cleared).
  let goOns = 0;
  let stopped = false;
  const shouldStop = (): boolean => {
    if (stopped) return true;
    if (goOns >= iterations) stops[thread.name] = iterations;
    else if (now().choose(2, 'kthread_should_stop') === 0) {
      goOns++;
      return false;
    }
    stopped = true;
    return true;
  };
  const ktime = new ExploredClock(
    now,
    () => events,
    () => {
      clock.read = true;
    },
  );
  const what = `scenario ${s.name}, thread ${thread.name}`;
  let observed: string[] = [];
  // TIF_NEED_RESCHED: set when the slice ends (the explored yes), cleared only by schedule()
  // (cond_resched() that yields). Asked again while set, need_resched() is yes without a
  // choice: no execution of the kernel sees it set and then clear with nothing scheduled.
  let resched = false;
  const needResched = () => {
    if (!resched) resched = now().choose(2, 'need_resched') === 1;
    return resched;
  };
  const ctx: CpuContext = {
    id: th,
    mem,
    mem64,
    sliceMs: 1,
    sliceEnd: 0,
    spins: 0,
    shouldStop,
    sleep: () => {},
    time: {
      nowNs: () => ktime.read(),
      delay: (ns) => ktime.delay(ns),
      needResched,
      // cond_resched(): a scheduling point, so a pass of the loop it is in (a loop that yields
      // on every pass would otherwise run to MAX_THREAD_EVENTS with no bound to count it)
      condResched: () => {
        const yes = needResched();
        now().pass('cond_resched');
        resched = false;
        return yes;
      },
      pass: (what, pure) => now().pass(what, pure),
      refuse: refusal(what),
    },
  };
  const cpu = modelCpu(th, thread.name, (o) => observed.push(o));
  return (tracer) => {
    t = tracer;
    weakening?.reset();
    goOns = 0;
    stopped = false;
    events = 0;
    ktime.reset();
    resched = false;
    observed = [];
    mem.begin_instance(0);
    bindCpu(ctx);
    const body = () => {
      const r = thread.run(cpu, m as never, variant);
      mem.drain(); // callbacks still queued run at the end (src/memory/explore-rcu.ts)
      return r;
    };
    const result = deterministically(what, s.file, () =>
      plainFree ? plainFree.run(body) : body(),
    );
    return { results: resultsOf(result), observed };
  };
}

/**
 * The `cpu` a thread body gets on the explorer: observe() counts, the metrics mean nothing here,
 * and their stamps are 0 (no time passes for them: Cpu.stamp).
 */
function modelCpu(id: number, name: string, observe: (o: string) => void): Cpu {
  return {
    id,
    name,
    instance: 'model',
    progress: () => {},
    observe,
    count: () => {},
    latency: () => {},
    stamp: () => 0,
  };
}

function resultsOf(r: ThreadResult): readonly number[] {
  if (r === undefined) return [];
  return typeof r === 'number' ? [r] : r;
}

/** The outcomes one execution reaches: what its threads observed, and the arbiter's verdict. */
function outcomesOf(
  s: Scenario,
  variant: string,
  space: ScenarioSpace,
  x: Execution,
  runs: Finished<ScenarioRun>[],
  clock: { read: boolean },
): Set<string> {
  const out = new Set<string>();
  for (const r of runs) for (const o of r.replay.result.observed) out.add(o);
  if (!s.arbiter) return out;
  const finals = finalValues(x);
  const results: Results = Object.fromEntries(
    s.threads.map((th, i) => [th.name, runs[i]!.replay.result.results]),
  );
  const final = finalTracer(space, finals, heldAtEnd(x));
  const mem = exploringOps(final);
  const mem64 = exploringOps64(final, mem);
  const m = bindMemory(space.layout, 0, mem, mem64);
  const cpu = modelCpu(0, s.threads[0]!.name, (o) => out.add(o));
  bindCpu(arbiterCpu(`scenario ${s.name}, its arbiter`, mem, mem64, clock));
  out.add(
    deterministically(`scenario ${s.name}, its arbiter`, s.file, () =>
      s.arbiter!(m as never, results, variant, cpu),
    ),
  );
  return out;
}

/**
 * The CPU the arbiter runs on (`what` names it): the final memory, and a clock that does not
 * move (0: an arbiter that reads it makes the variant's answer clock aside). It judges an
 * execution that ended, so it does not wait or yield: a wait there is refused.
 */
function arbiterCpu(
  what: string,
  mem: CpuContext['mem'],
  mem64: CpuContext['mem64'],
  clock: { read: boolean },
): CpuContext {
  const refuse = refusal(what);
  return {
    id: 0,
    mem,
    mem64,
    sliceMs: 1,
    sliceEnd: 0,
    spins: 0,
    shouldStop: () => true,
    sleep: () => {},
    time: {
      nowNs: () => {
        clock.read = true;
        return 0;
      },
      delay: () => {},
      needResched: () => false,
      condResched: () => false,
      pass: (call) => refuse(call, ': an arbiter judges an execution that ended, it does not wait'),
      refuse,
    },
  };
}

/** CpuContext.time.refuse for `what` (a thread, the arbiter): a UserError at the call's line. */
function refusal(what: string): (call: string, why: string) => never {
  return (call, why) => {
    const site = callSite(call);
    throw new UserError(
      `${what}: ${call}()${why}`,
      site?.file,
      site && { line: site.line, col: site.col },
    );
  };
}

/** Each location's final write is a lock's LKW: a lock left held (its final value says nothing). */
function heldAtEnd(x: Execution): boolean[] {
  return finalWrites(x).map((w) => x.sk.events[w]!.lock === 'LKW');
}

/**
 * A Tracer whose reads return an execution's final values: the arbiter's view of memory. A
 * lock is held if its last write is an LKW; nobody is queued for one (every thread finished).
 */
function finalTracer(space: ScenarioSpace, finals: Value[], held: boolean[]): Tracer {
  return {
    loc: (cell) => space.loc(cell),
    loc64: (j) => space.loc64(j),
    value: (loc) => finals[loc] ?? space.init(loc),
    held: (loc) => held[loc] ?? false,
    // (spin_is_contended(): no, answer 1; spin_trylock(): yes, whether or not it is held)
    choose: (_n, what) => (what === 'spin_is_contended' ? 1 : 0),
    emit: () => 0,
    pair: () => {},
    pass: () => {},
    lock: () => {},
    wide: (v) => space.wide(v),
    unwide: (id) => space.unwide(id),
  };
}
