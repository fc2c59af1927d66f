// Candidate executions of a litmus test, as herd7 builds them.
//
// One trace per thread (events.ts), combined; then, location by location, every reads-from
// choice (a read takes its value from a write of that same value, or from the initial write)
// and every coherence order (the initial write first), kept only when that location alone is
// coherent (po-loc | rf | co | fr acyclic) and its rmws atomic — a check every model makes,
// done here early so that the product over locations stays small. Spinlock locations are
// built by lock.ts as lock.cat does. An Execution is the events, their program-order facts
// (the Skeleton, shared by every execution of one trace combination), rf and co.
//
// This module decides nothing about a model's axioms beyond that per-location check; given a
// model's monotone check (EnumerateOptions.broken) it abandons prefixes of threads, and
// walk.ts prefixes of locations, that the check rejects (prefix.ts says which edges count).

import { UserError } from '../errors.ts';
import type { Test, Value } from '../litmus/ir.ts';
import type { Budget } from './budget.ts';
import { locChoices } from './coherence.ts';
import type { EventSpec, LocalPair, Trace } from './events.ts';
import { lockChoices, lockWellFormed } from './lock.ts';
import { laterWrites, partialExecution } from './prefix.ts';
import { Relation } from './relation.ts';
import { markStable } from './stable.ts';
import { threadTraces } from './trace.ts';
import { valueDomains } from './values.ts';
import { walkChoices } from './walk.ts';

export interface Event extends EventSpec {
  id: number;
  /** -1 for an initial write. */
  thread: number;
  /** Position in its thread's trace. */
  poIndex: number;
}

/**
 * What one combination of thread traces fixes apart from the values: the events' kinds,
 * locations and program-order facts. Combinations whose traces differ only in the values
 * read share one Shape, and what a model derives from it alone (memo) is computed once.
 */
export interface Shape {
  n: number;
  /** Initial write of each location, by location index. */
  init: number[];
  /** Memory events of each location, initial write first. */
  byLoc: number[][];
  po: Relation;
  /** Same location (memory events only). */
  loc: Relation;
  /** Same thread, the identity included; ext is its complement. */
  int: Relation;
  ext: Relation;
  addr: Relation;
  data: Relation;
  ctrl: Relation;
  /** The rmw pairs of rmw instructions (the LKMM adds lock.ts's lk-rmw in lkmm-sets.ts). */
  rmw: Relation;
  /** Whether each location is a spinlock. */
  spin: boolean[];
  /** Values a model derives from the shape alone, by name (see memo). */
  memo: Map<string, unknown>;
}

/** What one combination of thread traces fixes, before rf and co are chosen. */
export interface Skeleton extends Shape {
  test: Test;
  events: Event[];
  traces: Trace[];
}

/**
 * A value derived from the skeleton's shape alone (event kinds, annotations, program order;
 * never values, rf or co), computed once per shape.
 */
export function memo<T>(sk: Skeleton, key: string, make: () => T): T {
  if (sk.memo.has(key)) return sk.memo.get(key) as T;
  const v = markStable(make());
  sk.memo.set(key, v);
  return v;
}

/** One location's choice: rf pairs [write, read] and the coherence order. */
export interface LocChoice {
  rf: [number, number][];
  co: number[];
}

export interface Execution {
  sk: Skeleton;
  rf: Relation;
  co: Relation;
  /** Per location, the coherence order (for final values and --explain). */
  coOrder: number[][];
}

/** Which trace combinations to enumerate. */
export interface EnumerateOptions {
  /**
   * Asked about each prefix of a combination (traces of threads 0..k chosen, the rest
   * undefined): false skips every combination that extends it.
   */
  keep?: (chosen: readonly (Trace | undefined)[]) => boolean;
  /** Only this share of the combinations (parts of a split across workers). */
  share?: { part: number; parts: number };
  /**
   * A model's check of the monotone axioms (Model.broken): a prefix of threads whose fixed
   * edges (prefix.ts) it rejects is abandoned with every combination below it.
   */
  broken?: (x: Execution) => boolean;
  /**
   * Check only prefixes with at least this many combinations below them (default 1): a check
   * costs about one candidate's model run, so where little is below it cannot pay.
   */
  pruneMin?: number;
}

/**
 * Every candidate execution, passed to visit (which returns true to stop the enumeration);
 * returns how many were visited. Threads are chosen one by one, depth first, so that `keep`
 * can cut a prefix with everything below it; the budget's progress counts the combinations
 * done (cut ones included) out of all of them.
 */
