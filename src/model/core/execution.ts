// Candidate executions, as herd7 builds them: the data. An Execution is the events, their
// program-order facts (the Skeleton: a Shape shared by every execution of one trace combination,
// plus the events and traces), rf and co. Every model reads it; enumerate/ builds it (one trace
// per thread, combined, then rf and co location by location: enumerate/candidates.ts).
//
// This module builds nothing and decides nothing.

import type { Test, Value } from '../../litmus/ir.ts';
import type { Budget } from './budget.ts';
import type { EventSpec, Trace } from './events.ts';
import { markStable, type Relation } from './relation.ts';

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
  /** herd7's candidates for a cat model (no co): the write the location ends with, if observed. */
  final?: number;
}

export interface Execution {
  sk: Skeleton;
  rf: Relation;
  co: Relation;
  /** Per location, the coherence order (for final values and --explain). */
  coOrder: number[][];
  /** A cat model's candidate (no co yet): per location, the write it ends with, if observed. */
  final?: (number | undefined)[];
}

/** Each location's (rf, co) choices, for a model that does not take the default ones. */
export type LocationChoices = (sk: Skeleton, l: number, budget: Budget) => LocChoice[];

/** The write each location ends with: its coherence-last (a cat model's candidate says it). */
export function finalWrites(x: Execution): number[] {
  const final = x.final;
  if (final) return x.sk.init.map((init, l) => final[l] ?? init);
  return x.coOrder.map((order, l) => order[order.length - 1] ?? x.sk.init[l]!);
}

/**
 * The final value of each location: its final write's (a lock event's is 0: herd7 gives a
 * lock no value a test may rely on, and flags lock-final when one is shown).
 */
export function finalValues(x: Execution): Value[] {
  return finalWrites(x).map((w) => {
    const last = x.sk.events[w]!;
    return last.lock === undefined ? last.value : 0;
  });
}
