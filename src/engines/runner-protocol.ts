// What the driver (the Node CLI) and a child engine's runner (runner.ts) say to each other:
// one request as the last argument (the litmus job, runtime/litmus/run.ts, with the engine's
// flags), one reply as a JSON line on stdout. The test crosses as its IR (an ablated or
// generated test has no file), histograms as objects (state → {values, count}) that become
// Maps again on the driver's side.

import type { SourcePos } from '../errors.ts';
import type { LitmusJob, RunsResult } from '../runtime/litmus/run.ts';

/** The job as its threads backend made it (the plan's settings in it unchanged), and the flags. */
export type RunnerRequest = LitmusJob & {
  /** The engine flags the child was started with, for the record. */
  flags: string[];
};

/** A RunsResult as JSON: the histogram an object. */
export type WireRuns = Omit<RunsResult, 'histogram'> & {
  histogram: Record<string, RunsResult['histogram'] extends Map<string, infer O> ? O : never>;
};

export type RunnerReply =
  | { ok: WireRuns }
  | { error: string; userError?: { file?: string; pos?: SourcePos } };

/** The histogram back as a Map (the wire carries an object). */
export function runsFromWire(runs: WireRuns): RunsResult {
  return { ...runs, histogram: new Map(Object.entries(runs.histogram)) };
}

/** The histogram as an object, for JSON. */
export function runsToWire(runs: RunsResult): WireRuns {
  return { ...runs, histogram: Object.fromEntries(runs.histogram) };
}