export function forEachCandidate(
  test: Test,
  budget: Budget,
  visit: (x: Execution) => unknown,
  opts: EnumerateOptions = {},
): number {
  const domains = valueDomains(test, budget.tick);
  const perThread = test.threads.map((t) => threadTraces(test, t, domains, budget.tick));
  const spin = test.locations.map((l) => l.type === 'spinlock');
  for (const traces of perThread) for (const t of traces) checkSpinUse(test, spin, t.events);
  const progress = budget.progress;
  // below[k]: how many combinations extend one prefix of threads 0..k-1.
  const below = perThread.map(() => 1);
  for (let k = perThread.length - 2; k >= 0; k--)
    below[k] = below[k + 1]! * perThread[k + 1]!.length;
  const shapes = new ShapeCache(test, spin, budget.check);
  const split = opts.share && splitDepth(perThread, opts.share.parts);
  progress.combinations += combinationsOf(perThread, below, split, opts.share);
  let prefixes = 0;
  const later = opts.broken && laterWrites(perThread);
  // Whether the chosen threads 0..k, with the later threads that have one trace only, already
  // leave no accepted completion (prefix.ts). Not at the last thread: the model decides there.
  const abandon = (k: number): boolean => {
    if (!later || k === perThread.length - 1 || below[k]! < (opts.pruneMin ?? 1)) return false;
    const fixed = perThread.slice(k + 1).filter((ts) => ts.length === 1);
    const known = [...(chosen.slice(0, k + 1) as Trace[]), ...fixed.map((ts) => ts[0]!)];
    const x = partialExecution(shapes.skeleton(known), later[k]!);
    return x === undefined || opts.broken!(x);
  };
  const chosen: (Trace | undefined)[] = perThread.map(() => undefined);
  const descend = (k: number): boolean => {
    budget.tick();
    if (k === perThread.length) {
      progress.combinationsDone++;
      return visitCombination(shapes.skeleton(chosen as Trace[]), budget, visit, opts);
    }
    for (const t of perThread[k]!) {
      chosen[k] = t;
      const mine =
        split === undefined || k !== split || prefixes++ % opts.share!.parts === opts.share!.part;
      if (!mine) continue;
      if (opts.keep && !opts.keep(chosen)) progress.combinationsDone += below[k]!;
      else if (abandon(k)) {
        progress.combinationsDone += below[k]!;
        progress.pruned = (progress.pruned ?? 0) + 1;
      } else if (descend(k + 1)) return true;
    }
    chosen[k] = undefined;
    return false;
  };
  const before = progress.candidates;
  descend(0);
  return progress.candidates - before;
}

/** The rf/co choices of one combination of traces (walk.ts); true when visit asked to stop. */
function visitCombination(
  sk: Skeleton,
  budget: Budget,
  visit: (x: Execution) => unknown,
  opts: EnumerateOptions,
): boolean {
  if (!lockWellFormed(sk)) return false;
  const perLoc: LocChoice[][] = sk.byLoc.map((_, l) =>
    sk.spin[l] ? lockChoices(sk, l) : locChoices(sk, l, budget),
  );
  return walkChoices(sk, perLoc, budget, visit, {
    broken: opts.broken,
    pruneMin: opts.pruneMin ?? 1,
  });
}

/** How many combinations this enumeration covers: all of them, or its share's. */
function combinationsOf(
  perThread: Trace[][],
  below: number[],
  split: number | undefined,
  share: EnumerateOptions['share'],
): number {
  if (perThread.length === 0) return 1;
  if (split === undefined || !share) return below[0]! * perThread[0]!.length;
  let prefixes = 1;
  for (let k = 0; k <= split; k++) prefixes *= perThread[k]!.length;
  const mine = Math.floor(prefixes / share.parts) + (share.part < prefixes % share.parts ? 1 : 0);
  return mine * below[split]!;
}

/**
 * The thread at which a split into `parts` happens: the first one whose prefixes number at
 * least a few per part, so that each worker gets a similar share.
 */
function splitDepth(perThread: Trace[][], parts: number): number {
  let prefixes = 1;
  for (let k = 0; k < perThread.length; k++) {
    prefixes *= perThread[k]!.length;
    if (prefixes >= parts * 4) return k;
  }
  return Math.max(0, perThread.length - 1);
}

/** The cartesian product of lists, as tuples. */
export function* product<T>(lists: T[][]): Generator<T[]> {
  const idx = lists.map(() => 0);
  if (lists.some((l) => l.length === 0)) return;
  for (;;) {
    yield lists.map((l, i) => l[idx[i]!]!);
    let k = lists.length - 1;
    while (k >= 0 && ++idx[k]! === lists[k]!.length) idx[k--] = 0;
    if (k < 0) return;
  }
}

/** A backstop on the shapes kept at once: past it the cache starts again. */
const MAX_SHAPES = 4096;

/** Skeletons of trace combinations, their shapes shared (see Shape). */
class ShapeCache {
  private readonly shapes = new Map<string, Shape>();
  private readonly keys = new WeakMap<Trace, string>();
  private readonly numbered = new WeakMap<Trace, Map<number, Event[]>>();
  private readonly initial: Event[];

  constructor(
    private readonly test: Test,
    private readonly spin: boolean[],
    /** Looked at while a large shape is built (its relations are quadratic in the events). */
    private readonly poll: () => void,
  ) {
    this.initial = test.locations.map((l, i) => initialWrite(i, l.init));
  }

