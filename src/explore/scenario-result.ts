// What `run SCENARIO --on model` produced: plain data (no Maps, no executions), so that the CLI
// can write it to the JSON record and the report can print it. Per variant, each outcome's
// verdict — reachable or never — and how far a never holds (extent). This module declares the
// shape and builds it from an exploration; it does not run anything.

import type { Grade, Scenario } from '../kernel/scenario.ts';
import type { TracedEvent } from '../memory/explore.ts';
import type { ModelName } from '../model/core/base.ts';
import { deadlockOf, type ModelDeadlock, whoWaits } from './deadlock.ts';
import type { ScenarioExplanation } from './explain.ts';
import {
  type Extent,
  type NotReached,
  notReachedVerdict,
  type VariantVerdict,
} from './scenario.ts';

export interface ModelOutcome {
  outcome: string;
  grade: Grade;
  /** unknown: not reached before the budget or Ctrl-C stopped the search (see the extent). */
  verdict: 'reachable' | NotReached;
  /** Accepted executions that reach it. */
  executions: number;
  /** The same, under the name every reader of scenario records takes a row's figure from. */
  count: number;
  /** Of those, with no data race (lkmm's data-race flag). */
  raceFree: number;
  /** Of those, still accepted with every read ordered before its thread's later accesses. */
  ordered: number;
}

export interface ModelVariantResult {
  variant: string;
  description: string;
  extent: Extent;
  /** Accepted executions in all. */
  executions: number;
  /** Combinations of thread runs judged, search states visited. */
  combinations: number;
  states: number;
  elapsedSeconds: number;
  outcomes: ModelOutcome[];
  /** Why this variant was not explored (the scenario refuses the explorer), if so. */
  refused?: string;
  /** --explain OUTCOME: the execution that reaches it, or why none does. */
  explanation?: ScenarioExplanation;
  /**
   * Possible livelock: a thread's loop was cut at the bound while going round with the same
   * events and values each pass (it can go on forever while memory answers the same); the
   * calls of one pass, as `op: W location=value`.
   */
  livelock?: { thread: string; cycle: string[] };
  /** A deadlock: an execution in which every CPU that has not finished waits for good. */
  deadlock?: ModelDeadlock;
  /**
   * It called synchronize_rcu()/synchronize_srcu(), which the explorer does not wait in: no
   * deadlock found does not cover a grace period that cannot end.
   */
  gracePeriods?: true;
}

export interface ScenarioModelResult {
  scenario: string;
  description: string;
  file: string;
  /** First 16 hex digits of the SHA-256 of the scenario's file. */
  hash: string;
  backend: 'model';
  model: ModelName;
  /** The model instance the explorer ran (Scenario.model.description). */
  instance: string;
  loopBound: number;
  date: string;
  variants: ModelVariantResult[];
  /**
   * Forbidden outcomes the model reaches with no data race, and deadlocks in variants whose
   * stall is forbidden (a deadlock is a stall that never ends): the scenario's claim fails.
   */
  failures: { variant: string; kind: 'forbidden' | 'deadlock'; message: string }[];
  notes: string[];
  /** --ablate: each variant's ordering calls weakened one at a time. */
  ablation?: ScenarioAblationRow[];
}

/** One variant's exploration as plain data. */
export function variantResult(s: Scenario, v: VariantVerdict): ModelVariantResult {
  const info = s.variants.find((x) => x.name === v.variant)!;
  const grades = new Map(s.outcomes.map((o) => [o.name, o.grades[v.variant]!]));
  return {
    variant: v.variant,
    description: info.description,
    extent: v.extent,
    executions: v.stats.executions,
    combinations: v.stats.combinations,
    states: v.stats.states,
    elapsedSeconds: v.stats.elapsedMs / 1000,
    outcomes: v.outcomes.map((o) => ({
      outcome: o.outcome,
      grade: grades.get(o.outcome)!,
      verdict: o.executions > 0 ? 'reachable' : notReachedVerdict(v.extent),
      executions: o.executions,
      count: o.executions,
      raceFree: o.raceFree,
      ordered: o.ordered,
    })),
    ...(v.stats.livelock && { livelock: livelockOf(s, v, v.stats.livelock) }),
    ...(v.stats.deadlock && { deadlock: deadlockOf(s, v, v.stats.deadlock) }),
    ...(v.gracePeriods && { gracePeriods: true as const }),
  };
}

