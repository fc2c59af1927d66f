// `smplab run <name|file>`: a litmus test (each backend's section, --explain, --dot/--svg and
// --ablate after them; --engine all|node-tiers: one row per engine) or a program scenario
// (every variant side by side). The lab runs it; this module takes the flags and prints.

import { UserError } from '../errors.ts';
import { threadsBackends } from '../lab/litmus.ts';
import { RESULTS_DIR } from '../lab/paths.ts';
import { type LitmusPlan, type LitmusRequest, planLitmus } from '../lab/plan.ts';
import { displayPath, resolveTarget } from '../lab/resolve.ts';
import { runOnEngines } from '../lab/run-engines.ts';
import { runLitmus } from '../lab/run-litmus.ts';
import { runScenarioRequest } from '../lab/run-scenario.ts';
import { writeJunit } from '../lab/save.ts';
import { formatAblation } from '../report/ablation-text.ts';
import { formatEngineRows } from '../report/engines-text.ts';
import { formatLitmusReport } from '../report/litmus-text.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { formatScenarioResult } from '../report/scenario-text.ts';
import { hostInfo } from '../runtime/host.ts';
import type { Values } from './flags.ts';
import type { CommandLine } from './parse.ts';
import { takeFlags } from './parse.ts';
import { type COMPARE_TESTS, RUN_LITMUS, RUN_PROGRAM } from './schema.ts';
import { emit, terminalHooks } from './terminal.ts';

export async function runCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  if (line.args.length !== 1) {
    throw new UserError(
      `run takes one test or scenario name, not ${line.args.length} (smplab list shows them)`,
    );
  }
  const word = line.args[0]!;
  const target = resolveTarget(word);
  if (target.kind === 'program') {
    const flags = takeFlags(line, RUN_PROGRAM, `program scenario ${word}`);
    const run = await runScenarioRequest(
      target,
      { on: flags.on, time: flags.time, seed: flags.seed, variants: flags.variant },
      terminalHooks(signal),
    );
    const text = () => run.results.map(formatScenarioResult).join('\n\n');
    emit(run.record.scenario, run.record, run.saved, text, flags);
    return run.status;
  }
  const flags = takeFlags(line, RUN_LITMUS, 'a litmus test');
  const plan = planLitmus(target.path, litmusRequest(flags));
  return plan.engines
    ? runOnEnginesCommand(plan, flags, signal)
    : runLitmusCommand(plan, flags, signal);
}

type LitmusFlags = Values<(typeof RUN_LITMUS.takes)[number]>;

/** The lab's request from the flags of a litmus run (run and compare take them alike). */
export function litmusRequest(flags: Values<(typeof COMPARE_TESTS.takes)[number]>): LitmusRequest {
  return {
    on: flags.on,
    model: flags.model,
    modelTimeoutS: flags['model-timeout'],
    runs: flags.runs,
    size: flags.size,
    time: flags.time,
    seed: flags.seed,
    engine: flags.engine,
    engineFlags: flags['engine-flags'],
  };
}

async function runLitmusCommand(
  plan: LitmusPlan,
  flags: LitmusFlags,
  signal: AbortSignal,
): Promise<number> {
  const run = await runLitmus(plan, flags, terminalHooks(signal));
  const { test, settings } = plan;
  const sections = [formatLitmusReport({ test, host: hostInfo(), ...run.outcome })];
  if (run.explanation) sections.push(['Explanation', ...run.explanation].join('\n'));
  if (run.drawn)
    sections.push(`Execution graph (${settings.model}) written to ${run.drawn.join(' and ')}`);
  if (run.ablation)
    sections.push(formatAblation(test, run.ablation, settings.model, threadsBackends(plan)));
  if (run.claim && !run.claim.agrees)
    sections.push(
      `MISMATCH: the file's Result: line says ${run.claim.expected}; the model ${run.claim.model} says ${run.claim.got}`,
    );
  emit(test.name, run.record, run.saved, () => sections.join('\n\n'), flags);
  return run.status;
}

/** --engine all|node-tiers: the table of engines, one record per engine. */
async function runOnEnginesCommand(
  plan: LitmusPlan,
  flags: LitmusFlags,
  signal: AbortSignal,
): Promise<number> {
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
    console.log(formatEngineRows(test, run.lkmm, run.rows));
    console.log(`\nResults written to ${displayPath(RESULTS_DIR)}/${test.name}/ (one per engine)`);
  }
  // --junit: one suite per engine, as one run writes one suite
  if (flags.junit) writeJunit(flags.junit, run.records);
  for (const n of run.notWritten) console.error(`\nResult not written: ${n}`);
  return run.status;
}
