// checkModel: every candidate execution of a test, judged by a model, counted as herd7 counts.
//
// Positive = accepted executions whose final state satisfies the condition's proposition,
// Negative = the other accepted ones (herd7 counts this way for exists, ~exists and forall
// alike); executions whose final state fails the `filter` clause are not counted at all. The
// states are the distinct final states over observedKeys(test), printed by formatState.
// Observation: Never (no positive), Always (no negative), Sometimes otherwise.

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
import { Budget, DEFAULT_MODEL_TIMEOUT_MS } from './budget.ts';
import { type Execution, finalValues, forEachCandidate } from './execution.ts';
import { lkmm } from './lkmm.ts';
import { sc } from './sc.ts';
import { tso } from './tso.ts';

export { MODELS, type ModelName };

export const MODEL_TABLE: Readonly<Record<ModelName, Model>> = { sc, tso, lkmm };

export interface Verdict {
  model: ModelName;
  observation: Expectation;
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
  elapsedMs: number;
}

export interface CheckOptions {
  timeoutMs?: number;
}

/** How a final-state key reads in an execution: a register's final value, a location's co-last write. */
export function stateLookup(test: Test, x: Execution): (k: StateKey) => Value {
  const locs = finalValues(x);
  return (k) => {
    if (k.kind === 'loc') return locs[test.locations.findIndex((l) => l.name === k.loc)] ?? 0;
    return x.sk.traces[k.thread]?.regs.get(k.reg) ?? 0;
  };
}

export function checkModel(test: Test, model: ModelName, opts: CheckOptions = {}): Verdict {
  const m = MODEL_TABLE[model];
  if (!m) throw new UserError(`unknown model ${model}: the models are ${MODELS.join(', ')}`);
  const start = performance.now();
  const budget = new Budget(
    opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    `${test.name} under ${model}`,
  );
  const keys = observedKeys(test);
  const states = new Map<string, { witness: boolean; executions: number }>();
  const flags = new Set<string>();
  let positive = 0;
  let negative = 0;
  const candidates = forEachCandidate(test, budget, (x) => {
    const result = m.run(x);
    if (result.failed) return;
    faultCheck(test, x);
    const lookup = stateLookup(test, x);
    if (test.filter && !evalProp(test.filter, lookup)) return;
    for (const f of result.flags) flags.add(f);
    const witness = evalProp(test.condition.prop, lookup);
    if (witness) positive++;
    else negative++;
    const key = formatState(test, keys.map(lookup), keys);
    const entry = states.get(key) ?? { witness, executions: 0 };
    entry.executions++;
    states.set(key, entry);
  });
  return {
    model,
    observation: observationOf(positive, negative),
    positive,
    negative,
    states,
    flags: [...flags].sort(),
    executions: positive + negative,
    candidates,
    elapsedMs: performance.now() - start,
  };
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
