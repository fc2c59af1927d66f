// The schema of each command: its usage lines and the flags it takes, per kind of request where
// what runs decides (run: a litmus test or a program scenario; compare: tests or result
// folders). parse.ts refuses every other flag with the reason given here or the flag's own
// (flags.ts); help.ts prints usage and options from the same table, so help, "did you mean"
// and what is accepted cannot disagree.

import { DEFAULT_GEN_DIR, type FlagName } from './flags.ts';

/** The knob flags (runtime/litmus/knobs.ts) besides --size, which every litmus run had. */
const KNOB_FLAGS = [
  'start',
  'delay',
  'meet',
  'pad',
  'stride',
  'order',
  'placement',
  'stress',
] as const;

import type { Target } from './parse.ts';

const target = <K extends FlagName>(t: Target<K>): Target<K> => t;

const SCENARIO_RUNS = 'a program scenario runs each variant for --time seconds';
const MODEL_ONLY = 'check runs the model alone, on each file';
const IN_THIS_PROCESS = 'a program scenario runs in this process, on Node';
const PAGE_SETS = 'the page chooses it (a field of the page, or ?runs=&size=&seed= in its address)';
const PAGE_KNOBS = 'the page chooses it (its Knobs fields, or ?start=&delay=&pad=… in its address)';

/** The flags that choose the model: a built-in one, or one read from herd7's files. */
const MODEL = ['model', 'cat', 'bell', 'macros', 'conf', 'cat-variant', 'skipcheck'] as const;
const FILE_MODEL_HERE = (why: string) =>
  Object.fromEntries(MODEL.filter((f) => f !== 'model').map((f) => [f, why]));

/** The flags of a litmus run, shared by run and compare. */
const LITMUS_RUN = [
  'on',
  ...MODEL,
  'runs',
  'size',
  'time',
  'seed',
  'model-timeout',
  'engine',
  'engine-flags',
  'browser-url',
  'untuned',
  ...KNOB_FLAGS,
  'json',
] as const;

/** Why a program scenario takes no knob: its threads run its own loops, not litmus instances. */
const NO_KNOBS = Object.fromEntries(
  [...KNOB_FLAGS, 'tune', 'untuned'].map((k) => [
    k,
    "it is a knob of a litmus run's instances; a program scenario's threads run its own loops",
  ]),
);

export const RUN_LITMUS = target({
  takes: [...LITMUS_RUN, 'tune', 'ablate', 'explain', 'junit', 'dot', 'svg', 'shard'],
  whyNot: { variant: 'it chooses variants of a program scenario; a litmus test has none' },
});

export const RUN_PROGRAM = target({
  takes: [
    'on',
    'time',
    'seed',
    'variant',
    'model',
    'model-timeout',
    'loop-bound',
    'json',
    'junit',
    'shard',
    'explain',
    'ablate',
    'dot',
    'svg',
  ],
  whyNot: {
    ...FILE_MODEL_HERE(
      'a model read from files grades litmus tests; a program scenario is explored by a built-in model (--model)',
    ),
    runs: `it counts litmus test instances; ${SCENARIO_RUNS}`,
    size: `it is the batch of a litmus run; ${SCENARIO_RUNS}`,
    engine: `it runs a litmus test's threads on another engine; ${IN_THIS_PROCESS}`,
    'engine-flags': `it passes flags to another engine's workers; ${IN_THIS_PROCESS}`,
    'browser-url': `it runs a litmus test's threads in a browser elsewhere; ${IN_THIS_PROCESS}`,
    ...NO_KNOBS,
  },
});

export const CHECK = target({
  takes: [...MODEL, 'against', 'model-timeout', 'json', 'junit', 'baseline', 'shard'],
  whyNot: {
    engine: MODEL_ONLY,
    'engine-flags': MODEL_ONLY,
    runs: MODEL_ONLY,
    size: MODEL_ONLY,
    time: `${MODEL_ONLY} (its budget is --model-timeout)`,
    seed: MODEL_ONLY,
    on: MODEL_ONLY,
    ablate: MODEL_ONLY,
    explain: `${MODEL_ONLY}; run one test with --explain`,
    variant: MODEL_ONLY,
  },
});

export const COMPARE_TESTS = target({
  takes: LITMUS_RUN,
  whyNot: {
    junit: 'compare writes no JUnit file; run or check each test with --junit',
    variant: 'it chooses variants of a program scenario; compare takes litmus tests',
    ablate: 'run one test with --ablate',
    explain: 'run one test with --explain',
    tune: 'run one test or family with --tune',
  },
});

