// What results/<test>/<timestamp>.json holds: enough to trace a figure back and run it again,
// and the test's text, so that a report made elsewhere shows the source and draws its pictures.
// The options are the plan's: what was asked, resolved once.

import type { BackendResult } from '../backends/backend.ts';
import { uncheckedText } from '../backends/soundness.ts';
import { modelOf } from '../model/check/check.ts';
import { faultText } from '../report/litmus-text.ts';
import { provenance } from '../report/results-file.ts';
import type { LitmusOutcome } from './litmus.ts';
import type { LitmusPlan } from './plan.ts';

/** The record of one litmus run, with the --ablate table when there is one. */
export function litmusRecord(plan: LitmusPlan, outcome: LitmusOutcome, ablation?: unknown) {
  const { test, request } = plan;
  return {
    kind: 'litmus',
    test: test.name,
    file: test.file,
    hash: test.hash,
    source: test.source,
    expected: test.expected ?? null,
    // The engine that ran the threads (a child engine or a browser with --engine), else this one.
    ...provenance(outcome.results.find((r) => r.runs)?.runs?.host),
    options: {
      on: plan.backends,
      // A model read from files is recorded with its files and options, to run it again.
      ...plan.settings,
      engine: request.engine ?? null,
      engineFlags: request.engineFlags,
      ...(request.browserUrl !== undefined && { browserUrl: request.browserUrl }),
      knobsFrom: plan.knobs ?? null,
    },
    partial: outcome.results.some((r) => r.tag === 'interrupted'),
    stoppedBy: stoppedBy(outcome),
    backends: Object.fromEntries(outcome.results.map((r) => [r.backend, recorded(r)])),
    grading: {
      model: modelOf(plan.settings.model).name,
      bounds: Object.fromEntries(
        [...outcome.grading.bounds].map(([m, v]) => [m, [...v.states.keys()]]),
      ),
      // As the report prints them: `tso: why`.
      unchecked: outcome.grading.unchecked.map(uncheckedText),
    },
    ablation: ablation ?? null,
  };
}

export type LitmusRecord = ReturnType<typeof litmusRecord>;

/** A backend's result as the record keeps it: a fault also as the line the report prints. */
function recorded(r: BackendResult) {
  const fault = r.runs?.fault;
  return fault ? { ...r, runs: { ...r.runs, failure: faultText(fault) } } : r;
}

/** Why the run ended early ('signal', 'error': the first backend stopped short), else 'done'. */
function stoppedBy(outcome: LitmusOutcome): string {
  const short = outcome.results.find((r) => r.tag === 'interrupted');
  return short?.runs?.stoppedBy ?? (short ? 'signal' : 'done');
}
