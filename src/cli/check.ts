// `smplab check <files|dirs> [--model M]`: the model's verdict for every test against its
// `Result:` line, as one table (test, expected, got, states, time). Exit 1 on any mismatch.

import { formatUserError, UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { checkModel } from '../model/index.ts';
import { count, seconds, table } from '../report/format.ts';
import { refuseInapplicable } from './applies.ts';
import type { Options } from './options.ts';
import { litmusFilesOf } from './resolve.ts';

/** The model a `Result:` line speaks for: the kernel's tests state LKMM's verdict. */
const RESULT_LINE_MODEL = 'lkmm';

interface CheckRow {
  file: string;
  test: string;
  expected: string;
  got: string;
  states: string;
  /** Undefined when the model did not run (an error row). */
  elapsedMs?: number;
  ok: boolean;
  /** A file that could not be checked: `file:line:col: message`. */
  error?: string;
}

export function checkCommand(opts: Options): number {
  refuseInapplicable(opts, 'check', 'check');
  // A Result: line is LKMM's claim; under another model the verdicts are shown, not compared.
  const compared = opts.model === RESULT_LINE_MODEL;
  const rows = litmusFilesOf(opts.args).map((f) => checkOne(f, opts, compared));
  const mismatches = rows.filter((r) => !r.ok);
  if (opts.json) {
    console.log(JSON.stringify({ model: opts.model, compared, tests: rows }, null, 2));
    return mismatches.length > 0 ? 1 : 0;
  }
  const header = [
    'test',
    `expected (${RESULT_LINE_MODEL})`,
    `got (${opts.model})`,
    'states',
    'time',
    '',
  ];
  const body = rows.map((r) => [
    r.test,
    r.expected,
    r.got,
    r.states,
    r.elapsedMs === undefined ? '0' : seconds(r.elapsedMs),
    r.error ? 'ERROR' : !compared ? '' : r.ok ? 'ok' : 'MISMATCH',
  ]);
  console.log(table([header, ...body], new Set([3, 4])));
  const errors = rows.filter((r) => r.error);
  if (errors.length > 0) console.log(`\nErrors\n${errors.map((r) => `  ${r.error}`).join('\n')}`);
  const totalMs = rows.reduce((ms, r) => ms + (r.elapsedMs ?? 0), 0);
  const verdicts = compared
    ? `${count(rows.length - mismatches.length)} as expected, ${count(mismatches.length - errors.length)} mismatched`
    : `Result lines not compared: they state ${RESULT_LINE_MODEL}'s verdict, not ${opts.model}'s`;
  console.log(
    `\n${count(rows.length)} tests, ${verdicts}, ${count(errors.length)} errors, model time ${seconds(totalMs)}`,
  );
  return mismatches.length > 0 ? 1 : 0;
}

function checkOne(file: string, opts: Options, compared: boolean): CheckRow {
  let name = file;
  try {
    const test = loadLitmus(file);
    name = test.name;
    const v = checkModel(test, opts.model, { timeoutMs: opts.modelTimeoutS * 1000 });
    const expected = test.expected ?? '-';
    return {
      file,
      test: name,
      expected,
      got: v.observation,
      states: String(v.states.size),
      elapsedMs: v.elapsedMs,
      // A test without a Result: line has nothing to disagree with.
      ok: !compared || test.expected === undefined || test.expected === v.observation,
    };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // One line: where and what; the table row says which test.
    const error = formatUserError(e).split('\n')[0]!;
    return { file, test: name, expected: '?', got: 'error', states: '-', ok: false, error };
  }
}
