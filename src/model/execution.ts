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
// This module decides nothing about a model's axioms beyond that per-location check.

import { UserError } from '../errors.ts';
import type { Test, Value } from '../litmus/ir.ts';
import type { Budget } from './budget.ts';
import {
  type EventSpec,
  type LocalPair,
  type Trace,
  threadTraces,
  valueDomains,
} from './events.ts';
import { lockChoices, lockWellFormed } from './lock.ts';
import { acyclic, EventSet, Relation } from './relation.ts';

export interface Event extends EventSpec {
  id: number;
  /** -1 for an initial write. */
  thread: number;
  /** Position in its thread's trace. */
  poIndex: number;
}

/** What one combination of thread traces fixes, before rf and co are chosen. */
export interface Skeleton {
  test: Test;
  events: Event[];
  n: number;
  traces: Trace[];
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
  /** The rmw pairs of rmw instructions (lock.ts adds lk-rmw for the models). */
  rmw: Relation;
  /** Whether each location is a spinlock. */
  spin: boolean[];
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

/** Every candidate execution, passed to visit; returns how many there were. */
export function forEachCandidate(
  test: Test,
  budget: Budget,
  visit: (x: Execution) => void,
): number {
  const domains = valueDomains(test, budget.tick);
  const perThread = test.threads.map((t) => threadTraces(test, t, domains, budget.tick));
  let candidates = 0;
  for (const combo of product(perThread)) {
    budget.tick();
    const sk = skeleton(test, combo);
    if (!lockWellFormed(sk)) continue;
    const perLoc: LocChoice[][] = sk.byLoc.map((_, l) =>
      sk.spin[l] ? lockChoices(sk, l) : locChoices(sk, l, budget),
    );
    for (const choice of product(perLoc)) {
      budget.tick();
      candidates++;
      visit(assemble(sk, choice));
    }
  }
  return candidates;
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

function skeleton(test: Test, traces: Trace[]): Skeleton {
  const events: Event[] = test.locations.map((l, i) => ({
    id: i,
    thread: -1,
    poIndex: 0,
    dir: 'W',
    loc: i,
    value: l.init,
    annot: 'once',
    instr: { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } },
  }));
  const base: number[] = [];
  for (const t of traces) {
    base.push(events.length);
    t.events.forEach((e, i) => {
      events.push({ ...e, id: events.length, thread: t.thread, poIndex: i });
    });
  }
  const n = events.length;
  const spin = test.locations.map((l) => l.type === 'spinlock');
  checkSpinUse(test, events, spin);
  const byLoc = test.locations.map((_, l) => events.filter((e) => e.loc === l).map((e) => e.id));
  const local = (pairs: (t: Trace) => LocalPair[]) =>
    Relation.of(
      n,
      traces.flatMap((t, ti) => pairs(t).map(([a, b]) => [base[ti]! + a, base[ti]! + b] as const)),
    );
  const int = Relation.where(
    n,
    (a, b) => a === b || (events[a]!.thread >= 0 && events[a]!.thread === events[b]!.thread),
  );
  return {
    test,
    events,
    n,
    traces,
    init: test.locations.map((_, i) => i),
    byLoc,
    po: Relation.where(
      n,
      (a, b) =>
        events[a]!.thread >= 0 &&
        events[a]!.thread === events[b]!.thread &&
        events[a]!.poIndex < events[b]!.poIndex,
    ),
    loc: Relation.where(n, (a, b) => events[a]!.loc >= 0 && events[a]!.loc === events[b]!.loc),
    int,
    ext: Relation.where(n, (a, b) => !int.has(a, b)),
    addr: local((t) => t.addr),
    data: local((t) => t.data),
    ctrl: local((t) => t.ctrl),
    rmw: local((t) => t.rmw),
    spin,
  };
}

/** A spinlock is touched only by lock primitives, and they touch only spinlocks. */
function checkSpinUse(test: Test, events: Event[], spin: boolean[]): void {
  for (const e of events) {
    if (e.thread < 0 || e.loc < 0 || spin[e.loc] === (e.lock !== undefined)) continue;
    const name = test.locations[e.loc]!.name;
    throw new UserError(
      spin[e.loc]
        ? `${name} is a spinlock: the model accepts only spin_lock/unlock/trylock/is_locked on it`
        : `${name} is not declared spinlock_t: the model needs lock primitives on spinlocks only`,
      test.file,
      e.instr.pos,
    );
  }
}

/** The coherent (rf, co) choices of one ordinary location. */
function locChoices(sk: Skeleton, l: number, budget: Budget): LocChoice[] {
  const evs = sk.byLoc[l]!.map((id) => sk.events[id]!);
  const init = sk.init[l]!;
  const writes = evs.filter((e) => e.dir === 'W' && e.id !== init);
  const reads = evs.filter((e) => e.dir === 'R');
  const sources = reads.map((r) =>
    evs.filter((w) => w.dir === 'W' && w.value === r.value).map((w) => w.id),
  );
  if (sources.some((s) => s.length === 0)) return [];
  const out: LocChoice[] = [];
  for (const order of coOrders(
    sk,
    writes.map((w) => w.id),
  )) {
    const co = [init, ...order];
    for (const pick of product(sources)) {
      budget.tick();
      const rf = pick.map((w, i) => [w, reads[i]!.id] as [number, number]);
      if (locationCoherent(sk, sk.byLoc[l]!, rf, co)) out.push({ rf, co });
    }
  }
  return out;
}

/** Permutations of a location's writes that keep each thread's writes in program order. */
export function* coOrders(sk: Skeleton, writes: number[]): Generator<number[]> {
  if (writes.length === 0) {
    yield [];
    return;
  }
  const seen = new Set<number>();
  for (const w of writes) {
    const t = sk.events[w]!.thread;
    if (seen.has(t)) continue; // only the po-first remaining write of each thread may go first
    seen.add(t);
    const rest = writes.filter((x) => x !== w);
    for (const tail of coOrders(sk, rest)) yield [w, ...tail];
  }
}

/** sc-per-location on one location, and atomicity of its rmws (rmw & (fre ; coe) empty). */
export function locationCoherent(
  sk: Skeleton,
  ids: number[],
  rf: [number, number][],
  co: number[],
): boolean {
  const k = ids.length;
  const at = new Map(ids.map((id, i) => [id, i]));
  const g = Relation.none(k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) if (sk.po.has(ids[i]!, ids[j]!)) g.add(i, j);
  const rank = new Map(co.map((w, i) => [w, i]));
  for (let i = 0; i + 1 < co.length; i++) g.add(at.get(co[i]!)!, at.get(co[i + 1]!)!);
  for (const [w, r] of rf) {
    g.add(at.get(w)!, at.get(r)!);
    const from = rank.get(w);
    if (from === undefined) continue;
    for (let j = from + 1; j < co.length; j++) if (co[j] !== r) g.add(at.get(r)!, at.get(co[j]!)!);
  }
  if (!acyclic(g)) return false;
  return atomic(sk, rf, co, rank);
}

function atomic(
  sk: Skeleton,
  rf: [number, number][],
  co: number[],
  rank: Map<number, number>,
): boolean {
  const source = new Map(rf.map(([w, r]) => [r, w]));
  for (const [r, w] of sk.rmw.pairs()) {
    const src = source.get(r);
    if (src === undefined || !rank.has(w)) continue;
    for (let j = rank.get(src)! + 1; j < rank.get(w)!; j++) {
      const between = co[j]!;
      if (sk.ext.has(r, between) && sk.ext.has(between, w)) return false;
    }
  }
  return true;
}

function assemble(sk: Skeleton, choice: LocChoice[]): Execution {
  const rf = Relation.none(sk.n);
  const co = Relation.none(sk.n);
  for (const c of choice) {
    for (const [w, r] of c.rf) rf.add(w, r);
    for (let i = 0; i < c.co.length; i++)
      for (let j = i + 1; j < c.co.length; j++) co.add(c.co[i]!, c.co[j]!);
  }
  return { sk, rf, co, coOrder: choice.map((c) => c.co) };
}

/** The final value of each location: its coherence-last write's. */
export function finalValues(x: Execution): Value[] {
  return x.coOrder.map((order, l) =>
    x.sk.spin[l] ? 0 : x.sk.events[order[order.length - 1] ?? x.sk.init[l]!]!.value,
  );
}

/** Final register values of each thread. */
export function finalRegisters(x: Execution): Map<string, Value>[] {
  return x.sk.traces.map((t) => t.regs);
}

/** The set of events satisfying a predicate. */
export function eventsWhere(sk: Skeleton, pred: (e: Event) => boolean): EventSet {
  return EventSet.where(sk.n, (i) => pred(sk.events[i]!));
}
