// The ablation table: for each ordering element removed or weakened, whether the condition
// becomes reachable under the model (then the element is necessary) and what each backend that
// runs threads showed.

import type { Test } from '../litmus/ir.ts';
import { count, table } from './format.ts';

export interface AblationRow {
  element: string;
  change: string;
  /** The model's Observation for the variant. */
  observation: 'Never' | 'Sometimes' | 'Always';
  /** Condition states the variant allows that the test as written does not. */
  newlyAllowed: string[];
  /** Per backend that runs threads (by name): runs and witnesses; absent where it refused. */
  runs: Record<string, { runs: number; witnesses: number }>;
}

/** `backends`: the threads backends asked for, one column each. */
export function formatAblation(
  test: Test,
  rows: AblationRow[],
  model: string,
  backends: readonly string[] = [],
): string {
  if (rows.length === 0) return `Ablation: ${test.name} has no ordering element to remove.`;
  const header = [
    'element',
    'change',
    `${model} verdict`,
    'necessary?',
    ...backends.map((b) => `${b} witnesses`),
  ];
  const body = rows.map((r) => [
    r.element,
    r.change,
    r.observation,
    r.newlyAllowed.length > 0 ? `yes: allows ${r.newlyAllowed.join(' | ')}` : 'no',
    ...backends.map((b) => {
      const x = r.runs[b];
      return x ? `${count(x.witnesses)} / ${count(x.runs)}` : '-';
    }),
  ]);
  return [
    `Ablation of ${test.name} (each element removed or weakened alone)`,
    table([header, ...body]),
  ].join('\n');
}
