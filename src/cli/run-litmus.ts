// `smplab run <litmus test>`: each backend's section (the model's verdict, each histogram
// graded), then --explain, --dot/--svg and --ablate; with --engine all|node-tiers, one row per
// engine. The lab makes the plan, runs it and saves the records; this module prints.

import { threadsBackends } from '../lab/litmus.ts';
import { RESULTS_DIR } from '../lab/paths.ts';
import { type LitmusPlan, type LitmusRequest, planLitmus, withDevice } from '../lab/plan.ts';
import { displayPath } from '../lab/resolve.ts';
import { runLitmus } from '../lab/run-litmus.ts';
import { modelOf } from '../model/check/check.ts';
import { formatLitmusReport } from '../report/litmus-text.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { KNOB_NAMES, type Knobs } from '../runtime/litmus/knobs.ts';
import { DEFAULT_MODEL_TIMEOUT_S, type Values } from './flags.ts';
import { modelChoiceOf } from './model-choice.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { type COMPARE_TESTS, RUN_LITMUS } from './schema.ts';
import { emit, terminalHooks } from './terminal.ts';

type LitmusFlags = Values<(typeof RUN_LITMUS.takes)[number]>;

export async function runLitmusCommand(
  path: string,
  line: CommandLine,
  signal: AbortSignal,
): Promise<number> {
  const flags = takeFlags(line, RUN_LITMUS, 'a litmus test');
  const plan = planLitmus(path, await litmusRequest(line, flags));
  if (plan.engines) return runOnEnginesCommand(plan, flags, signal);
  const run = await runLitmus(plan, flags, terminalHooks(signal));
  const { test, settings } = plan;
  const model = modelOf(settings.model).name;
  const report = { test, host: hostInfo(), ...run.outcome, knobs: plan.knobs };
  const sections = [formatLitmusReport(report)];
  if (run.explanation) sections.push(['Explanation', ...run.explanation].join('\n'));
  if (run.drawn) sections.push(`Execution graph (${model}) written to ${run.drawn.join(' and ')}`);
  if (run.ablation) {
    const { formatAblation } = await import('../report/ablation-text.ts');
    sections.push(formatAblation(test, run.ablation, model, threadsBackends(plan)));
  }
  if (run.claim && !run.claim.agrees)
    sections.push(
      `MISMATCH: the file's Result: line says ${run.claim.expected}; the model ${run.claim.model} says ${run.claim.got}`,
    );
  const suite = async () =>
    (await import('../report/junit.ts')).junitOfLitmusRun({ test, ...run.outcome }, run.record);
  await emit(run.saved, () => sections.join('\n\n'), flags, suite);
  return run.status;
}

/** The lab's request from the flags of a litmus run (run and compare take them alike). */
export async function litmusRequest(
  line: CommandLine,
  flags: Values<(typeof COMPARE_TESTS.takes)[number]>,
): Promise<LitmusRequest> {
  // A browser elsewhere is asked what device it is: its tuned preset is keyed so (plan.ts).
  return withDevice({
    on: flags.on,
    settings: {
      model: await modelChoiceOf(line, flags),
      modelTimeoutS: flags['model-timeout'] ?? DEFAULT_MODEL_TIMEOUT_S,
      runs: flags.runs,
      time: flags.time,
      seed: flags.seed,
      // The knobs given; the plan fills the others (lab/knobs.ts).
      ...givenKnobs(flags),
    },
    engine: flags.engine,
    engineFlags: flags['engine-flags'],
    ...(flags['browser-url'] !== undefined && { browserUrl: flags['browser-url'] }),
    untuned: flags.untuned,
  });
}

/** The knobs given on the command line (--size among them), and no others. */
function givenKnobs(flags: Values<(typeof COMPARE_TESTS.takes)[number]>): Partial<Knobs> {
  return Object.fromEntries(
    KNOB_NAMES.flatMap((k) => (flags[k] === undefined ? [] : [[k, flags[k]]])),
  ) as Partial<Knobs>;
}

/** --engine all|node-tiers: the table of engines, one record per engine. */
async function runOnEnginesCommand(
  plan: LitmusPlan,
  flags: LitmusFlags,
  signal: AbortSignal,
): Promise<number> {
  const { runOnEngines } = await import('../lab/run-engines.ts');
  const { formatEngineRows } = await import('../report/engines-text.ts');
  const run = await runOnEngines(plan, terminalHooks(signal));
  const { test } = plan;
  if (flags.json)
    console.log(
      JSON.stringify(
        run.records.map((r) => r.record),
        mapsAsObjects,
        2,
      ),
    );
  else {
    console.log(formatEngineRows(test, run.verdict, run.rows));
    console.log(`\nResults written to ${displayPath(RESULTS_DIR)}/${test.name}/ (one per engine)`);
  }
  // --junit: one suite per engine, as one run writes one suite
  if (flags.junit) {
    const { junitOfLitmusRun } = await import('../report/junit.ts');
    const suites = run.records.map((r) => junitOfLitmusRun({ test, ...r.outcome }, r.record));
    (await import('../lab/junit.ts')).writeJunit(flags.junit, suites);
  }
  for (const n of run.notWritten) console.error(`\nResult not written: ${n}`);
  return run.status;
}
