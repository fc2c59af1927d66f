// The command line: one parser, closed sets of values, and help text made from the same
// arrays that validate, so "did you mean" and `smplab help` cannot disagree with the parser.

import { parseArgs } from 'node:util';
import { BACKEND_NAMES, BACKENDS } from '../backends/registry.ts';
import { ENGINE_CHOICES } from '../engines/registry.ts';
import { didYouMean, UserError } from '../errors.ts';
import { ANNOTS, EDGE_WORDS } from '../gen/edges.ts';
import { PATTERN_NAMES } from '../gen/patterns.ts';
import { DEFAULT_MODEL_TIMEOUT_MS, MODELS, type ModelName } from '../model/index.ts';
import { DEFAULT_HW_SIZE_PARKED, DEFAULT_HW_SIZE_SPIN } from '../runtime/litmus/run.ts';
import { DEFAULT_GEN_DIR } from './gen.ts';

export const COMMANDS = [
  'list',
  'run',
  'check',
  'compare',
  'gen',
  'engines',
  'serve',
  'report',
  'merge',
  'help',
] as const;
export type Command = (typeof COMMANDS)[number];

export const DEFAULT_RUNS = 1_000_000;
export const DEFAULT_MODEL: ModelName = 'lkmm';
export const DEFAULT_MODEL_TIMEOUT_S = DEFAULT_MODEL_TIMEOUT_MS / 1000;
/** smplab serve listens on this port of localhost unless told otherwise. */
export const DEFAULT_SERVE_PORT = 8380;
export const DEFAULT_SERVE_HOST = 'localhost';

export interface Options {
  command: Command;
  args: string[];
  runs: number;
  /** Instances per batch; undefined: the hw backend picks by threads and CPUs. */
  size?: number;
  /** Seconds; undefined: no time budget beyond --runs. */
  time?: number;
  /** Seed for backends that make random choices (recorded in every result). */
  seed: number;
  /** Backend names (from the registry); undefined: the default for what runs (registry.ts). */
  on?: string[];
  model: ModelName;
  modelTimeoutS: number;
  json: boolean;
  ablate: boolean;
  explain: boolean;
  variants?: string[];
  /** The flags given on the command line (without --), for refuseInapplicable (applies.ts). */
  given: string[];
  /** --engine: one engine, `all`, `node-tiers`; undefined: this process. */
  engine?: (typeof ENGINE_CHOICES)[number];
  /** --engine-flags, split at spaces: V8 flags or JSC options for the CPU workers. */
  engineFlags: string[];
  port: number;
  host: string;
  /** --tls-cert and --tls-key: PEM files; serve over HTTPS. */
  tlsCert?: string;
  tlsKey?: string;
  /** report: the output folder; merge: the folder merged into. */
  out?: string;
  /** report: histograms on a log scale. */
  log: boolean;
  /** Write a JUnit XML file of the run (run, check, scenarios). */
  junit?: string;
  /** check: a saved `check --json` to compare verdicts with. */
  baseline?: string;
  /** run --explain: write the execution graph as DOT / SVG. */
  dot?: string;
  svg?: string;
}

export const HELP = `smplab — SMP concurrency and memory ordering on Node.js worker threads

Usage:
  smplab list                          litmus tests and program scenarios, one line each
  smplab run <name|file> [options]     run a litmus test or a program scenario
  smplab check <files|dirs> [--model M]  model verdict of each test against its Result: line
  smplab compare <a> <b> ...           verdicts and histograms side by side
  smplab gen <pattern|name> [-o DIR]   a C-litmus test from a pattern (SB, MP+pooncerelease+poacquireonce)
  smplab gen --cycle "EDGES" [-o DIR]  ... from a diy7 cycle ("Fre PodWR Fre PodWR")
  smplab gen --family P [-o DIR]       every ordering of pattern P's edges, one file each
  smplab engines                       the engines installed here, with versions; how to get the others
  smplab serve [tests...]              the browser runner: a page any device on the network can open
  smplab report [results dir] [-o out/] [--log]   the HTML report of a results folder
  smplab merge <dir>... -o <out/>      combine results folders of several machines and engines
  smplab help                          this text

Options of run and compare:
  --on B,B...         backends, comma-separated (default: every one that applies for a
                      litmus test, hw for a program scenario):
${BACKENDS.map((b) => `                        ${b.name.padEnd(6)} ${b.description}`).join('\n')}
  --model ${MODELS.join('|')}        memory model for the verdict (default ${DEFAULT_MODEL})
  --runs N            litmus: test instances per backend that runs threads (default ${DEFAULT_RUNS.toLocaleString('en-US')})
  --size N            litmus: instances per batch (default ${DEFAULT_HW_SIZE_SPIN.toLocaleString('en-US')}, or
                      ${DEFAULT_HW_SIZE_PARKED.toLocaleString('en-US')} when threads outnumber CPUs)
  --time SECONDS      time budget (litmus: stop early; scenarios: per variant)
  --seed N            seed of the backends that make random choices (default 1; in the JSON)
  --model-timeout S   give up on the model after S seconds (default ${DEFAULT_MODEL_TIMEOUT_S})
  --ablate            remove or weaken each barrier in turn: which ones are necessary
  --explain           a witness execution, or the axiom and cycle that forbid the condition
  --variant V         scenarios: run only variant V (repeatable)
  --json              print the result as JSON instead of text
  --engine E          where the threads backends run: ${ENGINE_CHOICES.join('|')}
                      (default: this process; all = every engine installed, one row each;
                      node-tiers = Node once per V8 tier)
  --engine-flags "F"  V8 flags (--jitless, --no-opt, --max-opt=2) or JSC options (--useJIT=false)
                      for the CPU workers, recorded in the result

Files for CI and drawings (run, check):
  --junit FILE        run, check: also write a JUnit XML report for CI
  --dot FILE, --svg FILE  run --explain: draw the witness or forbidding cycle (Graphviz DOT, SVG)
  --baseline FILE     check: compare with a saved check --json; exit 1 on any change

Options of serve:
  --port N            default ${DEFAULT_SERVE_PORT}
  --host H            default ${DEFAULT_SERVE_HOST}; 0.0.0.0 lets other devices (a phone) in
  --tls-cert F --tls-key F  serve HTTPS with this PEM certificate and key: another device's
                      browser allows SharedArrayBuffer only over HTTPS (or localhost)

Options of gen (tests get a Result: line from the lkmm model; see README "Generating tests"):
  -o DIR              where to write (default ${DEFAULT_GEN_DIR}/, a family in ${DEFAULT_GEN_DIR}/<P>/); - prints
  --force             overwrite files that exist with other text (otherwise nothing is written)
  patterns: ${PATTERN_NAMES.join(' ')}
  edges: ${EDGE_WORDS.join(' ')}
         (each optionally with two annotations of ${ANNOTS.join(', ')}: PodWWOnceRelease)
  files are diy7's C form (metadata lines, *(x + (r0 & 128)) for addr), except that ctrl is a
  real if (r0 == 1) { ... }: diy7 writes r1 = (r0 != 0), which herd7 does not count as ctrl

npm scripts: npm run scenario -- <name> [options] is smplab run; npm run lab -- <args> is smplab.
Each run writes results/<name>/<timestamp>.json. Ctrl-C stops a run and prints what was
collected, marked partial.`;

