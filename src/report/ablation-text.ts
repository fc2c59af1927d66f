// The ablation tables. A litmus test's: for each ordering element removed or weakened, whether
// the condition becomes reachable under the model (then the element is necessary) and what
// each backend that runs threads showed. A program scenario's: for each call of an ordering
// primitive weakened, the outcomes the explorer then reaches, and how far that was explored.

import type { ScenarioAblationRow } from '../explore/scenario-result.ts';
import type { Test } from '../litmus/ir.ts';
import { count, SEEDED, table } from './format.ts';
import { aside, boundsOf, stoppedAt } from './scenario-model-text.ts';

export interface AblationRow {
  element: string;
  change: string;
  /** The model's Observation for the variant. */
  observation: 'Never' | 'Sometimes' | 'Always';
  /** Condition states the variant allows that the test as written does not. */
  newlyAllowed: string[];
  /**
   * Per backend that runs threads (by name): runs and witnesses, and whether they were stepped
   * in process (the same at any load) rather than raced on threads; absent where it refused.
   */
  runs: Record<string, { runs: number; witnesses: number; stepped?: boolean }>;
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
    ...backends.map((b) => `${b} witnesses${rows.some((r) => r.runs[b]?.stepped) ? SEEDED : ''}`),
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

/**
 * A program scenario's ablation (src/explore/ablate.ts): each call of an ordering primitive
 * weakened alone, per variant, and the outcomes the model then reaches that the variant as
 * written never does. `variants`: the variants explored, for those without any such call.
 */
export function formatScenarioAblation(
  scenario: string,
  model: string,
  rows: readonly ScenarioAblationRow[],
  variants: readonly string[],
): string {
  const without = variants.filter((v) => !rows.some((r) => r.variant === v));
  const none = without.length > 0 ? [`No ordering call to weaken in: ${without.join(', ')}`] : [];
  if (rows.length === 0) return [`Ablation of ${scenario}: no ordering call to weaken.`].join('\n');
  const header = ['variant', 'element', 'thread', 'change', 'necessary?', 'explored'];
  const body = rows.map((r) => [
    r.variant,
    r.element,
    r.threads.join(', '),
    r.change,
    necessary(r),
    explored(r),
  ]);
  return [
    `Ablation of ${scenario} under ${model} (each ordering call of the scenario weakened alone, the variant explored again)`,
    table([header, ...body]),
    ...none,
  ].join('\n');
}

function necessary(r: ScenarioAblationRow): string {
  if (r.newlyReachable.length > 0) {
    const reached = r.newlyReachable
      .map((o) => `"${o.outcome}" (${o.grade}${o.raceFree ? ', now without a data race' : ''})`)
      .join(', ');
    // The variant as written not explored to the end: it may reach them too.
    const unfinished = r.baseExtent.kind === 'gave-up' || r.baseExtent.kind === 'interrupted';
    return unfinished
      ? `maybe: reaches ${reached}, which the variant's own exploration did not finish looking for`
      : `yes: reaches ${reached}`;
  }
  switch (r.extent.kind) {
    case 'exhaustive':
      return `no${aside(r.extent)}`;
    case 'bounded':
      return `no, within the bounds${aside(r.extent)}`;
    default:
      return 'unknown: not explored to the end';
  }
}

function explored(r: ScenarioAblationRow): string {
  const n = `${count(r.executions)} execution${r.executions === 1 ? '' : 's'}`;
  const e = r.extent;
  switch (e.kind) {
    case 'exhaustive':
      return `exhaustive${aside(e)}, ${n}`;
    case 'bounded':
      return `within ${boundsOf(e)}${aside(e)}, ${n}`;
    case 'gave-up':
    case 'interrupted':
      return stoppedAt(e, n);
    case 'refused':
      return 'not explored';
  }
}
