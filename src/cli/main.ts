// The `smplab` command: list, run, check, compare, gen, engines, serve, report, merge, new, help;
// --version (-V) prints the package's version.
//
// The CLI reads argv (parse.ts, against each command's schema: schema.ts) and prints; the lab
// (src/lab) runs what was asked and returns values. This module picks the command — loading
// only its module: a `run` does not load gen, serve or the HTML report — and prints errors: a
// UserError as `file:line:col: message` with exit status 2 and no stack; anything else is our
// bug and prints its stack.

import { formatUserError, UserError } from '../errors.ts';
import { packageVersion } from '../package-root.ts';
import { oneOf } from './flags.ts';
import { abortOnInterrupt } from './interrupt.ts';
import { type CommandLine, readCommandLine, takeFlags } from './parse.ts';
import { COMMAND_NAMES, type Command, HELP } from './schema.ts';

type Main = (line: CommandLine, signal: AbortSignal) => number | Promise<number>;

/** Each command's module, imported when the command runs. */
const MAINS: Record<Command, () => Promise<Main>> = {
  list: async () => (await import('./list.ts')).listCommand,
  run: async () => (await import('./run.ts')).runCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  compare: async () => (await import('./compare.ts')).compareCommand,
  gen: async () => (await import('./gen.ts')).genCommand,
  engines: async () => (await import('./engines.ts')).enginesCommand,
  serve: async () => (await import('./serve.ts')).serveCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  merge: async () => (await import('./merge.ts')).mergeCommand,
  new: async () => (await import('./new.ts')).newCommand,
  help: async () => help,
};

/** `smplab help`, or --help with any command. */
async function help(line: CommandLine): Promise<number> {
  if (!line.help) takeFlags(line, HELP, 'help');
  console.log((await import('./help.ts')).helpText());
  return 0;
}

/** Runs one command and returns the exit status. */
async function main(line: CommandLine, signal: AbortSignal): Promise<number> {
  if (line.help) return help(line);
  if (line.version) {
    console.log(packageVersion());
    return 0;
  }
  const command = oneOf('command', line.command, COMMAND_NAMES);
  return (await MAINS[command]())(line, signal);
}

const interrupt = abortOnInterrupt();
try {
  const status = await main(readCommandLine(process.argv.slice(2)), interrupt.signal);
  // An interrupted run has printed and saved what it collected; its status says it was stopped.
  process.exitCode = interrupt.exitStatus() ?? status;
} catch (e) {
  if (!(e instanceof UserError)) throw e;
  console.error(formatUserError(e));
  process.exitCode = 2;
} finally {
  interrupt.dispose();
}
