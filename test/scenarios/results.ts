// Reading one variant's result in the scenario tests: an outcome's count, a counter's value,
// every outcome summed. A name the result does not have throws, naming it, so that a misspelt
// outcome cannot pass for a count of zero.

import type { VariantResult } from '../../src/runtime/scenario/result.ts';

/** How many times `outcome` was seen in variant v. */
export function count(v: VariantResult, outcome: string): number {
  const o = v.outcomes.find((x) => x.outcome === outcome);
  if (!o) throw new Error(`${v.variant}: no outcome "${outcome}"`);
  return o.count;
}

/** The value of counter metric `name` in variant v. */
export function counter(v: VariantResult, name: string): number {
  const c = v.counters.find((x) => x.name === name);
  if (!c) throw new Error(`${v.variant}: no counter "${name}"`);
  return c.value;
}

/** Every outcome of variant v summed (the stall row included, if any). */
export function sum(v: VariantResult): number {
  return v.outcomes.reduce((n, o) => n + o.count, 0);
}
