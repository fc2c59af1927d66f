// One litmus test on several engines (--engine all, --engine node-tiers): one row per engine —
// JS engine and version, runs/s, witnesses, states outside the model — then one column per
// final state any engine reached, so that where the engines differ is read across a column.
//
//   engine   JS engine                      runs/s     witnesses  outside lkmm  0:r0=0; 1:r0=0;  …
//   node     V8 11.3.244.8-node.33          5.01 M/s   226,517    0             226,517*
//   bun      JavaScriptCore WebKit d6375c…  2.10 M/s   1,204      0             1,204*

import type { Test } from '../litmus/ir.ts';
import { sortedStates, stateSatisfies, witnessCounts } from '../litmus/state.ts';
import type { Verdict } from '../model/index.ts';
import type { HostInfo } from '../runtime/host.ts';
import type { HwResult } from '../runtime/litmus-run.ts';
import { count, rate, table } from './format.ts';
import { statesOutsideModel, verdictLine } from './litmus-text.ts';

export interface EngineRow {
  label: string;
  host?: HostInfo;
  hw?: HwResult;
  /** Why this engine gave no result (not installed, failed to start). */
  failed?: string;
}

export function formatEngineRows(
  test: Test,
  verdict: Verdict | undefined,
  rows: EngineRow[],
): string {
  const states = new Set<string>();
  for (const r of rows) for (const [s] of sortedStates(r.hw?.histogram ?? new Map())) states.add(s);
  const stateList = [...states].sort();
  const header = [
    'engine',
    'version',
    'JS engine',
    'flags',
    'runs',
    'runs/s',
    'witnesses',
    `outside ${verdict?.model ?? 'model'}`,
    ...stateList,
  ];
  const body = rows.map((r) => {
    if (!r.hw || !r.host)
      return [r.label, '-', '-', '-', '-', '-', '-', ...stateList.map(() => '-')];
    const hw = r.hw;
    const e = r.host.engine;
    const outside = verdict ? statesOutsideModel(hw.histogram, verdict).length : 0;
    return [
      r.label,
      e.version,
      `${e.jsEngine} ${e.jsVersion}`,
      e.flags.join(' ') || '-',
      `${count(hw.runs)}${hw.partial ? ' (partial)' : ''}`,
      rate((hw.runs * 1000) / Math.max(1, hw.elapsedMs)),
      count(witnessCounts(test, hw.histogram).positive),
      verdict ? (outside ? `${outside} OUTSIDE THE MODEL` : '0') : '-',
      ...stateList.map((s) => cell(test, hw, s)),
    ];
  });
  const lines = [`Test ${test.name}  (${test.file}) on ${rows.length} engines`];
  if (verdict) lines.push(verdictLine(verdict));
  lines.push(table([header, ...body]));
  const differ = stateList.filter((s) => {
    const seen = rows.filter((r) => r.hw).map((r) => (r.hw!.histogram.get(s) ?? 0) > 0);
    return seen.includes(true) && seen.includes(false);
  });
  lines.push(
    differ.length
      ? `Seen on some engines only: ${differ.join('  ')}`
      : 'Every engine reached the same final states.',
  );
  for (const r of rows) if (r.failed) lines.push(`${r.label}: ${r.failed}`);
  lines.push('A state cell is its count on that engine; * marks a witness; "-" = not reached.');
  return lines.join('\n');
}

function cell(test: Test, hw: HwResult, state: string): string {
  const n = hw.histogram.get(state);
  return n ? `${count(n)}${stateSatisfies(test, state) ? '*' : ''}` : '-';
}
