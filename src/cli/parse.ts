// Reading the command line: argv → the command word, its arguments and the flags given (raw),
// once; then each command takes the flags of what it runs (takeFlags), checked against its
// schema (schema.ts): a flag that means nothing there is an error naming the flag and why,
// never silently ignored; an unknown flag is an error with the closest names.

import { parseArgs } from 'node:util';
import { didYouMean, UserError } from '../errors.ts';
import { FLAG_NAMES, FLAGS, type FlagName, type Values } from './flags.ts';

/** The command line as typed: nothing checked yet beyond the flags' spelling. */
export interface CommandLine {
  command: string;
  args: string[];
  /** The flags given, by name, as parseArgs read them (unchecked values). */
  given: Partial<Record<FlagName, string | boolean | string[]>>;
  /** --help / -h anywhere. */
  help: boolean;
  /** --version / -V anywhere. */
  version: boolean;
}

/** What a command (or one kind of request it takes) accepts. */
export interface Target<K extends FlagName = FlagName> {
  takes: readonly K[];
  /** Why a flag it does not take means nothing here, where the flag's own `is` is not the reason. */
  whyNot?: Partial<Record<FlagName, string>>;
  /** The reason for every flag it does not take (`list takes no options`). */
  takesNone?: string;
}

export function readCommandLine(argv: string[]): CommandLine {
  const { values, positionals } = parseOrThrow(joinEngineFlags(argv));
  const { help, version, ...given } = values as Record<string, string | boolean | string[]>;
  const [command = 'help', ...args] = positionals;
  return {
    command,
    args,
    given: given as CommandLine['given'],
    help: help === true,
    version: version === true,
  };
}

/**
 * The values of the flags `target` takes, defaults filled in; a UserError for the first flag
 * given that it does not take: `--port does not apply to a litmus test: it is the port of
 * smplab serve`. `what` names what the flags were given to.
 */
export function takeFlags<K extends FlagName>(
  line: CommandLine,
  target: Target<K>,
  what: string,
): Values<K> {
  for (const flag of Object.keys(line.given) as FlagName[]) {
    if ((target.takes as readonly FlagName[]).includes(flag)) continue;
    const why = target.whyNot?.[flag] ?? target.takesNone ?? FLAGS[flag].is;
    throw new UserError(`--${flag} does not apply to ${what}: ${why}`);
  }
  const values = {} as Record<K, unknown>;
  for (const flag of target.takes)
    values[flag] = (FLAGS[flag].read as (raw: unknown, name: string) => unknown)(
      line.given[flag],
      `--${flag}`,
    );
  return values as Values<K>;
}

function parseOrThrow(argv: string[]) {
  const options = Object.fromEntries(
    FLAG_NAMES.map((name) => {
      const f: { value?: string; short?: string; multiple?: boolean } = FLAGS[name];
      return [
        name,
        {
          type: f.value === undefined ? ('boolean' as const) : ('string' as const),
          ...(f.short && { short: f.short }),
          ...(f.multiple && { multiple: true }),
        },
      ];
    }),
  );
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...options,
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    throw new UserError(`${optionError(e as Error)} (smplab help lists the options)`);
  }
}

/** parseArgs' message, with the closest flag's name when the flag is unknown. */
function optionError(e: Error): string {
  const message = e.message.replace(/\. To specify.*$/s, '');
  const unknown = /^Unknown option '(--?)([^']+)'/.exec(message);
  if (!unknown) return message;
  const names = FLAG_NAMES.map((n) => `--${n}`);
  return `unknown option ${unknown[1]}${unknown[2]}${didYouMean(`--${unknown[2]}`, names)}`;
}

/**
 * `--engine-flags --jitless` as one option: its value starts with a dash, which parseArgs would
 * take for another option (`--engine-flags=--jitless` works either way).
 */
function joinEngineFlags(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--engine-flags' && i + 1 < argv.length)
      out.push(`--engine-flags=${argv[++i]}`);
    else out.push(argv[i]!);
  }
  return out;
}