  skeleton(traces: Trace[]): Skeleton {
    const key = traces.map((t) => this.keyOf(t)).join('|');
    let shape = this.shapes.get(key);
    if (!shape) {
      if (this.shapes.size >= MAX_SHAPES) this.shapes.clear();
      shape = buildShape(this.test, this.spin, traces, this.poll);
      this.shapes.set(key, shape);
    }
    const events: Event[] = this.initial.slice();
    for (const t of traces) events.push(...this.eventsOf(t, events.length));
    return { ...shape, test: this.test, events, traces };
  }

  /** A trace's events numbered from `from`, made once per trace and position (never mutated). */
  private eventsOf(t: Trace, from: number): Event[] {
    let byStart = this.numbered.get(t);
    if (!byStart) {
      byStart = new Map();
      this.numbered.set(t, byStart);
    }
    let list = byStart.get(from);
    if (!list) {
      list = t.events.map((e, i) => ({ ...e, id: from + i, thread: t.thread, poIndex: i }));
      byStart.set(from, list);
    }
    return list;
  }

  /** Everything of a trace but the values its events read and wrote. */
  private keyOf(t: Trace): string {
    let key = this.keys.get(t);
    if (key === undefined) {
      const ev = t.events.map(
        (e) => `${e.dir}${e.loc}.${e.annot}.${e.lock ?? ''}.${e.rmw ?? ''}.${e.srcu ?? ''}`,
      );
      const pairs = [t.addr, t.data, t.ctrl, t.rmw].map((ps) => ps.map(([a, b]) => `${a}>${b}`));
      key = `${t.thread}:${ev.join(',')};${pairs.map((p) => p.join(',')).join(';')}`;
      this.keys.set(t, key);
    }
    return key;
  }
}

function initialWrite(loc: number, value: Value): Event {
  return {
    id: loc,
    thread: -1,
    poIndex: 0,
    dir: 'W',
    loc,
    value,
    annot: 'once',
    instr: { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } },
  };
}

function buildShape(test: Test, spin: boolean[], traces: Trace[], poll: () => void): Shape {
  const base: number[] = [];
  const thread: number[] = test.locations.map(() => -1);
  const locOf: number[] = test.locations.map((_, i) => i);
  for (const [ti, t] of traces.entries()) {
    base.push(thread.length);
    for (const e of t.events) {
      thread.push(ti);
      locOf.push(e.loc);
    }
  }
  const n = thread.length;
  const byLoc: number[][] = test.locations.map(() => []);
  for (let id = 0; id < n; id++) if (locOf[id]! >= 0) byLoc[locOf[id]!]!.push(id);
  const local = (pairs: (t: Trace) => LocalPair[]) => {
    const r = Relation.none(n);
    traces.forEach((t, ti) => {
      for (const [a, b] of pairs(t)) r.add(base[ti]! + a, base[ti]! + b);
    });
    return r;
  };
  const po = Relation.none(n);
  const int = Relation.none(n);
  const ext = Relation.none(n);
  for (let a = 0; a < n; a++) {
    if ((a & 63) === 0) poll();
    for (let b = 0; b < n; b++) {
      const same = a === b || (thread[a]! >= 0 && thread[a] === thread[b]);
      if (same) int.add(a, b);
      else ext.add(a, b);
      if (same && a < b) po.add(a, b);
    }
  }
  const loc = Relation.none(n);
  for (const ids of byLoc)
    for (const a of ids) {
      if ((a & 63) === 0) poll();
      for (const b of ids) loc.add(a, b);
    }
  return {
    n,
    init: test.locations.map((_, i) => i),
    byLoc,
    ...markStable({
      po,
      loc,
      int,
      ext,
      addr: local((t) => t.addr),
      data: local((t) => t.data),
      ctrl: local((t) => t.ctrl),
      rmw: local((t) => t.rmw),
    }),
    spin,
    memo: new Map(),
  };
}

/**
 * Lock primitives touch only spinlocks (a spinlock may also be used as data: lock.ts, and
 * herd7's mixed-lock-accesses flag).
 */
function checkSpinUse(test: Test, spin: boolean[], events: EventSpec[]): void {
  for (const e of events) {
    if (e.loc < 0 || e.lock === undefined || spin[e.loc]) continue;
    const name = test.locations[e.loc]!.name;
    throw new UserError(
      `${name} is not declared spinlock_t: the model needs lock primitives on spinlocks only`,
      test.file,
      e.instr.pos,
    );
  }
}

/**
 * The final value of each location: its coherence-last write's (a lock event's is 0: herd7
 * gives a lock no value a test may rely on, and flags lock-final when one is shown).
 */
export function finalValues(x: Execution): Value[] {
  return x.coOrder.map((order, l) => {
    const last = x.sk.events[order[order.length - 1] ?? x.sk.init[l]!]!;
    return last.lock === undefined ? last.value : 0;
  });
}
