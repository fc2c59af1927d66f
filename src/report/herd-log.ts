// herd7's and litmus7's log lines, exactly as those tools print them (herdtools7 7.58), for the
// lines smplab prints with the same meaning — so that mcompare7 and the kernel's
// judgelitmus.sh read smplab's output as they read herd7's and litmus7's:
//
//   Test SB+poonceonces Allowed                    herd7 (the model)    litmus7 (threads)
//   States 4                                       Histogram (4 states)
//   0:r0=0; 1:r0=0;                                778   *>0:r0=0; 1:r0=0;
//   Ok                                             Ok
//                                                  (a blank line)
//   Witnesses                                      Witnesses
//   Positive: 1 Negative: 3                        Positive: 778, Negative: 1222
//   Condition exists (0:r0=0 /\ 1:r0=0)            Condition exists (…) is validated
//   Observation SB+poonceonces Sometimes 1 3       Hash=d2b6ca86cddfad6178a05767f57fafbf
//   Time SB+poonceonces 0.00                       Observation SB+poonceonces Sometimes 778 1222
//   Hash=d2b6ca86cddfad6178a05767f57fafbf          Time SB+poonceonces 0.57
//
// Conventions kept: the kind is Allowed (exists), Required (forall) or Forbidden (~exists); Ok
// means the quantified condition holds; Witnesses count the executions (runs) that satisfy the
// quantified condition (for ~exists, those where the proposition is false), Observation those
// satisfying the proposition; a condition is printed by herd's pretty-printer (`[x]=1`,
// `not (…)`, parentheses only around a disjunction inside a conjunction). This module makes
// lines only; litmus-text.ts decides where they go.

import { observationOf, type Prop, type Quantifier, type Test } from '../litmus/ir.ts';
import { formatKey, formatValue } from '../litmus/state.ts';

/** herd7's word for the condition's quantifier, on the Test line. */
export function herdKind(q: Quantifier): 'Allowed' | 'Required' | 'Forbidden' {
  return q === 'exists' ? 'Allowed' : q === 'forall' ? 'Required' : 'Forbidden';
}

/** `Test SB+poonceonces Allowed` */
export const testLine = (test: Test): string =>
  `Test ${test.name} ${herdKind(test.condition.quantifier)}`;

/** The condition as herd7 prints it: `exists (0:r0=0 /\ [x]=1)`. */
export function conditionText(test: Test): string {
  const { quantifier, prop } = test.condition;
  return `${quantifier} (${propText(test, prop, 'top')})`;
}

type Above = 'top' | 'and' | 'or';

function propText(test: Test, p: Prop, above: Above): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'eq':
      return `${formatKey(p.key)}=${formatValue(test, p.value)}`;
    case 'eqkeys':
      return `${formatKey(p.key)}=${formatKey(p.other)}`;
    case 'not':
      return `not (${propText(test, p.arg, 'top')})`;
    case 'and':
      return `${propText(test, p.left, 'and')} /\\ ${propText(test, p.right, 'and')}`;
    case 'or': {
      const s = `${propText(test, p.left, 'or')} \\/ ${propText(test, p.right, 'or')}`;
      return above === 'and' ? `(${s})` : s;
    }
  }
}

/** Whether the quantified condition holds, from the counts of the proposition (Ok / No). */
export function validated(q: Quantifier, positive: number, negative: number): boolean {
  return q === 'exists' ? positive > 0 : q === 'forall' ? negative === 0 : positive === 0;
}

/** The Witnesses counts: the proposition's, swapped for ~exists (as herd7 and litmus7 count). */
function witnesses(q: Quantifier, positive: number, negative: number): [number, number] {
  return q === '~exists' ? [negative, positive] : [positive, negative];
}

const hashLine = (test: Test): string[] => (test.herdHash ? [`Hash=${test.herdHash}`] : []);

/**
 * herd7's block after its Test line: the states the model allows, Ok/No, the witnesses, the
 * flags, the condition, the Observation, the time and the hash.
 */
export function herdBlock(
  test: Test,
  v: { states: Iterable<string>; positive: number; negative: number; flags: string[] },
  seconds: number,
): string[] {
  const states = [...v.states];
  const q = test.condition.quantifier;
  const [pos, neg] = witnesses(q, v.positive, v.negative);
  return [
    `States ${states.length}`,
    ...states,
    validated(q, v.positive, v.negative) ? 'Ok' : 'No',
    'Witnesses',
    `Positive: ${pos} Negative: ${neg}`,
    ...v.flags.map((f) => `Flag ${f}`),
    `Condition ${conditionText(test)}`,
    observationLine(test, v.positive, v.negative),
    `Time ${test.name} ${seconds.toFixed(2)}`,
    ...hashLine(test),
  ];
}

/** litmus7's histogram line: `778   *>0:r0=0; 1:r0=0;` (the count left-aligned in 6). */
export const histogramLine = (count: number, witness: boolean, state: string): string =>
  `${String(count).padEnd(6)}${witness ? '*' : ':'}>${state}`;

/** litmus7's block after its histogram lines: Ok/No to the Time line. */
export function litmusTail(
  test: Test,
  positive: number,
  negative: number,
  seconds: number,
): string[] {
  const q = test.condition.quantifier;
  const ok = validated(q, positive, negative);
  const [pos, neg] = witnesses(q, positive, negative);
  return [
    ok ? 'Ok' : 'No',
    '',
    'Witnesses',
    `Positive: ${pos}, Negative: ${neg}`,
    `Condition ${conditionText(test)} is ${ok ? '' : 'NOT '}validated`,
    ...hashLine(test),
    observationLine(test, positive, negative),
    `Time ${test.name} ${seconds.toFixed(2)}`,
  ];
}

const observationLine = (test: Test, positive: number, negative: number): string =>
  `Observation ${test.name} ${observationOf(positive, negative)} ${positive} ${negative}`;
