// Every flag of the smplab command, once: how its value is read and checked, its default, its
// line of help, and what it is (said when it is given to a command it means nothing to). Which
// command takes which flag is commands.ts's; parse.ts reads argv with both, help.ts prints them.

import { BACKEND_NAMES, BACKENDS } from '../backends/registry.ts';
import { ENGINE_CHOICES } from '../engines/registry.ts';
import { didYouMean, UserError } from '../errors.ts';
import { DEFAULT_LOOP_BOUND } from '../explore/loop-bound.ts';
import { parseShard } from '../lab/shard.ts';
import { MODELS, type ModelName } from '../model/core/base.ts';
import { DEFAULT_MODEL_TIMEOUT_MS } from '../model/core/budget.ts';
import { count } from '../report/format.ts';
import { KNOBS, type KnobName, type KnobSpec, type Knobs } from '../runtime/litmus/knobs.ts';
import { DEFAULT_HW_SIZE_PARKED, DEFAULT_HW_SIZE_SPIN } from '../runtime/litmus/run.ts';

export const DEFAULT_RUNS = 1_000_000;
export const DEFAULT_MODEL: ModelName = 'lkmm';
export const DEFAULT_MODEL_TIMEOUT_S = DEFAULT_MODEL_TIMEOUT_MS / 1000;
/**
 * A scenario's variants share the CPUs (a worker each, as many as CPUs) and a variant's budget
 * is wall time: quiet, every seed scenario's slowest variant takes under 4 s, but on a loaded
 * 2-CPU machine pf-invalidate-race's full-check under lkmm passed 10 s.
 */
export const DEFAULT_SCENARIO_MODEL_TIMEOUT_S = 60;
/** smplab serve listens on this port of localhost unless told otherwise. */
export const DEFAULT_SERVE_PORT = 8380;
export const DEFAULT_SERVE_HOST = 'localhost';
/** Where smplab gen writes unless told otherwise (a family in DEFAULT_GEN_DIR/<PATTERN>/). */
export const DEFAULT_GEN_DIR = 'litmus-gen';

/** What node:util's parseArgs hands over for one flag. */
type Raw = string | boolean | string[] | undefined;

/** One flag: its form on the command line and how its value is read. */
export interface Flag<V> {
  /** `--runs N`: the name of its value in help; undefined for a switch (`--json`). */
  value?: string;
  short?: string;
  /** Repeatable (`--variant a --variant b`): its value is the list. */
  multiple?: boolean;
  /** What the command gets: the value checked and converted, or the default when not given. */
  read(raw: Raw, flag: string): V;
  /** Its line in `smplab help` (continuation lines indented by the printer). */
  help: string;
  /** What it is, for "--port does not apply to check: it is the port of smplab serve". */
  is: string;
}

const valued = <V>(
  value: string,
  convert: (raw: string, flag: string) => V,
  more: { help: string; is: string; short?: string },
): Flag<V | undefined> => ({
  value,
  ...more,
  read: (raw, flag) => (raw === undefined ? undefined : convert(String(raw), flag)),
});

const withDefault = <V>(flag: Flag<V | undefined>, fallback: V): Flag<V> => ({
  ...flag,
  read: (raw, name) => flag.read(raw, name) ?? fallback,
});

const toggle = (more: { help: string; is: string }): Flag<boolean> => ({
  ...more,
  read: (raw) => raw === true,
});

const text = (raw: string) => raw;

/** A knob of a litmus run on threads: its flag from the knob table (runtime/litmus/knobs.ts). */
const knob = <K extends KnobName>(name: K): Flag<Knobs[K] | undefined> =>
  valued(KNOBS[name].value, (raw, flag) => (KNOBS[name] as KnobSpec<Knobs[K]>).parse(raw, flag), {
    help: `litmus: ${KNOBS[name].help}`,
    is: `it is a knob of a litmus run on threads (docs/tune.md), which ${KNOB_FOR}`,
  });
const KNOB_FOR = 'smplab run and smplab compare take';

const DRAWING =
  'it draws the execution of one litmus test or scenario outcome (run --explain --dot/--svg)';

