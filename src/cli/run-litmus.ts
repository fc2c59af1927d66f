// `smplab run <litmus test>`: each backend's section (the model's verdict, each histogram
// graded), `--explain` and `--ablate` after them. Writes the JSON record.

import { readFileSync } from 'node:fs';
import type { Test } from '../litmus/ir.ts';
import { loadLitmus } from '../litmus/load.ts';
import { explainGraph } from '../model/explain/explain-graph.ts';
import { explain } from '../model/index.ts';
import { formatAblation } from '../report/ablation-text.ts';
import { graphToDot } from '../report/graph-dot.ts';
import { dotToSvg } from '../report/graph-svg.ts';
import { formatLitmusReport } from '../report/litmus-text.ts';
import { provenance } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { ablationBackends, runAblations } from './ablate.ts';
import { emitResult } from './emit-result.ts';
import {
  type LitmusOutcome,
  litmusBackends,
  litmusExitStatus,
  runOnBackends,
} from './litmus-backends.ts';
import type { Options } from './options.ts';
import { displayPath } from './resolve.ts';
import { runOnEnginesCommand } from './run-engines.ts';
import { writeUserFile } from './write-file.ts';

export async function runLitmusCommand(
  path: string,
  opts: Options,
  signal: AbortSignal,
): Promise<number> {
  const test = loadForRecord(path);
  if (opts.engine === 'all' || opts.engine === 'node-tiers')
    return runOnEnginesCommand(test, opts, signal);
  const outcome = await runOnBackends(test, opts, signal);
  const host = hostInfo();
  const sections: string[] = [formatLitmusReport({ test, host, ...outcome })];
  const explanation = opts.explain && !signal.aborted ? explain(test, opts.model) : undefined;
  if (explanation) sections.push(['Explanation', ...explanation].join('\n'));
  if ((opts.dot || opts.svg) && !signal.aborted) sections.push(await drawExplanation(test, opts));
  const ablation =
    opts.ablate && !signal.aborted ? await runAblations(test, opts, signal) : undefined;
  if (ablation) sections.push(formatAblation(test, ablation, opts.model, ablationBackends(opts)));
  const claim = resultLineCheck(test, opts, outcome);
  if (claim && !claim.agrees)
    sections.push(
      `MISMATCH: the file's Result: line says ${claim.expected}; the model ${claim.model} says ${claim.got}`,
    );

  const saved = emitResult(
    test.name,
    {
      ...litmusRecord(test, opts, outcome, ablation),
      explanation: explanation ?? null,
      resultLine: claim ?? null,
    },
    () => sections.join('\n\n'),
    opts,
  );
  const status = claim && !claim.agrees ? 1 : litmusExitStatus(outcome);
  return saved ? status : status || 1;
}

/**
 * The file's `Result:` line against the model's verdict, as check does: only under lkmm, the
 * model the kernel's Result lines speak for; undefined when there is nothing to compare.
 */
function resultLineCheck(test: Test, opts: Options, outcome: LitmusOutcome) {
  const verdict = outcome.results.find((r) => r.verdict)?.verdict;
  if (!test.expected || !verdict || opts.model !== 'lkmm') return undefined;
  return {
    expected: test.expected,
    model: verdict.model,
    got: verdict.observation,
    agrees: verdict.observation === test.expected,
  };
}

/** A litmus test as a run records it: shown by its display path, with the text it ran. */
export function loadForRecord(path: string): Test & { source: string } {
  return { ...loadLitmus(path), file: displayPath(path), source: readFileSync(path, 'utf8') };
}

/**
 * What results/<test>/<timestamp>.json holds: enough to trace a figure back and run it again,
 * and the test's text, so that a report made elsewhere shows the source and draws its pictures.
 */
export function litmusRecord(
  test: Test & { source?: string },
  opts: Options,
  outcome: LitmusOutcome,
  ablation?: unknown,
) {
  return {
    kind: 'litmus',
    test: test.name,
    file: test.file,
    hash: test.hash,
    source: test.source ?? null,
    expected: test.expected ?? null,
    // The engine that ran the threads (a child engine or a browser with --engine), else this one.
    ...provenance(outcome.results.find((r) => r.runs)?.runs?.host),
    options: {
      on: litmusBackends(opts),
      model: opts.model,
      runs: opts.runs,
      size: opts.size ?? null,
      time: opts.time ?? null,
      seed: opts.seed,
      engine: opts.engine ?? null,
      engineFlags: opts.engineFlags,
    },
    partial: signalledPartial(outcome),
    stoppedBy: stoppedBy(outcome),
    backends: Object.fromEntries(outcome.results.map((r) => [r.backend, r])),
    grading: {
      model: opts.model,
      bounds: Object.fromEntries(
        [...outcome.grading.bounds].map(([m, v]) => [m, [...v.states.keys()]]),
      ),
      unchecked: outcome.grading.unchecked,
    },
    ablation: ablation ?? null,
  };
}

/** --dot / --svg: the witness or the forbidding cycle as a picture, the report's own. */
async function drawExplanation(test: Test, opts: Options): Promise<string> {
  const dot = graphToDot(explainGraph(test, opts.model));
  const written: string[] = [];
  if (opts.dot) {
    writeUserFile(opts.dot, dot);
    written.push(opts.dot);
  }
  if (opts.svg) {
    writeUserFile(opts.svg, await dotToSvg(dot));
    written.push(opts.svg);
  }
  return `Execution graph (${opts.model}) written to ${written.join(' and ')}`;
}

function signalledPartial(outcome: LitmusOutcome): boolean {
  return outcome.results.some((r) => r.tag === 'interrupted');
}

/** Why the run ended early ('signal', 'error': the first backend stopped short), else 'done'. */
function stoppedBy(outcome: LitmusOutcome): string {
  const short = outcome.results.find((r) => r.tag === 'interrupted');
  return short?.runs?.stoppedBy ?? (short ? 'signal' : 'done');
}
