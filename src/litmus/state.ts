// Final states and histograms of them, shared by every backend so that a state the model
// allows and a state the hardware produced are compared as the same string.
//
// A final state is the values of observedKeys(test), in that order. Its printed form is
// herd7's: `0:r0=1; 1:r0=0; [x]=1;` — registers as `P:r`, locations in brackets, addresses
// as the name of the location they point to.

import {
  evalProp,
  locationOfAddress,
  observedKeys,
  type Prop,
  type StateKey,
  symbolOf,
  type Test,
  type Value,
} from './ir.ts';

/** Values aligned with observedKeys(test). */
export type FinalState = readonly Value[];

/** A final state a backend produced, as values, and how many runs ended in it. */
export interface Observed {
  values: FinalState;
  count: number;
}

/**
 * Final states and their counts, keyed by the state's herd7 form (formatState): the one key the
 * model's verdict uses too, so that a state hw produced and a state the model allows are the same
 * entry. Conditions are evaluated on the values, never on the key.
 */
export type Histogram = Map<string, Observed>;

export function formatValue(test: Test, v: Value): string {
  const symbol = symbolOf(v);
  if (symbol !== undefined) return `S${symbol}`;
  const loc = locationOfAddress(test, v);
  return loc === undefined ? String(v) : test.locations[loc]!.name;
}

export function formatKey(k: StateKey): string {
  return k.kind === 'reg' ? `${k.thread}:${k.reg}` : `[${k.loc}]`;
}

/** herd7's form of a final state: `0:r0=1; 1:r0=0; [x]=1;` */
export function formatState(test: Test, state: FinalState, keys = observedKeys(test)): string {
  return keys.map((k, i) => `${formatKey(k)}=${formatValue(test, state[i]!)};`).join(' ');
}

/** Add `count` runs ending in `values` to a histogram. */
export function addToHistogram(
  test: Test,
  h: Histogram,
  values: FinalState,
  count = 1,
  keys = observedKeys(test),
): void {
  const key = formatState(test, values, keys);
  const o = h.get(key);
  if (o) o.count += count;
  else h.set(key, { values, count });
}

/** Keys in herd7's order (sorted as printed, which sorts values digit-wise, symbols first). */
export function sortedKeys(keys: Iterable<string>): string[] {
  // herd7 lists a symbol (`S1`) before any number in the same place.
  const ordered = [...keys].map((k) => ({ k, order: k.replace(/=S(\d+);/g, '=!S$1;') }));
  ordered.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
  return ordered.map((o) => o.k);
}

/** Whether a final state satisfies a proposition of the test (its condition by default). */
export function satisfies(
  test: Test,
  values: FinalState,
  prop: Prop = test.condition.prop,
  keys = observedKeys(test),
): boolean {
  return satisfiesOf(test, prop, keys)(values);
}

/**
 * satisfies() for many states of one test: the keys' positions are found once (a record may
 * hold 200,000 states; finding them per state made grading it take seconds).
 */
export function satisfiesOf(
  test: Test,
  prop: Prop = test.condition.prop,
  keys = observedKeys(test),
): (values: FinalState) => boolean {
  const at = new Map(keys.map((k, i) => [formatKey(k), i]));
  return (values) =>
    evalProp(prop, (k) => {
      const i = at.get(formatKey(k));
      return i === undefined ? Number.NaN : values[i]!;
    });
}

/** Runs of a histogram whose state satisfies the condition (positive) and the others. */
export function witnessCounts(test: Test, h: Histogram): { positive: number; negative: number } {
  const witness = satisfiesOf(test);
  let positive = 0;
  let negative = 0;
  for (const { values, count } of h.values()) {
    if (witness(values)) positive += count;
    else negative += count;
  }
  return { positive, negative };
}

/** Runs a histogram counts. */
export function histogramRuns(h: Histogram): number {
  let n = 0;
  for (const o of h.values()) n += o.count;
  return n;
}
