// `smplab run <name|file>`: a litmus test (model verdict above the hw histogram) or a program
// scenario (every variant side by side).

import { UserError } from '../errors.ts';
import type { Options } from './options.ts';
import { resolveTarget } from './resolve.ts';
import { runLitmusCommand } from './run-litmus.ts';
import { runScenarioCommand } from './run-scenario.ts';

export async function runCommand(opts: Options, signal: AbortSignal): Promise<number> {
  if (opts.args.length !== 1) {
    throw new UserError(
      `run takes one test or scenario name, not ${opts.args.length} (smplab list shows them)`,
    );
  }
  const target = resolveTarget(opts.args[0]!);
  return target.kind === 'litmus'
    ? runLitmusCommand(target.path, opts, signal)
    : runScenarioCommand(target.name, opts, signal, target.file);
}