export function parseOptions(argv: string[]): Options {
  // gen reads its own flags (src/cli/gen.ts): everything after the word is passed on as args.
  if (argv[0] === 'gen' && !argv.includes('--help') && !argv.includes('-h'))
    return { ...parseOptions([]), command: 'gen', args: argv.slice(1) };
  const { values, positionals } = parseOrThrow(joinEngineFlags(argv));
  const [commandWord = 'help', ...args] = positionals;
  return {
    command: values.help ? 'help' : oneOf('command', commandWord, COMMANDS),
    args,
    runs: values.runs === undefined ? DEFAULT_RUNS : positiveInt('--runs', values.runs),
    size: values.size === undefined ? undefined : positiveInt('--size', values.size),
    time: values.time === undefined ? undefined : positiveNumber('--time', values.time),
    seed: values.seed === undefined ? 1 : positiveInt('--seed', values.seed),
    on: values.on === undefined ? undefined : backendList(values.on),
    model: oneOf('model', values.model ?? DEFAULT_MODEL, MODELS),
    modelTimeoutS:
      values['model-timeout'] === undefined
        ? DEFAULT_MODEL_TIMEOUT_S
        : positiveNumber('--model-timeout', values['model-timeout']),
    json: values.json ?? false,
    ablate: values.ablate ?? false,
    explain: values.explain ?? false,
    variants: values.variant,
    given: Object.keys(values).filter((k) => k !== 'help'),
    engine:
      values.engine === undefined ? undefined : oneOf('engine', values.engine, ENGINE_CHOICES),
    engineFlags: values['engine-flags']?.split(/\s+/).filter(Boolean) ?? [],
    port: values.port === undefined ? DEFAULT_SERVE_PORT : port(values.port),
    host: values.host ?? DEFAULT_SERVE_HOST,
    tlsCert: values['tls-cert'],
    tlsKey: values['tls-key'],
    out: values.out,
    log: values.log ?? false,
    junit: values.junit,
    baseline: values.baseline,
    dot: values.dot,
    svg: values.svg,
  };
}

function parseOrThrow(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        runs: { type: 'string' },
        size: { type: 'string' },
        time: { type: 'string' },
        seed: { type: 'string' },
        on: { type: 'string' },
        model: { type: 'string' },
        'model-timeout': { type: 'string' },
        json: { type: 'boolean' },
        ablate: { type: 'boolean' },
        explain: { type: 'boolean' },
        variant: { type: 'string', multiple: true },
        engine: { type: 'string' },
        'engine-flags': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        out: { type: 'string', short: 'o' },
        log: { type: 'boolean' },
        junit: { type: 'string' },
        baseline: { type: 'string' },
        dot: { type: 'string' },
        svg: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UserError(
      `${(e as Error).message.replace(/\. To specify.*$/s, '')} (smplab help lists the options)`,
    );
  }
}

/** `--on hw,weak`: each name checked against the registry, each once. */
function backendList(raw: string): string[] {
  const names = raw.split(',').map((b) => oneOf('backend', b.trim(), BACKEND_NAMES));
  return [...new Set(names)];
}

export function oneOf<T extends string>(what: string, word: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(word)) return word as T;
  throw new UserError(
    `unknown ${what} '${word}'${didYouMean(word, allowed)}; one of: ${allowed.join(', ')}`,
  );
}

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UserError(`${flag} takes a whole number above 0, not '${raw}'`);
  return n;
}

function positiveNumber(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0)
    throw new UserError(`${flag} takes a number of seconds above 0, not '${raw}'`);
  return n;
}

function port(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new UserError(`--port takes a port number from 0 to 65535, not '${raw}'`);
  return n;
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
