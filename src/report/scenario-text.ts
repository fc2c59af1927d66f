// The text report of a program scenario run: variants side by side. One table of outcome
// counts with each outcome's grade in that variant (jcstress), the iterations and time, then
// the metrics (counters; latency p50/p99/max), the stalls the watchdog found, the failures as
// FAILURE lines, and the scenario's notes. Data in, string out: no I/O here.

import { describeEngine } from '../runtime/identity.ts';
import type { ScenarioResult, StallReport, VariantResult } from '../runtime/scenario/result.ts';
import { MIN_OVERLAPPED } from '../runtime/scenario/run.ts';
import { count, table } from './format.ts';

/** Format a whole run. */
export function formatScenarioResult(r: ScenarioResult): string {
  const lines = [
    `Scenario ${r.scenario}  (${r.file})`,
    r.description,
    `${r.backend} ${r.host.arch} ${r.host.cpuModel}, ${r.host.cores} CPUs, ${describeEngine(r.host.engine)}, memory ${r.memory}; ` +
      `${r.kind}, threads ${r.threads.join(', ')}; ${r.options.timeSeconds} s per variant; ${r.date}`,
    '',
  ];
  const stopped = r.variants.filter((v) => v.stoppedBy === 'signal').map((v) => v.variant);
  if (stopped.length > 0 || r.variants.length < r.options.variants.length) {
    const skipped = r.options.variants.filter((n) => !r.variants.some((v) => v.variant === n));
    lines.push(
      `PARTIAL (interrupted): ${[
        ...stopped.map((n) => `${n} stopped early`),
        ...(skipped.length ? [`not run: ${skipped.join(', ')}`] : []),
      ].join('; ')}`,
      '',
    );
  }
  if (r.variants.length === 0) return [...lines, 'no variant ran', ''].join('\n');
  const outcomes = outcomeCells(r.variants).map((row) =>
    row.map((c) => (c.failure ? `${c.text} FAILURE` : c.text)),
  );
  lines.push(variantTable('Outcome', r.variants, outcomes), '');
  const short = overlapLines(r.variants);
  if (short.length > 0) lines.push('Overlap', ...short.map((l) => `  ${l}`), '');
  const metrics = metricRows(r.variants);
  if (metrics.length > 0) lines.push(variantTable('Metric', r.variants, metrics), '');
  const stalls = r.variants.filter((v) => v.stall);
  if (stalls.length > 0)
    lines.push(
      'Stalls',
      ...stalls.flatMap((v) => stallLines(v.variant, v.stall!, v.stallGrade)),
      '',
    );
  lines.push('Variants', ...r.variants.map((v) => `  ${v.variant}: ${v.description}`), '');
  for (const f of r.failures) lines.push(`FAILURE ${f.message}`);
  if (r.failures.length > 0) lines.push('');
  if (r.notes.length > 0) lines.push('Notes', ...r.notes.map((n) => `  ${n}`), '');
  return lines.join('\n');
}

/** A cell of the outcome table: its text, the outcome's grade, and whether it is a failure. */
export interface Cell {
  text: string;
  grade?: string;
  /** A forbidden outcome seen: the text report adds FAILURE, the HTML report marks it. */
  failure?: boolean;
}

/**
 * One row per outcome (declared order, stall last), then iterations, elapsed and how it
 * stopped: the outcome table of the text report and of the HTML report alike.
 */
export function outcomeCells(vs: readonly VariantResult[]): Cell[][] {
  const names: string[] = [];
  for (const v of vs)
    for (const o of v.outcomes) if (!names.includes(o.outcome)) names.push(o.outcome);
  const text = (t: string): Cell => ({ text: t });
  const rows = names.map((name) => [
    text(name),
    ...vs.map((v): Cell => {
      const o = v.outcomes.find((x) => x.outcome === name);
      if (!o) return text('');
      const failure = o.grade === 'forbidden' && o.count > 0;
      return { text: `${count(o.count)} ${o.grade}`, grade: o.grade, failure };
    }),
  ]);
  if (vs.some((v) => v.iterations !== undefined))
    rows.push([
      text('iterations'),
      ...vs.map((v) => text(v.iterations === undefined ? '' : count(v.iterations))),
    ]);
  if (vs.some((v) => v.overlapped !== undefined))
    rows.push([text('threads overlapped'), ...vs.map((v) => text(overlapText(v)))]);
  rows.push([
    text('elapsed'),
    ...vs.map((v) => text(`${v.elapsedSeconds.toFixed(2)} s (${v.stoppedBy})`)),
  ]);
  return rows;
}