export const FLAGS = {
  on: valued('B,B...', backendList, {
    help: [
      'backends, comma-separated (default: every one that applies for a',
      'litmus test, model and hw for a program scenario):',
      ...BACKENDS.map((b) => `  ${b.name.padEnd(6)} ${b.description}`),
    ].join('\n'),
    is: 'it chooses the backends of smplab run and smplab compare',
  }),
  model: withDefault(
    valued('M', oneModel, {
      help: `memory model for the verdict: ${MODELS.join(', ')} (default ${DEFAULT_MODEL})`,
      is: 'it chooses the memory model of run, check, compare and serve',
    }),
    DEFAULT_MODEL,
  ),
  cat: valued('FILE', text, {
    help: "a model in herd7's cat language, in place of --model (its includes: its\nfolder, then herd7's library in cat/; docs/cat.md)",
    is: 'it reads the model of run, check and compare from a cat file',
  }),
  bell: valued('FILE', text, {
    help: 'the bell file of --cat: the annotations of events (linux-kernel.bell)',
    is: 'it is the bell file of a model read from files (--cat)',
  }),
  macros: valued('FILE', text, {
    help: "the macros file of --cat (linux-kernel.def): the tag the model sees for each\nmacro, checked against the front end's",
    is: 'it is the macros file of a model read from files (--cat)',
  }),
  conf: valued('FILE', text, {
    help: "a herd7 .cfg naming the model's files (model, bell, macros, variant...), as\nherd7 -conf reads it; --cat, --bell, --macros override it",
    is: 'it reads the model of run, check and compare from the files a herd7 .cfg names',
  }),
  'cat-variant': valued('V,V', text, {
    help: "variants of a model read from files, as herd7 -variant (a cfg's variant line;\nthe kernel's bell asks for lkmmv2)",
    is: 'it chooses the variants a model read from files tests with `if "V"` (--cat, --conf)',
  }),
  skipcheck: valued('N,N', text, {
    help: "skip the model's checks of these names, as herd7 -skipcheck",
    is: 'it skips checks of a model read from files (--cat, --conf)',
  }),
  against: valued('M|FILE', text, {
    help: "list the tests whose verdict differs under M (sc|tso|lkmm), a .cfg, or a cat\nfile in place of --cat's (same bell and macros); exit 1 if any",
    is: "it compares two models' verdicts of a set of tests (check --against)",
  }),
  runs: withDefault(
    valued('N', positiveInt, {
      help: `litmus: test instances per backend that runs threads (default ${count(DEFAULT_RUNS)})`,
      is: 'it counts the litmus test instances of smplab run and smplab compare',
    }),
    DEFAULT_RUNS,
  ),
  size: valued('N', positiveInt, {
    help: `litmus: instances per batch (default ${count(DEFAULT_HW_SIZE_SPIN)}, or\n${count(DEFAULT_HW_SIZE_PARKED)} when threads outnumber CPUs)`,
    is: 'it is the batch of a litmus run (smplab run and smplab compare)',
  }),
  start: knob('start'),
  delay: knob('delay'),
  meet: knob('meet'),
  pad: knob('pad'),
  stride: knob('stride'),
  order: knob('order'),
  placement: knob('placement'),
  stress: knob('stress'),
  tune: toggle({
    help: "search the knobs for the setting that shows this test's relaxed outcome\nmost often here (a family: run SB --tune); saves it as this machine's preset",
    is: 'it tunes the knobs of a litmus run on this machine (smplab run --tune)',
  }),
  untuned: toggle({
    help: "the built-in knobs, not this machine's tuned preset",
    is: "it sets aside the tuned preset of a litmus run's knobs",
  }),
  'browser-url': valued('URL', text, {
    help: "with --engine chromium: the browser already running there (a phone's Chrome\nafter adb forward tcp:9222 localabstract:chrome_devtools_remote:\nhttp://127.0.0.1:9222), not one started here",
    is: "it connects to a browser that runs a litmus test's threads (smplab run and smplab compare)",
  }),
  time: valued('SECONDS', positiveSeconds, {
    help: 'time budget (litmus: stop early; scenarios: per variant)',
    is: 'it is the time budget of smplab run and smplab compare',
  }),
  seed: withDefault(
    valued('N', positiveInt, {
      help: 'seed of the backends that make random choices (default 1; in the JSON)',
      is: 'it seeds the backends of smplab run and smplab compare that make random choices',
    }),
    1,
  ),
  // No fallback here: a litmus test's default budget and a scenario's differ (the commands
  // apply DEFAULT_MODEL_TIMEOUT_S or DEFAULT_SCENARIO_MODEL_TIMEOUT_S).
  'model-timeout': valued('S', positiveSeconds, {
    help: `give up on the model after S seconds (default ${DEFAULT_MODEL_TIMEOUT_S}; a scenario: ${DEFAULT_SCENARIO_MODEL_TIMEOUT_S} per variant)`,
    is: "it is the model's time budget in run, check, compare and serve",
  }),
  'loop-bound': withDefault(
    valued('N', positiveInt, {
      help: `scenarios on the model: passes through wait and retry loops per thread (default ${DEFAULT_LOOP_BOUND});\nmore is cut, and the answer says "within loop bound N"`,
      is: 'it bounds the loops of a program scenario on the model; a litmus test has none',
    }),
    DEFAULT_LOOP_BOUND,
  ),
  ablate: toggle({
    help: [
      'remove or weaken each barrier in turn: which ones are necessary',
      '(a scenario: each ordering call, by its line, on the model)',
    ].join('\n'),
    is: "it removes a litmus test's or a scenario's barriers in turn (smplab run --ablate)",
  }),
  explain: toggle({
    help: [
      'a witness execution, or the axiom and cycle that forbid the condition;',
      'a scenario: --explain OUTCOME, the execution that reaches it per CPU, call',
      'by call with its line, or why none does',
    ].join('\n'),
    is: 'it shows a model execution of a litmus test or a scenario (smplab run --explain)',
  }),
  variant: {
    value: 'V',
    multiple: true,
    read: (raw) => (Array.isArray(raw) ? raw : undefined),
    help: 'scenarios: run only variant V (repeatable)',
    is: 'it chooses variants of a program scenario (smplab run --variant)',
  } satisfies Flag<string[] | undefined>,
  json: toggle({
    help: 'print the result as JSON instead of text',
    is: 'it prints the result of run, check or compare as JSON',
  }),
  engine: valued('E', (raw) => oneOf('engine', raw, ENGINE_CHOICES), {
    help: [
      `where the threads backends run: ${ENGINE_CHOICES.join('|')}`,
      '(default: this process; all = every engine installed, one row each;',
      'node-tiers = Node once per V8 tier)',
    ].join('\n'),
    is: "it chooses the engine that runs a litmus test's threads (smplab run and smplab compare)",
  }),
  'engine-flags': withDefault(
    valued('"F"', (raw) => raw.split(/\s+/).filter(Boolean), {
      help: 'V8 flags (--jitless, --no-opt, --max-opt=2) or JSC options (--useJIT=false)\nfor the CPU workers, recorded in the result',
      is: "it passes flags to the engine that runs a litmus test's threads (smplab run and smplab compare)",
    }),
    [],
  ),
  junit: valued('FILE', text, {
    help: 'also write a JUnit XML report for CI',
    is: 'it writes the JUnit XML file of smplab run and smplab check',
  }),
  dot: valued('FILE', text, {
    help: 'draw the witness or forbidding cycle (Graphviz DOT)',
    is: DRAWING,
  }),
  svg: valued('FILE', text, { help: 'draw the witness or forbidding cycle (SVG)', is: DRAWING }),
  baseline: valued('FILE', text, {
    help: 'compare with a saved check --json; exit 1 on any change',
    is: 'it compares a check with a saved one (check --baseline)',
  }),
  port: withDefault(
    valued('N', port, {
      help: `default ${DEFAULT_SERVE_PORT}`,
      is: 'it is the port of smplab serve',
    }),
    DEFAULT_SERVE_PORT,
  ),
  host: withDefault(
    valued('H', text, {
      help: `default ${DEFAULT_SERVE_HOST}; 0.0.0.0 lets other devices (a phone) in`,
      is: 'it is the address smplab serve listens on',
    }),
    DEFAULT_SERVE_HOST,
  ),
  'tls-cert': valued('F', text, {
    help: "serve HTTPS with this PEM certificate (with --tls-key): another device's\nbrowser allows SharedArrayBuffer only over HTTPS (or localhost)",
    is: 'it is the certificate of smplab serve',
  }),
  'tls-key': valued('F', text, {
    help: 'the PEM key of --tls-cert',
    is: 'it is the key of smplab serve',
  }),
  log: toggle({
    help: 'histograms on a log scale',
    is: 'it draws the histograms of smplab report on a log scale',
  }),
  cycle: valued('"EDGES"', text, {
    help: 'a test from a diy7 cycle ("Fre PodWR Fre PodWR")',
    is: 'it is the cycle smplab gen makes a test of',
  }),
  family: valued('P', text, {
    help: "every ordering of pattern P's edges, one file each",
    is: 'it is the pattern whose family smplab gen writes',
  }),
  out: valued('DIR', text, {
    short: 'o',
    help: 'the folder written (report: default <results dir>/html/; merge: required)',
    is: 'it is the output folder of smplab report and smplab merge',
  }),
  shard: valued('I/N', parseShard, {
    help: 'the I-th of N parts of the tests named, for N CI jobs (merge and report join them)',
    is: 'it splits the tests of smplab check and smplab run across CI jobs',
  }),
  force: toggle({
    help: 'overwrite files that exist with other text (otherwise nothing is written)',
    is: 'it lets smplab gen and smplab new overwrite files',
  }),
} satisfies Record<string, Flag<unknown>>;

export type FlagName = keyof typeof FLAGS;
export const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

/** The values a command gets for the flags it takes, each read by its Flag (defaults filled in). */
export type Values<K extends FlagName> = { [P in K]: ReturnType<(typeof FLAGS)[P]['read']> };

/** `--on hw,weak`: each name checked against the registry, each once. */
function backendList(raw: string): string[] {
  const names = raw.split(',').map((b) => oneOf('backend', b.trim(), BACKEND_NAMES));
  return [...new Set(names)];
}

/** --model's value: one model a run (a list is refused saying so; each is a run of its own). */
function oneModel(raw: string): ModelName {
  if (raw.includes(','))
    throw new UserError(
      `--model takes one model a run, not '${raw}': run once per model (--model ${MODELS.join(', --model ')})`,
    );
  return oneOf('model', raw, MODELS);
}

export function oneOf<T extends string>(what: string, word: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(word)) return word as T;
  throw new UserError(
    `unknown ${what} '${word}'${didYouMean(word, allowed)}; one of: ${allowed.join(', ')}`,
  );
}

function positiveInt(raw: string, flag: string): number {
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UserError(`${flag} takes a whole number above 0, not '${raw}'`);
  return n;
}

function positiveSeconds(raw: string, flag: string): number {
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
