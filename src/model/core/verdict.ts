// The model's answer for one test: the Verdict value (counts, final states, flags), as herd7
// counts them. check/check.ts computes it; this module holds the type only, so that the
// budget's partial answer and the report can name it without importing the enumeration.

import type { Expectation } from '../../litmus/ir.ts';

/** 'all': every final state and its count; 'verdict': only enough executions to settle the observation. */
export type Search = 'all' | 'verdict';

export interface Verdict {
  /** sc, tso, lkmm, or a model read from files (its name). */
  model: string;
  observation: Expectation;
  /** 'verdict': the counts and states below are those met on the way (at least one of each kind the observation names). */
  search: Search;
  /** herd7's Witnesses counts: accepted executions satisfying the condition, and the others. */
  positive: number;
  negative: number;
  /** Final states (formatState) → whether they satisfy the condition, and how many executions end there. */
  states: Map<string, { witness: boolean; executions: number }>;
  /** herd7's flags raised by some accepted execution, e.g. 'data-race'. */
  flags: string[];
  /** Accepted executions (positive + negative). */
  executions: number;
  /** Candidate executions examined. */
  candidates: number;
  /** Prefixes of threads abandoned, with every candidate below them, as breaking an axiom. */
  pruned: number;
  elapsedMs: number;
  /** Worker threads that shared the search (parallel.ts); absent when it ran in one thread. */
  workers?: number;
}