export const COMPARE_FOLDERS = target({
  takes: [],
  takesNone: 'compare of result folders reads the runs saved there, as they were run',
});

export const GEN = target({ takes: ['cycle', 'family', 'out', 'force'] });

export const SERVE = target({
  takes: ['port', 'host', 'tls-cert', 'tls-key', 'model', 'model-timeout'],
  whyNot: {
    runs: PAGE_SETS,
    size: PAGE_SETS,
    seed: PAGE_SETS,
    ...Object.fromEntries(KNOB_FLAGS.map((k) => [k, PAGE_KNOBS])),
  },
});

export const REPORT = target({ takes: ['out', 'log'] });
export const NEW = target({ takes: ['out', 'force'] });
export const MERGE = target({ takes: ['out'] });
export const LIST = target({ takes: [], takesNone: 'list takes no options' });
export const ENGINE_LIST = target({ takes: [], takesNone: 'engines takes no options' });
export const HELP = target({ takes: [], takesNone: 'help takes no options' });

export interface CommandSchema {
  /** `smplab run <name|file> [options]` and what it does, one line each. */
  usage: [synopsis: string, summary: string][];
  /** What it takes, for each kind of request it serves. */
  targets: Target[];
  /** Its own help line for a flag whose meaning differs here (gen's -o). */
  help?: Partial<Record<FlagName, string>>;
}

export const COMMANDS = {
  list: {
    usage: [['smplab list', 'litmus tests and program scenarios, one line each']],
    targets: [LIST],
  },
  run: {
    usage: [
      ['smplab run <name|file> [options]', 'run a litmus test or a program scenario'],
      [
        'smplab run <names|files|dirs> [--shard I/N]',
        'run several, one after the other (a corpus, or its I-th of N parts)',
      ],
    ],
    targets: [RUN_LITMUS, RUN_PROGRAM],
  },
  check: {
    usage: [
      [
        'smplab check <files|dirs> [--model M]',
        'model verdict of each test against its Result: line',
      ],
      [
        'smplab check <files|dirs> --cat A.cat --against B.cat',
        'the tests whose verdict differs between two models',
      ],
    ],
    targets: [CHECK],
  },
  compare: {
    usage: [
      ['smplab compare <a> <b> ...', 'verdicts and histograms side by side'],
      ['smplab compare <results dirs>', 'the runs saved in result folders, test by test'],
    ],
    targets: [COMPARE_TESTS, COMPARE_FOLDERS],
  },
  gen: {
    usage: [
      [
        'smplab gen <pattern|name> [-o DIR]',
        'a C-litmus test from a pattern (SB, MP+pooncerelease+poacquireonce)',
      ],
      ['smplab gen --cycle "EDGES" [-o DIR]', '... from a diy7 cycle ("Fre PodWR Fre PodWR")'],
      ['smplab gen --family P [-o DIR]', "every ordering of pattern P's edges, one file each"],
    ],
    targets: [GEN],
    help: {
      out: `where to write (default ${DEFAULT_GEN_DIR}/, a family in ${DEFAULT_GEN_DIR}/<P>/); - prints`,
    },
  },
  engines: {
    usage: [['smplab engines', 'the engines installed here, with versions; how to get the others']],
    targets: [ENGINE_LIST],
  },
  serve: {
    usage: [
      ['smplab serve [tests...]', 'the browser runner: a page any device on the network can open'],
    ],
    targets: [SERVE],
  },
  report: {
    usage: [
      ['smplab report [results dir] [-o out/] [--log]', 'the HTML report of a results folder'],
    ],
    targets: [REPORT],
  },
  merge: {
    usage: [
      [
        'smplab merge <dir>... -o <out/>',
        'combine results folders of several machines and engines',
      ],
    ],
    targets: [MERGE],
  },
  new: {
    usage: [
      [
        'smplab new scenario NAME [-o DIR]',
        'a working, commented starting file for a program scenario',
      ],
    ],
    targets: [NEW],
    help: { out: 'the folder NAME.ts is written in (default: here)' },
  },
  help: {
    usage: [
      ['smplab help', 'this text (also --help or -h after any command)'],
      ['smplab --version', "smplab's version (also -V)"],
    ],
    targets: [HELP],
  },
} satisfies Record<string, CommandSchema>;

export type Command = keyof typeof COMMANDS;
export const COMMAND_NAMES = Object.keys(COMMANDS) as Command[];
