// One litmus test on several engines (--engine all, --engine node-tiers): one row per engine
// and threads backend — version, JS engine, flags, runs/s, witnesses, states outside the model
// (each run graded by its own bounds, backends/soundness.ts: lkmm, and tso for hw's x86
// mapping) — then one column per final state any row reached, so that where engines differ
// reads down a column, and per backend a line naming the states only some engines reached
// (a backend is never compared with another: weak shows what hw cannot).
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
  /** The engine's label: `node`, `bun`, `node interpreter` (a tier). */
  engine: string;
  /** The threads backend (hw, weak); undefined for an engine that gave nothing. */
  backend?: string;
  runs?: RunsResult;
  /** The states of `runs` outside a model that bounds them (its run's grading: soundness.ts). */
  outside?: string[];
  /** Why this engine gave no result (not installed, failed to start, refused). */
  failed?: string;
}

export function formatEngineRows(
  test: Test,
  verdict: Verdict | undefined,
  rows: EngineRow[],
): string {
  const states = sortedKeys(new Set(rows.flatMap((r) => [...(r.runs?.histogram.keys() ?? [])])));
  const header = ['engine', 'version', 'JS engine', 'flags', 'runs', 'runs/s', 'witnesses'];
  header.push('outside the model', ...states);
  const backends = [...new Set(rows.flatMap((r) => (r.backend ? [r.backend] : [])))];
  const label = (r: EngineRow) =>
    backends.length > 1 && r.backend ? `${r.engine} ${r.backend}` : r.engine;
  const body = rows.map((r) => {
    if (!r.runs) return [label(r), ...header.slice(1).map(() => '-')];
    const { runs } = r;
    const e = runs.host.engine;
    const outside = r.outside?.length ?? 0;
    return [
      label(r),
      e.version,
      `${e.jsEngine} ${e.jsVersion}`,
      e.flags.join(' ') || '-',
      `${count(runs.runs)}${runs.partial ? ' (partial)' : ''}`,
      rate((runs.runs * 1000) / Math.max(1, runs.elapsedMs)),
      count(witnessCounts(test, runs.histogram).positive),
      outside ? `${outside} OUTSIDE THE MODEL` : '0',
      ...states.map((s) => cell(test, runs, s)),
    ];
  });
  const ran = rows.filter((r) => r.runs);
  const engines = new Set(ran.map((r) => r.engine)).size;
  const on =
    backends.length > 1
      ? `${engines} engines × ${backends.length} backends (${backends.join(', ')})`
      : `${engines} engine${engines === 1 ? '' : 's'}${backends[0] ? ` (${backends[0]})` : ''}`;
  const lines = [`Test ${test.name}  (${test.file}) on ${on}`];
  if (verdict) lines.push(verdictLine(verdict));
  lines.push(table([header, ...body]));
  for (const b of backends)
    lines.push(
      differLine(
        b,
        ran.filter((r) => r.backend === b),
        states,
        backends.length > 1,
      ),
    );
  for (const r of rows) if (r.failed) lines.push(`${label(r)}: ${r.failed}`);
  lines.push('A state cell is its count on that engine; * marks a witness; "-" = not reached.');
  return lines.join('\n');
}

/**
 * The states some engines of one backend reached and others did not. A run cut short (Ctrl-C)
 * is left out of the comparison: a state it has not reached yet says nothing about its engine.
 */
export function differLine(
  backend: string,
  rows: EngineRow[],
  states: string[],
  named: boolean,
): string {
  const on = named ? `${backend}: ` : '';
  const whole = rows.filter((r) => !r.runs!.partial);
  const cut = rows.length - whole.length;
  const note = cut ? ` (${cut} partial run${cut === 1 ? '' : 's'} not compared)` : '';
  if (whole.length < 2)
    return `${on}${cut ? `${whole.length ? 'one engine' : 'no engine'} ran to the end` : 'one engine ran'}${note}`;
  const differ = states.filter((s) => {
    const seen = whole.map((r) => r.runs!.histogram.has(s));
    return seen.includes(true) && seen.includes(false);
  });
  return differ.length
    ? `${on}seen on some engines only${note}: ${differ.join('  ')}`
    : `${on}every engine reached the same final states${note}`;
}

function cell(test: Test, runs: RunsResult, state: string): string {
  const o = runs.histogram.get(state);
  return o ? `${count(o.count)}${satisfies(test, o.values) ? '*' : ''}` : '-';
}
