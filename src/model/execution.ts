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
import { locChoices } from './coherence.ts';
import type { EventSpec, LocalPair, Trace } from './events.ts';
import { lockChoices, lockWellFormed } from './lock.ts';
import { diff, Relation } from './relation.ts';
import { threadTraces } from './trace.ts';
import { valueDomains } from './values.ts';

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
  /** The rmw pairs of rmw instructions (the LKMM adds lock.ts's lk-rmw in lkmm-sets.ts). */
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
  const spin = test.locations.map((l) => l.type === 'spinlock');
  for (const traces of perThread) for (const t of traces) checkSpinUse(test, spin, t.events);
  let candidates = 0;
  for (const combo of product(perThread)) {
    budget.tick();
    const sk = skeleton(test, spin, combo);
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

function skeleton(test: Test, spin: boolean[], traces: Trace[]): Skeleton {
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
  const byLoc: number[][] = test.locations.map(() => []);
  for (const e of events) if (e.loc >= 0) byLoc[e.loc]!.push(e.id);
  const local = (pairs: (t: Trace) => LocalPair[]) => {
    const r = Relation.none(n);
    traces.forEach((t, ti) => {
      for (const [a, b] of pairs(t)) r.add(base[ti]! + a, base[ti]! + b);
    });
    return r;
  };
  const po = Relation.none(n);
  const int = Relation.none(n);
  for (let i = 0; i < n; i++) int.add(i, i);
  traces.forEach((t, ti) => {
    const from = base[ti]!;
    const to = from + t.events.length;
    for (let a = from; a < to; a++) {
      for (let b = from; b < to; b++) {
        int.add(a, b);
        if (b > a) po.add(a, b);
      }
    }
  });
  const loc = Relation.none(n);
  for (const ids of byLoc) for (const a of ids) for (const b of ids) loc.add(a, b);
  return {
    test,
    events,
    n,
    traces,
    init: test.locations.map((_, i) => i),
    byLoc,
    po,
    loc,
    int,
    ext: diff(
      Relation.where(n, () => true),
      int,
    ),
    addr: local((t) => t.addr),
    data: local((t) => t.data),
    ctrl: local((t) => t.ctrl),
    rmw: local((t) => t.rmw),
    spin,
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