/** `12,345 (4.1%)`: the races in which the threads overlapped, and their share. */
function overlapText(v: VariantResult): string {
  if (v.overlapped === undefined) return '';
  const share = v.iterations ? (100 * v.overlapped) / v.iterations : 0;
  return `${count(v.overlapped)} (${share < 10 ? share.toFixed(1) : share.toFixed(0)}%)`;
}

/**
 * A line for each variant whose threads met in fewer than MIN_OVERLAPPED races: its zeros may
 * only say that the threads never met.
 */
export function overlapLines(vs: readonly VariantResult[]): string[] {
  return vs
    .filter((v) => v.overlapped !== undefined && v.overlapped < MIN_OVERLAPPED && v.iterations)
    .map(
      (v) =>
        `${v.variant}: the threads overlapped in ${count(v.overlapped!)} of ${count(v.iterations!)} races in ${v.elapsedSeconds.toFixed(1)} s ` +
        `(fewer than ${count(MIN_OVERLAPPED)}: a busy machine, or bodies too short to meet); a 0 there may only mean they never met`,
    );
}

/** Counters, then each latency's p50, p99, max (in ns, µs, ms or s) and samples, per variant. */
export function metricRows(vs: readonly VariantResult[]): string[][] {
  const rows: string[][] = [];
  const counters = [...new Set(vs.flatMap((v) => v.counters.map((c) => c.name)))];
  for (const name of counters)
    rows.push([name, ...vs.map((v) => count(v.counters.find((c) => c.name === name)?.value ?? 0))]);
  const latencies = [...new Set(vs.flatMap((v) => v.latencies.map((l) => l.name)))];
  for (const name of latencies) {
    const pick = (v: VariantResult) => v.latencies.find((l) => l.name === name);
    rows.push([`${name} p50`, ...vs.map((v) => ns(pick(v)?.p50Ns, pick(v)?.count))]);
    rows.push([`${name} p99`, ...vs.map((v) => ns(pick(v)?.p99Ns, pick(v)?.count))]);
    rows.push([`${name} max`, ...vs.map((v) => ns(pick(v)?.maxNs, pick(v)?.count))]);
    rows.push([`${name} samples`, ...vs.map((v) => count(pick(v)?.count ?? 0))]);
  }
  return rows;
}

export function stallLines(variant: string, s: StallReport, grade: string): string[] {
  return [
    `  ${variant}: ${s.reason}, ${grade}: thread ${s.thread} silent ${s.silentSeconds.toFixed(1)} s, last progress "${s.lastNote}"`,
    ...s.threads.map(
      (t) =>
        `    ${t.thread.padEnd(12)} ${t.state.padEnd(8)} ${count(t.heartbeats).padStart(12)} heartbeats, ` +
        `silent ${t.silentSeconds.toFixed(1)} s, last "${t.lastNote}"`,
    ),
  ];
}

/** Rows under a head of `first` and the variant names: names left-aligned, figures right-aligned. */
function variantTable(first: string, vs: readonly VariantResult[], rows: string[][]): string {
  return table([[first, ...vs.map((v) => v.variant)], ...rows], new Set(vs.map((_, i) => i + 1)));
}

/** A duration in the unit that keeps 3 significant digits readable; '-' without samples. */
function ns(v: number | undefined, samples: number | undefined): string {
  if (v === undefined || !samples) return '-';
  if (v < 1e3) return `${Math.round(v)} ns`;
  if (v < 1e6) return `${(v / 1e3).toPrecision(3)} µs`;
  if (v < 1e9) return `${(v / 1e6).toPrecision(3)} ms`;
  return `${(v / 1e9).toPrecision(3)} s`;
}
