// One litmus test on several engines (--engine all, --engine node-tiers): one row per engine
// and threads backend — version, JS engine, flags, runs/s, witnesses, states outside lkmm —
// then one column per final state any row reached, so that where engines differ reads down a
// column, and a line naming the states only some engines reached.
//
//   engine  version  JS engine                           flags  runs     runs/s    witnesses  outside lkmm  0:r0=0; 1:r0=0; …
//   node    20.20.2  V8 11.3.244.8-node.38               -      500,000  914.2 k/s 0          0             -
//   bun     1.4.5    JavaScriptCore WebKit d6375c72affe  -      500,000  1.02 M/s  608        0             608*

import type { Test } from '../litmus/ir.ts';
import { satisfies, sortedKeys, witnessCounts } from '../litmus/state.ts';
import type { Verdict } from '../model/index.ts';
import type { RunsResult } from '../runtime/litmus/run.ts';
import { count, rate, table } from './format.ts';
import { verdictLine } from './litmus-text.ts';

export interface EngineRow {
  label: string;
  runs?: RunsResult;
  /** Why this engine gave no result (not installed, failed to start, refused). */
  failed?: string;
}

/** States of `runs` that `bound` (lkmm) does not allow. */
export function statesOutside(runs: RunsResult, bound: Verdict): string[] {
  return [...runs.histogram.keys()].filter((s) => !bound.states.has(s));
}

export function formatEngineRows(
  test: Test,
  bound: Verdict | undefined,
  rows: EngineRow[],
): string {
  const states = sortedKeys(new Set(rows.flatMap((r) => [...(r.runs?.histogram.keys() ?? [])])));
  const header = ['engine', 'version', 'JS engine', 'flags', 'runs', 'runs/s', 'witnesses'];
  header.push(`outside ${bound?.model ?? 'the model'}`, ...states);
  const body = rows.map((r) => {
    if (!r.runs) return [r.label, ...header.slice(1).map(() => '-')];
    const { runs } = r;
    const e = runs.host.engine;
    const outside = bound ? statesOutside(runs, bound).length : undefined;
    return [
      r.label,
      e.version,
      `${e.jsEngine} ${e.jsVersion}`,
      e.flags.join(' ') || '-',
      `${count(runs.runs)}${runs.partial ? ' (partial)' : ''}`,
      rate((runs.runs * 1000) / Math.max(1, runs.elapsedMs)),
      count(witnessCounts(test, runs.histogram).positive),
      outside === undefined ? '-' : outside ? `${outside} OUTSIDE THE MODEL` : '0',
      ...states.map((s) => cell(test, runs, s)),
    ];
  });
  const ran = rows.filter((r) => r.runs);
  const lines = [`Test ${test.name}  (${test.file}) on ${ran.length} engines`];
  if (bound) lines.push(verdictLine(bound));
  lines.push(table([header, ...body]));
  const differ = states.filter((s) => {
    const seen = ran.map((r) => r.runs!.histogram.has(s));
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

function cell(test: Test, runs: RunsResult, state: string): string {
  const o = runs.histogram.get(state);
  return o ? `${count(o.count)}${satisfies(test, o.values) ? '*' : ''}` : '-';
}
