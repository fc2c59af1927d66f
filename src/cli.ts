// The `smplab` command: list, run, check, compare, gen, engines, serve, report, merge, help.
//
// Data flows one way: file → parse → IR → (compile → workers | enumerate → model) → report.
// This module only reads the command line, picks the command and prints errors: a UserError
// as `file:line:col: message` with exit status 2 and no stack; anything else is our bug and
// prints its stack.

import { checkCommand } from './cli/check.ts';
import { compareCommand } from './cli/compare.ts';
import { enginesCommand } from './cli/engines.ts';
import { genCommand } from './cli/gen.ts';
import { abortOnInterrupt } from './cli/interrupt.ts';
import { listCommand } from './cli/list.ts';
import { mergeCommand } from './cli/merge.ts';
import { HELP, type Options, parseOptions } from './cli/options.ts';
import { reportCommand } from './cli/report.ts';
import { runCommand } from './cli/run.ts';
import { serveCommand } from './cli/serve.ts';
import { formatUserError, UserError } from './errors.ts';

/** Runs one command and returns the exit status. */
async function main(opts: Options, signal: AbortSignal): Promise<number> {
  switch (opts.command) {
    case 'help':
      console.log(HELP);
      return 0;
    case 'list':
      return listCommand(opts);
    case 'run':
      return runCommand(opts, signal);
    case 'check':
      return checkCommand(opts);
    case 'compare':
      return compareCommand(opts, signal);
    case 'report':
      return reportCommand(opts);
    case 'merge':
      return mergeCommand(opts);
    case 'gen':
      return genCommand(opts.args);
    case 'engines':
      return enginesCommand();
    case 'serve':
      return serveCommand(opts, signal);
  }
}

const interrupt = abortOnInterrupt();
try {
  const status = await main(parseOptions(process.argv.slice(2)), interrupt.signal);
  // An interrupted run has printed and saved what it collected; its status says it was stopped.
  process.exitCode = interrupt.exitStatus() ?? status;
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  console.error(formatUserError(e));
  process.exitCode = 2;
} finally {
  interrupt.dispose();
}
