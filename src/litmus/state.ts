// Final states and histograms of them, shared by every backend so that a state the model
// allows and a state the hardware produced are compared as the same string.
//
// A final state is the values of observedKeys(test), in that order. Its printed form is
// herd7's: `0:r0=1; 1:r0=0; [x]=1;` — registers as `P:r`, locations in brackets, addresses
// as the name of the location they point to.

import {
  addressOf,
  evalProp,
  locationOfAddress,
  observedKeys,
  type Prop,
  type StateKey,
  type Test,
  type Value,
} from './ir.ts';

/** Values aligned with observedKeys(test). */
export type FinalState = readonly Value[];

/** Printed final state → how many runs (hw, weak) or executions (model) ended in it. */
export type Histogram = Map<string, number>;

export function formatValue(test: Test, v: Value): string {
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

/** Add `count` runs ending in `state` to a histogram. */
export function addToHistogram(h: Histogram, state: string, count = 1): void {
  h.set(state, (h.get(state) ?? 0) + count);
}

/** The histogram's states in herd7's order (sorted as printed, which sorts values digit-wise). */
export function sortedStates(h: Histogram): [state: string, count: number][] {
  return [...h.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The values of a printed state by key name (`0:r0`, `[x]`), read back to Values. */
function parseState(test: Test, state: string): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const part of state.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) values.set(part.slice(0, eq).trim(), parseValue(test, part.slice(eq + 1).trim()));
  }
  return values;
}

/** formatValue's inverse: a location name is its address, anything else a number. */
function parseValue(test: Test, printed: string): Value {
  const loc = test.locations.findIndex((l) => l.name === printed);
  return loc >= 0 ? addressOf(loc) : Number(printed);
}

/** Whether a printed final state satisfies a proposition of the test (its condition by default). */
export function stateSatisfies(
  test: Test,
  state: string,
  prop: Prop = test.condition.prop,
): boolean {
  const values = parseState(test, state);
  return evalProp(prop, (k) => values.get(formatKey(k)) ?? Number.NaN);
}

/** Runs of a histogram whose state satisfies the condition (positive) and the others. */
export function witnessCounts(test: Test, h: Histogram): { positive: number; negative: number } {
  let positive = 0;
  let negative = 0;
  for (const [state, n] of h) {
    if (stateSatisfies(test, state)) positive += n;
    else negative += n;
  }
  return { positive, negative };
}
