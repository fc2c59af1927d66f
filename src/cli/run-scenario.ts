// `smplab run <program scenario>`: every variant (or those named by --variant) on each backend
// asked for, side by side; with --explain OUTCOME the model's execution that reaches it (or why
// none does) after the table, --dot/--svg its picture. The lab runs them and saves the record,
// this module prints.

import { formatUserError } from '../errors.ts';
import type { ScenarioModelResult } from '../explore/scenario-result.ts';
import { runScenarioRequest } from '../lab/run-scenario.ts';
import { formatScenarioModelResult } from '../report/scenario-model-text.ts';
import { formatScenarioResult } from '../report/scenario-text.ts';
import { DEFAULT_SCENARIO_MODEL_TIMEOUT_S } from './flags.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { RUN_PROGRAM } from './schema.ts';
import { emit, terminalHooks } from './terminal.ts';

/** `outcome`: the words after the scenario's name when --explain was given. */
export async function runScenarioCommand(
  target: { name: string; file?: string },
  word: string,
  line: CommandLine,
  signal: AbortSignal,
  outcome?: string,
): Promise<number> {
  const flags = takeFlags(line, RUN_PROGRAM, `program scenario ${word}`);
  const run = await runScenarioRequest(
    target,
    {
      on: flags.on,
      time: flags.time,
      seed: flags.seed,
      variants: flags.variant,
      model: flags.model,
      modelTimeoutS: flags['model-timeout'] ?? DEFAULT_SCENARIO_MODEL_TIMEOUT_S,
      loopBound: flags['loop-bound'],
      ...(flags.explain && { explain: outcome ?? '' }),
      ...(flags.ablate && { ablate: true }),
      ...(flags.dot && { dot: flags.dot }),
      ...(flags.svg && { svg: flags.svg }),
    },
    terminalHooks(signal),
  );
  const explanations = async (r: ScenarioModelResult) => {
    const explained = r.variants.filter((v) => v.explanation);
    if (explained.length === 0) return [];
    const { formatScenarioExplanation } = await import('../report/scenario-explain-text.ts');
    const { deadlockText } = await import('../report/scenario-model-text.ts');
    return explained.map(
      (v) =>
        `Explanation\n${formatScenarioExplanation(v.explanation!)}${v.deadlock ? `\n${deadlockText(v)}` : ''}`,
    );
  };
  const sections: string[] = [];
  for (const r of run.results) {
    if (!('model' in r)) {
      sections.push(formatScenarioResult(r));
      continue;
    }
    sections.push(formatScenarioModelResult(r), ...(await explanations(r)));
    if (r.ablation) sections.push(await ablationText(r, r.ablation));
  }
  if (run.drawn?.length) sections.push(`Execution graphs written to ${run.drawn.join(' and ')}`);
  const suite = async () =>
    (await import('../report/junit.ts')).junitOfScenarioRun(
      run.record.scenario,
      run.results,
      run.record,
    );
  await emit(run.saved, () => sections.join('\n\n'), flags, suite);
  // A later backend's refusal, after what the earlier ones collected (printed and saved above).
  if (run.refused) console.error(formatUserError(run.refused));
  return run.status;
}

/**
 * The ablation table, and the variants not ablated because their own exploration was cut short
 * (Ctrl-C, --model-timeout): their call sites are not all known, so "no ordering call to weaken"
 * cannot be said of them.
 */
async function ablationText(
  r: ScenarioModelResult,
  rows: NonNullable<ScenarioModelResult['ablation']>,
): Promise<string> {
  const { formatScenarioAblation } = await import('../report/ablation-text.ts');
  const ablated = (v: string) => rows.some((row) => row.variant === v);
  const asked = r.variants.filter((v) => v.refused === undefined);
  const cut = asked
    .filter(
      (v) =>
        (v.extent.kind === 'interrupted' || v.extent.kind === 'gave-up') && !ablated(v.variant),
    )
    .map((v) => v.variant);
  const explored = asked.map((v) => v.variant).filter((v) => !cut.includes(v));
  const lines =
    explored.length > 0 ? [formatScenarioAblation(r.scenario, r.model, rows, explored)] : [];
  if (cut.length > 0)
    lines.push(
      `Not ablated (their own exploration was cut short, so not all their ordering calls are known): ${cut.join(', ')}`,
    );
  return lines.join('\n');
}
