// The ablation table: for each ordering element removed or weakened, whether the condition
// becomes reachable under the model (then the element is necessary) and what hw showed.

import type { Test } from '../litmus/ir.ts';
import { count, table } from './format.ts';

export interface AblationRow {
  element: string;
  change: string;
  /** The model's Observation for the variant. */
  observation: 'Never' | 'Sometimes' | 'Always';
  /** Condition states the variant allows that the test as written does not. */
  newlyAllowed: string[];
  hw?: { runs: number; witnesses: number };
}

export function formatAblation(test: Test, rows: AblationRow[], model: string): string {
  if (rows.length === 0) return `Ablation: ${test.name} has no ordering element to remove.`;
  const header = ['element', 'change', `${model} verdict`, 'necessary?', 'hw witnesses'];
  const body = rows.map((r) => [
    r.element,
    r.change,
    r.observation,
    r.newlyAllowed.length > 0 ? `yes: allows ${r.newlyAllowed.join(' | ')}` : 'no',
    r.hw ? `${count(r.hw.witnesses)} / ${count(r.hw.runs)}` : '-',
  ]);
  return [
    `Ablation of ${test.name} (each element removed or weakened alone)`,
    table([header, ...body]),
  ].join('\n');
}
