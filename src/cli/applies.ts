// Each command takes the options that mean something to it; a flag given where it means nothing
// is an error naming it and saying why, never silently ignored (`--size` on a program scenario,
// `--variant` on a litmus test, `--runs` on check …).

import { UserError } from '../errors.ts';
import type { Options } from './options.ts';

/** What a command is about to run: a litmus test, a program scenario, or a command of its own. */
export type Target = 'litmus' | 'program' | 'check' | 'compare' | 'list';

const SCENARIO_RUNS = 'a program scenario runs each variant for --time seconds';
const MODEL_ONLY = 'check runs the model alone, on each file';

/** Flags that belong to other commands: serve's server, report's and merge's output folder. */
const OTHER_COMMANDS: Readonly<Record<string, string>> = {
  port: 'it is the port of smplab serve',
  host: 'it is the address smplab serve listens on',
  'tls-cert': 'it is the certificate of smplab serve',
  'tls-key': 'it is the key of smplab serve',
  out: 'it is the output folder of smplab report and smplab merge',
  log: 'it draws the histograms of smplab report on a log scale',
};
const DRAWING = 'it draws the execution of one litmus test (run --explain --dot/--svg)';
const BASELINE = 'it compares a check with a saved one (check --baseline)';

/** Flag → why it does not apply, per target. Flags absent here apply. */
const DOES_NOT_APPLY: Record<Target, Readonly<Record<string, string>>> = {
  program: {
    ...OTHER_COMMANDS,
    dot: DRAWING,
    svg: DRAWING,
    baseline: BASELINE,
    runs: `it counts litmus test instances; ${SCENARIO_RUNS}`,
    size: `it is the batch of a litmus run; ${SCENARIO_RUNS}`,
    ablate: "it removes a litmus test's barriers in turn; a scenario's variants are its ablations",
    explain:
      'it shows a model execution of a litmus test; the model does not run program scenarios',
    model:
      'it chooses the model that grades a litmus test; the model does not run program scenarios',
    'model-timeout': 'the model does not run program scenarios',
  },
  litmus: {
    ...OTHER_COMMANDS,
    baseline: BASELINE,
    variant: 'it chooses variants of a program scenario; a litmus test has none',
  },
  compare: {
    ...OTHER_COMMANDS,
    dot: DRAWING,
    svg: DRAWING,
    baseline: BASELINE,
    junit: 'compare writes no JUnit file; run or check each test with --junit',
    variant: 'it chooses variants of a program scenario; compare takes litmus tests',
    ablate: 'run one test with --ablate',
    explain: 'run one test with --explain',
  },
  check: {
    ...OTHER_COMMANDS,
    dot: DRAWING,
    svg: DRAWING,
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
  list: Object.fromEntries(
    [
      'runs',
      'size',
      'time',
      'seed',
      'on',
      'model',
      'model-timeout',
      'json',
      'ablate',
      'explain',
      'variant',
      'engine',
      'engine-flags',
      'junit',
      'baseline',
      'dot',
      'svg',
      ...Object.keys(OTHER_COMMANDS),
    ].map((f) => [f, 'list takes no options']),
  ),
};

/** Throw a UserError for the first flag given that does not apply to `target`. */
export function refuseInapplicable(opts: Options, target: Target, what: string): void {
  for (const flag of opts.given) {
    const why = DOES_NOT_APPLY[target][flag];
    if (why !== undefined) throw new UserError(`--${flag} does not apply to ${what}: ${why}`);
  }
}
