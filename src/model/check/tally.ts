// Counting accepted executions as herd7 counts them: Positive = accepted executions whose
// final state satisfies the condition's proposition, Negative = the other accepted ones
// (herd7 counts this way for exists, ~exists and forall alike); executions whose final state
// fails the `filter` clause are not counted at all. The states are the distinct final states
// over observedKeys(test), printed by formatState, with herd7's symbols where it keeps values
// symbolic (solve/solve.ts). Observation: Never (no positive), Always
// (no negative), Sometimes otherwise. An allowed execution that faults is the test's bug.

import { UserError } from '../../errors.ts';
import {
  evalProp,
  observationOf,
  observedKeys,
  type StateKey,
  type Test,
  type Value,
} from '../../litmus/ir.ts';
import { formatState, formatValue } from '../../litmus/state.ts';
import type { Model, ModelResult } from '../core/base.ts';
import type { Progress } from '../core/budget.ts';
import { type Execution, finalValues } from '../core/execution.ts';
import type { Search, Verdict } from '../core/verdict.ts';
import { valueDomains } from '../enumerate/values.ts';
import { HerdValues } from '../solve/solve.ts';

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

  private readonly herd: HerdValues;

  constructor(
    private readonly test: Test,
    private readonly model: Model,
  ) {
    this.keys = observedKeys(test);
    this.herd = new HerdValues(test, () => valueDomains(test, () => {}));
  }

  /** Judge one candidate (or count one judged already); the witness flag when it is accepted and passes the filter, else undefined. */
  add(x: Execution, judged?: ModelResult): boolean | undefined {
    const result = judged ?? this.model.run(x);
    const accepted = result.executions ?? (result.failed ? 0 : 1);
    if (accepted === 0) return undefined;
    // herd7 keeps a value nothing determines as a symbol, or has no such execution.
    const lookup = this.herd.lookup(x, stateLookup(this.test, x));
    if (!lookup) return undefined;
    faultCheck(this.test, x);
    if (this.test.filter && !evalProp(this.test.filter, lookup)) return undefined;
    for (const f of result.flags) this.flags.add(f);
    const witness = evalProp(this.test.condition.prop, lookup);
    if (witness) this.positive += accepted;
    else this.negative += accepted;
    const key = formatState(this.test, this.keys.map(lookup), this.keys);
    const entry = this.states.get(key) ?? { witness, executions: 0 };
    entry.executions += accepted;
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
