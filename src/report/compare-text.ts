// Tests side by side: one column per test; rows for the Result line, then one row per backend
// (the model's verdict, or a threads backend's witnesses), then every final state any of them
// reached with its count on each backend that ran threads, or `forbidden` where that test's
// graded model rules it out.

import type { BackendResult } from '../backends/backend.ts';
import type { Grading } from '../backends/soundness.ts';
import { observedKeys, stateKeyName, type Test } from '../litmus/ir.ts';
import { satisfies, witnessCounts } from '../litmus/state.ts';
import type { HostInfo } from '../runtime/host.ts';
import { describeEngine } from '../runtime/identity.ts';
import { count, SEEDED, table } from './format.ts';

export interface ComparedTest {
  test: Test;
  results: BackendResult[];
  grading: Grading;
}

export function formatComparison(columns: ComparedTest[], host: HostInfo): string {
  const names = columns[0]?.results.map((r) => r.backend) ?? [];
  const runsNames = names.filter((n) => columns.some((c) => resultOf(c, n)?.runs));
  const rows: string[][] = [
    ['', ...columns.map((c) => c.test.name)],
    ['Result line', ...columns.map((c) => c.test.expected ?? '-')],
    ...names.map((n) => [rowName(columns, n), ...columns.map((c) => backendCell(c, n))]),
  ];
  const shapes = stateShapes(columns);
  for (const [state, shape] of shapes)
    rows.push([
      state,
      // A state over other registers or locations is not one this test can end in at all.
      ...columns.map((c) => (shapeOf(c.test) === shape ? stateCell(c, state, runsNames) : '—')),
    ]);
  const counts = runsNames.length ? `the count on ${runsNames.join(' | ')}` : 'the model grade';
  const legend =
    `${host.arch} ${host.cpuModel}, ${host.cores} CPUs, ${describeEngine(host.engine)}. ` +
    `A state cell is ${counts}; * marks a state satisfying that test's condition; "forbidden" = the model rules it out; "-" = not reached; "—" = a state of other registers or locations than this test's.`;
  return `${table(rows)}\n\n${legend}`;
}

function resultOf(c: ComparedTest, backend: string): BackendResult | undefined {
  return c.results.find((r) => r.backend === backend);
}

function rowName(columns: ComparedTest[], backend: string): string {
  const v = columns.map((c) => resultOf(c, backend)?.verdict).find((x) => x);
  if (v) return `model ${v.model}`;
  const stepped = columns.some((c) => resultOf(c, backend)?.runs?.barrier === 'stepped');
  return `${backend} witnesses${stepped ? SEEDED : ''}`;
}

function backendCell(c: ComparedTest, backend: string): string {
  const r = resultOf(c, backend);
  if (!r) return '-';
  if (r.tag === 'refused') return 'not run';
  if (r.tag === 'gave-up') return 'gave up';
  if (r.tag === 'faulted') return 'fault';
  if (r.verdict) return `${r.verdict.observation} (${r.verdict.states.size} states)`;
  const witnesses = witnessCounts(c.test, r.runs.histogram).positive;
  return `${count(witnesses)} / ${count(r.runs.runs)}${r.tag === 'interrupted' ? ' (partial)' : ''}`;
}

/** The keys a test's final states are made of (its observed registers and locations). */
function shapeOf(test: Test): string {
  return observedKeys(test).map(stateKeyName).join(' ');
}

/** Every final state any column reached, sorted, with the shape of the test that reached it. */
function stateShapes(columns: ComparedTest[]): Map<string, string> {
  const states = new Map<string, string>();
  for (const c of columns) {
    const shape = shapeOf(c.test);
    for (const s of c.grading.graded?.states.keys() ?? []) states.set(s, shape);
    for (const r of c.results) for (const s of r.runs?.histogram.keys() ?? []) states.set(s, shape);
  }
  return new Map([...states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function stateCell(c: ComparedTest, state: string, runsNames: string[]): string {
  const mark = isWitness(c, state) ? '*' : '';
  const ran = runsNames.map((n) => resultOf(c, n)?.runs);
  const seen = ran.map((r) => (r ? (r.histogram.get(state)?.count ?? 0) : undefined));
  const counts = seen.map((n) => (n === undefined ? '-' : count(n))).join(' | ');
  const anySeen = seen.some((n) => n !== undefined && n > 0);
  const outside = c.grading.breaches.some((b) => b.states.includes(state));
  if (outside) return `${counts}${mark} OUTSIDE THE MODEL`;
  const allowed = c.grading.graded ? c.grading.graded.states.has(state) : true;
  if (!allowed)
    return anySeen ? `${counts}${mark} (forbidden by ${c.grading.graded!.model})` : 'forbidden';
  if (ran.some((r) => r)) return `${counts}${mark}`;
  return c.grading.graded ? `allowed${mark}` : '-';
}

/** Whether a state satisfies the test's condition: the model says so, or its values do. */
function isWitness(c: ComparedTest, state: string): boolean {
  const modelSays = c.grading.graded?.states.get(state)?.witness;
  if (modelSays !== undefined) return modelSays;
  const o = c.results.map((r) => r.runs?.histogram.get(state)).find((x) => x);
  return o ? satisfies(c.test, o.values) : false;
}
