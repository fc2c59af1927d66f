// `run <litmus test>` as a use case: the plan on each backend, then what was asked beside it
// (the explanation, the execution graph's files, the ablation table), the file's Result: line
// against the model, and the record saved. Returns all of it as values; the CLI prints.

import type { Explanation } from '../model/explain/explain.ts';
import type { AblationRow } from '../report/ablation-text.ts';
import { type LabHooks, type LitmusOutcome, litmusExitStatus, runOnBackends } from './litmus.ts';
import type { LitmusPlan } from './plan.ts';
import { type LitmusRecord, litmusRecord } from './record.ts';
import { type Saved, saveResult } from './save.ts';
import { writeUserFile } from './write-file.ts';

/** What `run` adds to the backends' answers. */
export interface LitmusAsks {
  explain: boolean;
  ablate: boolean;
  /** Files to draw the witness or the forbidding cycle in (Graphviz DOT, SVG). */
  dot?: string;
  svg?: string;
}

/** The file's `Result:` line against the model's verdict. */
export interface ResultLineClaim {
  expected: string;
  model: string;
  got: string;
  agrees: boolean;
}

export interface LitmusRun {
  outcome: LitmusOutcome;
  explanation?: string[];
  /** The files the execution graph was drawn in. */
  drawn?: string[];
  ablation?: AblationRow[];
  claim?: ResultLineClaim;
  record: LitmusRecord & { explanation: string[] | null; resultLine: ResultLineClaim | null };
  saved: Saved;
  /** 1: a state outside the model, a fault, a Result: line the model contradicts, or no record. */
  status: number;
}

export async function runLitmus(
  plan: LitmusPlan,
  asks: LitmusAsks,
  hooks: LabHooks,
): Promise<LitmusRun> {
  const { test, settings } = plan;
  const { signal } = hooks;
  const outcome = await runOnBackends(plan, hooks);
  // What is asked beside the run is loaded only when asked: a plain run needs none of it.
  // --explain and --dot/--svg tell and draw one search of the model.
  const pictured = Boolean(asks.dot || asks.svg);
  const explaining =
    (asks.explain || pictured) && !signal.aborted
      ? await import('../model/explain/explain.ts')
      : undefined;
  const found = explaining?.findExplanation(test, settings.model);
  const explanation =
    asks.explain && found ? explaining?.explain(test, settings.model, found) : undefined;
  const drawn = pictured && found ? await draw(plan, asks, found) : undefined;
  const ablation =
    asks.ablate && !signal.aborted
      ? await (await import('./ablate.ts')).runAblations(plan, hooks, outcome.grading.graded)
      : undefined;
  const claim = resultLineCheck(plan, outcome);
  const record = {
    ...litmusRecord(plan, outcome, ablation),
    explanation: explanation ?? null,
    resultLine: claim ?? null,
  };
  const saved = saveResult(test.name, record);
  const status = claim && !claim.agrees ? 1 : litmusExitStatus(outcome);
  return {
    outcome,
    explanation,
    drawn,
    ablation,
    claim,
    record,
    saved,
    status: 'path' in saved ? status : status || 1,
  };
}

/**
 * The file's `Result:` line against the model's verdict, as check does: only under lkmm, the
 * model the kernel's Result lines speak for; undefined when there is nothing to compare.
 */
function resultLineCheck(plan: LitmusPlan, outcome: LitmusOutcome): ResultLineClaim | undefined {
  const verdict = outcome.results.find((r) => r.verdict)?.verdict;
  if (!plan.test.expected || !verdict || plan.settings.model !== 'lkmm') return undefined;
  return {
    expected: plan.test.expected,
    model: verdict.model,
    got: verdict.observation,
    agrees: verdict.observation === plan.test.expected,
  };
}

/** --dot / --svg: the witness or the forbidding cycle as a picture, the report's own. */
async function draw(plan: LitmusPlan, asks: LitmusAsks, found: Explanation): Promise<string[]> {
  const { explainGraph } = await import('../model/explain/explain-graph.ts');
  const { graphToDot } = await import('../report/graph-dot.ts');
  const dot = graphToDot(explainGraph(plan.test, plan.settings.model, found));
  const written: string[] = [];
  if (asks.dot) {
    writeUserFile(asks.dot, dot);
    written.push(asks.dot);
  }
  if (asks.svg) {
    const { dotToSvg } = await import('../report/graph-svg.ts');
    writeUserFile(asks.svg, await dotToSvg(dot));
    written.push(asks.svg);
  }
  return written;
}
