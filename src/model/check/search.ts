// The verdict alone, as herd7's -speedcheck gives it: the observation (Never, Sometimes,
// Always) needs one accepted execution that satisfies the condition and one that does not —
// not every execution. So: look for a positive among the trace combinations whose registers
// may still satisfy the condition, stop at the first; then, unless one was met on the way,
// for a negative among those that may still fail it.
//
// A combination is cut as soon as the threads chosen so far decide the condition (or the
// filter) the wrong way: partialProp evaluates a proposition with the unchosen threads'
// registers and every location unknown. For a test whose condition names every thread's
// registers, as the kernel's large RCU tests do, that leaves one combination out of 2^N.

import type { Prop, StateKey, Test, Value } from '../../litmus/ir.ts';
import type { Budget } from '../core/budget.ts';
import type { Trace } from '../core/events.ts';
import { type EnumerateOptions, forEachCandidate } from '../enumerate/candidates.ts';
import { thinAirReads } from '../solve/static.ts';
import type { Tally } from './tally.ts';

export function searchVerdict(
  test: Test,
  budget: Budget,
  tally: Tally,
  prune: Pick<EnumerateOptions, 'broken' | 'pruneMin' | 'choices'> = {},
): void {
  const cond = test.condition.prop;
  const filter = test.filter;
  const symbolic = thinAirReads(test).registers;
  const known = (chosen: readonly (Trace | undefined)[]) => chosenRegisters(chosen, symbolic);
  const passes = (chosen: readonly (Trace | undefined)[]) =>
    !filter || partialProp(filter, known(chosen)) !== false;
  forEachCandidate(test, budget, (x) => tally.add(x) === true, {
    ...prune,
    keep: (chosen) => passes(chosen) && partialProp(cond, known(chosen)) !== false,
  });
  if (tally.negative > 0) return;
  forEachCandidate(test, budget, (x) => tally.add(x) === false, {
    ...prune,
    keep: (chosen) => passes(chosen) && partialProp(cond, known(chosen)) !== true,
  });
}

/**
 * A register's final value in its thread's chosen trace; undefined for anything not yet
 * known, and for a register that may end holding a value herd7 leaves symbolic (its value in
 * the trace is then one instance of it: solve/solve.ts).
 */
function chosenRegisters(
  chosen: readonly (Trace | undefined)[],
  symbolic: Set<string>,
): (k: StateKey) => Value | undefined {
  return (k) => {
    if (k.kind !== 'reg' || symbolic.has(`${k.thread}:${k.reg}`)) return undefined;
    const t = chosen[k.thread];
    return t ? (t.regs.get(k.reg) ?? 0) : undefined;
  };
}

/**
 * Kleene's three-valued reading of a proposition: true or false when the known keys decide
 * it whatever the unknown ones hold, undefined otherwise.
 */
export function partialProp(
  p: Prop,
  lookup: (k: StateKey) => Value | undefined,
): boolean | undefined {
  switch (p.kind) {
    case 'true':
      return true;
    case 'eq': {
      const v = lookup(p.key);
      return v === undefined ? undefined : v === p.value;
    }
    case 'eqkeys': {
      const [a, b] = [lookup(p.key), lookup(p.other)];
      return a === undefined || b === undefined ? undefined : a === b;
    }
    case 'not': {
      const a = partialProp(p.arg, lookup);
      return a === undefined ? undefined : !a;
    }
    case 'and': {
      const l = partialProp(p.left, lookup);
      if (l === false) return false;
      const r = partialProp(p.right, lookup);
      if (r === false) return false;
      return l === true && r === true ? true : undefined;
    }
    case 'or': {
      const l = partialProp(p.left, lookup);
      if (l === true) return true;
      const r = partialProp(p.right, lookup);
      if (r === true) return true;
      return l === false && r === false ? false : undefined;
    }
    default:
      // A kind of proposition this reading does not know decides nothing early.
      return undefined;
  }
}
