// `smplab run <name|file>`: a litmus test (run-litmus.ts) or a program scenario
// (run-scenario.ts), each module loaded only for its kind.

import { UserError } from '../errors.ts';
import { resolveTarget } from '../lab/resolve.ts';
import type { CommandLine } from './parse.ts';

export async function runCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  if (line.args.length !== 1) {
    throw new UserError(
      `run takes one test or scenario name, not ${line.args.length} (smplab list shows them)`,
    );
  }
  const word = line.args[0]!;
  const target = resolveTarget(word);
  if (target.kind === 'program')
    return (await import('./run-scenario.ts')).runScenarioCommand(target, word, line, signal);
  return (await import('./run-litmus.ts')).runLitmusCommand(target.path, line, signal);
}
