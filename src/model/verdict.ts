// checkModel: every candidate execution of a test, judged by a model, counted as herd7 counts.
//
// Positive = accepted executions whose final state satisfies the condition's proposition,
// Negative = the other accepted ones (herd7 counts this way for exists, ~exists and forall
// alike); executions whose final state fails the `filter` clause are not counted at all. The
// states are the distinct final states over observedKeys(test), printed by formatState.
// Observation: Never (no positive), Always (no negative), Sometimes otherwise.
//
// Two searches: 'all' lists every final state with its count (run --on model); 'verdict'
// only settles the observation (check), as herd7's -speedcheck does — search.ts.

import { UserError } from '../errors.ts';
import {
  type Expectation,
  evalProp,
  observationOf,
  observedKeys,
  type StateKey,
  type Test,
  type Value,
} from '../litmus/ir.ts';
import { formatState, formatValue } from '../litmus/state.ts';
import { MODELS, type Model, type ModelName } from './base.ts';
import {
  Budget,
  DEFAULT_MODEL_TIMEOUT_MS,
  ModelStopped,
  type Progress,
  type StopFlag,
} from './budget.ts';
import {
  type EnumerateOptions,
  type Execution,
  finalValues,
  forEachCandidate,
} from './execution.ts';
import { lkmm } from './lkmm.ts';
import { sc } from './sc.ts';
import { searchVerdict } from './search.ts';
import { tso } from './tso.ts';

export { MODELS, type ModelName };

export const MODEL_TABLE: Readonly<Record<ModelName, Model>> = { sc, tso, lkmm };

/** 'all': every final state and its count; 'verdict': only enough executions to settle the observation. */
export type Search = 'all' | 'verdict';

export interface Verdict {
  model: ModelName;
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
}

export interface CheckOptions {
  timeoutMs?: number;
  /** Stop (ModelStopped, reason 'interrupted') once this is aborted. */
  signal?: StopFlag;
  /** Default 'all'. */
  search?: Search;
  /** Also give up after this much CPU time (budget.ts's cpuMs). */
  cpuMs?: number;
  /** Only this share of the trace combinations (a worker's part of a split run: parallel.ts). */
  share?: EnumerateOptions['share'];
  /** Abandon prefixes of threads that already break a monotone axiom (prefix.ts); default true. */
  prune?: boolean;
  /** Only prefixes with this many trace combinations below them; default PRUNE_MIN. */
  pruneMin?: number;
}

/**
 * A prefix is checked only when at least this many combinations hang below it: the check
 * costs about as much as one candidate's model run (more with RCU's rcu-order fixpoint). On
 * the kernel's 8-reader RCU scale tests, where 65,535 of 65,536 candidates are accepted and
 * nothing can be cut, checking every thread prefix cost 2.4× the unpruned search, from 16
 * combinations up +17–22% CPU (about 1,365 checks); from 64, about 341 checks.
 */
export const PRUNE_MIN = 64;

/** How a final-state key reads in an execution: a register's final value, a location's co-last write. */
export function stateLookup(test: Test, x: Execution): (k: StateKey) => Value {
  const locs = finalValues(x);
  return (k) => {
    if (k.kind === 'loc') return locs[test.locations.findIndex((l) => l.name === k.loc)] ?? 0;
    return x.sk.traces[k.thread]?.regs.get(k.reg) ?? 0;
  };
}

/** The accepted executions met so far, counted as herd7 counts them. */
export class Tally {
  positive = 0;
  negative = 0;
  readonly states = new Map<string, { witness: boolean; executions: number }>();
  readonly flags = new Set<string>();
  private readonly keys: StateKey[];

  constructor(
    private readonly test: Test,
    private readonly model: Model,
  ) {
    this.keys = observedKeys(test);
  }

  /** Judge one candidate; the witness flag when it is accepted and passes the filter, else undefined. */
  add(x: Execution): boolean | undefined {
    const result = this.model.run(x);
    if (result.failed) return undefined;
    faultCheck(this.test, x);
    const lookup = stateLookup(this.test, x);
    if (this.test.filter && !evalProp(this.test.filter, lookup)) return undefined;
    for (const f of result.flags) this.flags.add(f);
    const witness = evalProp(this.test.condition.prop, lookup);
    if (witness) this.positive++;
    else this.negative++;
    const key = formatState(this.test, this.keys.map(lookup), this.keys);
    const entry = this.states.get(key) ?? { witness, executions: 0 };
    entry.executions++;
    this.states.set(key, entry);
    return witness;
  }

  verdict(search: Search, progress: Progress, elapsedMs: number): Verdict {
    return {
      model: this.model.name,
      observation: observationOf(this.positive, this.negative),
      search,
      positive: this.positive,
      negative: this.negative,
      states: this.states,
      flags: [...this.flags].sort(),
      executions: this.positive + this.negative,
      candidates: progress.candidates,
      pruned: progress.pruned ?? 0,
      elapsedMs,
    };
  }
}

export function checkModel(test: Test, model: ModelName, opts: CheckOptions = {}): Verdict {
  const m = MODEL_TABLE[model];
  if (!m) throw new UserError(`unknown model ${model}: the models are ${MODELS.join(', ')}`);
  const start = performance.now();
  const budget = new Budget({
    timeoutMs: opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    what: `${test.name} under ${model}`,
    ...(opts.signal && { signal: opts.signal }),
    ...(opts.cpuMs !== undefined && { cpuMs: opts.cpuMs }),
  });
  const search = opts.search ?? 'all';
  const tally = new Tally(test, m);
  const prune =
    opts.prune !== false && m.broken
      ? { broken: m.broken, pruneMin: opts.pruneMin ?? PRUNE_MIN }
      : {};
  try {
    budget.guard(() => {
      if (search === 'verdict') searchVerdict(test, budget, tally, prune);
      else
        forEachCandidate(test, budget, (x) => void tally.add(x), {
          ...(opts.share && { share: opts.share }),
          ...prune,
        });
    });
  } catch (e) {
    // What was collected stays with the stop, for a partial report.
    if (e instanceof ModelStopped) e.partial = tally.verdict(search, e.progress, e.elapsedMs);
    throw e;
  }
  return tally.verdict(search, budget.progress, performance.now() - start);
}

/** An allowed execution that dereferences a register holding no address is the test's bug. */
function faultCheck(test: Test, x: Execution): void {
  const t = x.sk.traces.find((tr) => tr.fault);
  if (!t?.fault) return;
  const { instr, reg, value } = t.fault;
  throw new UserError(
    `P${t.thread} dereferences ${reg}, which holds ${formatValue(test, value)} and not the address of a shared location, in an execution the model allows`,
    test.file,
    instr.pos,
  );
}