/** The repeating pass of a possible livelock, each call named with its location and value. */
function livelockOf(
  s: Scenario,
  v: VariantVerdict,
  l: { thread: number; cycle: readonly TracedEvent[] },
): { thread: string; cycle: string[] } {
  const name = (loc: number) => v.space.locations[loc]?.name ?? `location ${loc}`;
  return {
    thread: s.threads[l.thread]!.name,
    cycle: l.cycle.map((e) => {
      if (e.dir === 'F') return e.op;
      if (e.lock) return `${e.op}: ${e.lock} ${name(e.loc)}`;
      return `${e.op}: ${e.dir} ${name(e.loc)}=${e.value}`;
    }),
  };
}

/** A refused variant (the scenario says why the explorer cannot run it). */
export function refusedVariant(s: Scenario, variant: string, reason: string): ModelVariantResult {
  const info = s.variants.find((x) => x.name === variant)!;
  return {
    variant,
    description: info.description,
    extent: { kind: 'refused' },
    executions: 0,
    combinations: 0,
    states: 0,
    elapsedSeconds: 0,
    outcomes: [],
    refused: reason,
  };
}

/**
 * A variant whose worker did not answer a Ctrl-C in time: interrupted with nothing collected,
 * each outcome unknown.
 */
export function unansweredVariant(s: Scenario, variant: string): ModelVariantResult {
  const info = s.variants.find((x) => x.name === variant)!;
  return {
    variant,
    description: info.description,
    extent: { kind: 'interrupted', percent: 0 },
    executions: 0,
    combinations: 0,
    states: 0,
    elapsedSeconds: 0,
    outcomes: s.outcomes.map((o) => ({
      outcome: o.name,
      grade: o.grades[variant]!,
      verdict: 'unknown',
      executions: 0,
      count: 0,
      raceFree: 0,
      ordered: 0,
    })),
  };
}

/**
 * The forbidden outcomes a variant reaches in a race-free execution, and its deadlock where the
 * scenario forbids a stall in that variant (its `stall` grade, the default).
 */
export function modelFailures(
  s: Scenario,
  vs: readonly ModelVariantResult[],
): ScenarioModelResult['failures'] {
  return vs.flatMap((v) => [
    ...v.outcomes
      .filter((o) => o.grade === 'forbidden' && o.raceFree > 0)
      .map((o) => ({
        variant: v.variant,
        kind: 'forbidden' as const,
        message: `${v.variant}: "${o.outcome}" is forbidden in this variant but the model reaches it (${o.raceFree} race-free execution${o.raceFree === 1 ? '' : 's'})`,
      })),
    ...(v.deadlock && s.variants.find((x) => x.name === v.variant)?.stall === 'forbidden'
      ? [
          {
            variant: v.variant,
            kind: 'deadlock' as const,
            message: `${v.variant}: the model reaches a deadlock (${whoWaits(v.deadlock)}) where this variant forbids a stall`,
          },
        ]
      : []),
  ]);
}

/** The variant's exploration with one site weakened, against the variant as written. */
export interface ScenarioAblationRow {
  variant: string;
  /** `smp_rmb() at atomic-bool.ts:109`, relative to the scenario's file. */
  element: string;
  threads: string[];
  /** `removed`, `smp_load_acquire → READ_ONCE`, `lock removed, with its spin_unlock()`. */
  change: string;
  /**
   * Outcomes reachable with it weakened that the variant as written never reaches, with their
   * grade; `raceFree`: one it reached only with a data race, now reached without.
   */
  newlyReachable: { outcome: string; grade: Grade; raceFree?: true }[];
  /** How far the weakened variant's nevers hold, and what its exploration cost. */
  extent: Extent;
  /** How far the variant as written was explored: a budget cut it short, it may reach more. */
  baseExtent: Extent;
  executions: number;
  elapsedSeconds: number;
}
