// The text report of one litmus test: herd7's and litmus7's lines, so that people who know those
// tools read it at once, with jcstress' grading beside each state.
//
//   Test SB+poonceonces  (scenarios/litmus/SB+poonceonces.litmus)
//   model lkmm: Sometimes — 4 final states allowed, condition reachable
//   hw x86_64 AMD EPYC, 2 CPUs, node 20.20.2: 5,000,000 runs in 0.61 s
//   Histogram (4 states)
//    1165071 *> 0:r0=0; 1:r0=0;   allowed   interesting
//   ...
//   Observation SB+poonceonces Sometimes 1165071 3834929
//
// The model's flags are herd7's lines, `Flag data-race`: after its Witnesses line when the
// model's states are printed alone (where herd7 puts them), after the verdict line otherwise.
//
// Every line says which backend produced its figure. A state seen on hw that the model
// forbids is printed loudly as "outside the model": never hidden.

import { observationOf, type Test } from '../litmus/ir.ts';
import { type Histogram, sortedStates, stateSatisfies, witnessCounts } from '../litmus/state.ts';
import { type ModelStopped, progressText, type Verdict } from '../model/index.ts';
import type { HostInfo } from '../runtime/host.ts';
import type { HwResult } from '../runtime/litmus-hw.ts';
import { count, rate, seconds, table } from './format.ts';

export interface LitmusReport {
  test: Test;
  verdict?: Verdict;
  hw?: HwResult;
  host: HostInfo;
  /** Why hw did not run, when it was asked for and refused (e.g. synchronize_rcu). */
  hwSkipped?: string;
  /** The model stopped before its answer: why, after how long, how far it got. */
  modelStopped?: ModelStopped;
}

export function formatLitmusReport(r: LitmusReport): string {
  const lines = [`Test ${r.test.name}  (${r.test.file})`];
  if (r.test.expected) lines.push(`Result line: ${r.test.expected}`);
  if (r.verdict) lines.push(verdictLine(r.verdict));
  if (r.modelStopped) lines.push(modelStoppedLine(r.modelStopped));
  if (r.verdict && r.hw) lines.push(...flagLines(r.verdict));
  if (r.hwSkipped) lines.push(`hw: not run — ${r.hwSkipped}`);
  if (r.hw) {
    lines.push(hwLine(r.hw, r.host), ...histogramLines(r.test, r.hw.histogram, r.verdict));
  } else if (r.verdict) {
    lines.push(...modelStatesLines(r.test, r.verdict));
  }
  return lines.join('\n');
}

export function verdictLine(v: Verdict): string {
  const reach = v.positive > 0 ? 'condition reachable' : 'condition unreachable';
  return `model ${v.model}: ${v.observation} — ${v.states.size} final states allowed, ${reach} (${count(
    v.executions,
  )} executions, ${seconds(v.elapsedMs)})`;
}

/** herd7's `Flag data-race` lines: a flag some allowed execution of the model raised. */
export function flagLines(v: Verdict): string[] {
  return v.flags.map((f) => `Flag ${f}`);
}

/** "model: gave up after 1.00 s (…)", or "model: interrupted after …"; hw is then ungraded. */
export function modelStoppedLine(e: ModelStopped): string {
  const what = e.reason === 'budget' ? 'gave up' : 'interrupted';
  return `model: ${what} after ${seconds(e.elapsedMs)} (${progressText(e.progress)})`;
}

function hwLine(hw: HwResult, host: HostInfo): string {
  const partial = hw.partial
    ? '  PARTIAL (interrupted)'
    : hw.stoppedBy === 'time'
      ? '  (time budget reached)'
      : '';
  return (
    `hw ${host.arch} ${host.cpuModel}, ${host.cores} CPUs, node ${host.node} (V8 ${host.v8}): ` +
    `${count(hw.runs)} runs in ${seconds(hw.elapsedMs)} (${rate((hw.runs * 1000) / Math.max(1, hw.elapsedMs))}), ` +
    `${hw.threads} threads, ${hw.barrier} barrier${partial}`
  );
}

/** The model's allowed final states alone, as herd7 prints them. */
function modelStatesLines(test: Test, v: Verdict): string[] {
  const rows = sortedStates(new Map([...v.states].map(([s, e]) => [s, e.executions])));
  return [
    `States ${v.states.size}`,
    ...rows.map(([s]) => `${v.states.get(s)!.witness ? '*>' : ':>'} ${s}`),
    `Witnesses Positive: ${v.positive} Negative: ${v.negative}  (${v.model} executions)`,
    ...flagLines(v),
    `Observation ${test.name} ${v.observation} ${v.positive} ${v.negative}`,
  ];
}

/** One line per observed state: count, `*>` if it satisfies the condition, grade by the model. */
export function histogramLines(test: Test, h: Histogram, verdict?: Verdict): string[] {
  const rows: string[][] = [];
  for (const [state, n] of sortedStates(h)) {
    const witness = stateSatisfies(test, state);
    rows.push([` ${n}`, witness ? '*>' : ':>', state, ...grade(state, witness, verdict)]);
  }
  const lines = [`Histogram (${h.size} states)`, table(rows, new Set([0]))];
  if (verdict) lines.push(...unseenLines(h, verdict));
  const { positive, negative } = witnessCounts(test, h);
  lines.push(
    `Witnesses Positive: ${positive}, Negative: ${negative}`,
    `Observation ${test.name} ${observationOf(positive, negative)} ${positive} ${negative}`,
  );
  const outside = verdict ? statesOutsideModel(h, verdict) : [];
  if (verdict && outside.length) lines.push(...outsideLines(outside, verdict));
  return lines;
}

function grade(state: string, witness: boolean, verdict: Verdict | undefined): string[] {
  if (!verdict) return [witness ? 'interesting' : ''];
  if (!verdict.states.has(state)) return ['FORBIDDEN', 'outside the model'];
  return ['allowed', witness ? 'interesting' : ''];
}

/** States the model allows that hw never produced: on x86 these are what TSO hides. */
function unseenLines(h: Histogram, v: Verdict): string[] {
  const unseen = [...v.states.keys()].filter((s) => !h.has(s)).sort();
  if (unseen.length === 0) return [];
  return [
    `Allowed by ${v.model} but not seen on hw (${unseen.length}):`,
    ...unseen.map((s) => `        ${s}`),
  ];
}

function outsideLines(states: string[], v: Verdict): string[] {
  return [
    `!!! OUTSIDE THE MODEL: hw produced ${states.length} final state(s) that ${v.model} forbids:`,
    ...states.map((s) => `!!!   ${s}`),
    '!!! This is never expected: an engine bug, a hardware bug, or a broken test.',
  ];
}

/** States hw produced that the model forbids. */
export function statesOutsideModel(h: Histogram, v: Verdict): string[] {
  return [...h.keys()].filter((s) => !v.states.has(s));
}
