// `smplab run <program scenario>`: every variant (or those named by --variant) on each backend
// asked for, side by side; the lab runs them and saves the record, this module prints.

import { runScenarioRequest } from '../lab/run-scenario.ts';
import { formatScenarioModelResult } from '../report/scenario-model-text.ts';
import { formatScenarioResult } from '../report/scenario-text.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { RUN_PROGRAM } from './schema.ts';
import { emit, terminalHooks } from './terminal.ts';

export async function runScenarioCommand(
  target: { name: string; file?: string },
  word: string,
  line: CommandLine,
  signal: AbortSignal,
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
      modelTimeoutS: flags['model-timeout'],
      loopBound: flags['loop-bound'],
    },
    terminalHooks(signal),
  );
  const text = () =>
    run.results
      .map((r) => ('model' in r ? formatScenarioModelResult(r) : formatScenarioResult(r)))
      .join('\n\n');
  await emit(run.record.scenario, run.record, run.saved, text, flags);
  return run.status;
}
