// Tests side by side: one column per test; rows for the Result line, the model's verdict, hw's
// witnesses, then every final state any of them reached with its hw count, or `forbidden`
// where that test's model verdict rules it out.

import { describeEngine } from '../engines/identity.ts';
import type { Test } from '../litmus/ir.ts';
import { stateSatisfies, witnessCounts } from '../litmus/state.ts';
import type { Verdict } from '../model/index.ts';
import type { HostInfo } from '../runtime/host.ts';
import type { HwResult } from '../runtime/litmus-hw.ts';
import { count, table } from './format.ts';

export interface ComparedTest {
  test: Test;
  verdict?: Verdict;
  hw?: HwResult;
  hwSkipped?: string;
}

export function formatComparison(columns: ComparedTest[], host: HostInfo): string {
  const rows: string[][] = [
    ['', ...columns.map((c) => c.test.name)],
    ['Result line', ...columns.map((c) => c.test.expected ?? '-')],
    [
      `model ${columns[0]?.verdict?.model ?? ''}`.trim(),
      ...columns.map((c) => modelCell(c.verdict)),
    ],
    ['hw witnesses', ...columns.map(hwCell)],
  ];
  for (const state of allStates(columns))
    rows.push([state, ...columns.map((c) => stateCell(c, state))]);
  const legend =
    `hw: ${host.arch} ${host.cpuModel}, ${host.cores} CPUs, ${describeEngine(host.engine)}. ` +
    'A state cell is the hw count; * marks a state satisfying that test\'s condition; "forbidden" = the model rules it out; "-" = not reached.';
  return `${table(rows)}\n\n${legend}`;
}

function modelCell(v?: Verdict): string {
  return v ? `${v.observation} (${v.states.size} states)` : '-';
}

function hwCell(c: ComparedTest): string {
  if (!c.hw) return c.hwSkipped ? 'not run' : '-';
  const witnesses = witnessCounts(c.test, c.hw.histogram).positive;
  return `${count(witnesses)} / ${count(c.hw.runs)}${c.hw.partial ? ' (partial)' : ''}`;
}

function allStates(columns: ComparedTest[]): string[] {
  const states = new Set<string>();
  for (const c of columns) {
    for (const s of c.verdict?.states.keys() ?? []) states.add(s);
    for (const s of c.hw?.histogram.keys() ?? []) states.add(s);
  }
  return [...states].sort();
}

function stateCell(c: ComparedTest, state: string): string {
  const mark = stateSatisfies(c.test, state) ? '*' : '';
  const seen = c.hw?.histogram.get(state);
  const allowed = c.verdict ? c.verdict.states.has(state) : true;
  if (!allowed) return seen ? `${count(seen)}${mark} OUTSIDE THE MODEL` : 'forbidden';
  if (seen !== undefined) return `${count(seen)}${mark}`;
  return c.hw ? `0${mark}` : c.verdict ? `allowed${mark}` : '-';
}
