// `smplab check <files|dirs> [--model M]`: the model's verdict for every test against its
// `Result:` line, as one table (test, expected, got, states, time). Exit 1 on any mismatch.

import { readFileSync } from 'node:fs';
import { formatUserError, UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { checkModel } from '../model/index.ts';
import {
  type CheckEntry,
  type CheckJson,
  checkJson,
  compareWithBaseline,
  parseBaseline,
} from '../report/check-baseline.ts';
import { count, seconds, table } from '../report/format.ts';
import { junitOfCheck, junitXml } from '../report/junit.ts';
import { hostInfo } from '../runtime/host.ts';
import { refuseInapplicable } from './applies.ts';
import type { Options } from './options.ts';
import { displayPath, litmusFilesOf } from './resolve.ts';
import { writeUserFile } from './write-file.ts';

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
  /** What check --json saves and --baseline compares. */
  entry: CheckEntry;
  /** A file that could not be checked: `file:line:col: message`. */
  error?: string;
}

export function checkCommand(opts: Options): number {
  refuseInapplicable(opts, 'check', 'check');
  // A Result: line is LKMM's claim; under another model the verdicts are shown, not compared.
  const compared = opts.model === RESULT_LINE_MODEL;
  const rows = litmusFilesOf(opts.args).map((f) => checkOne(f, opts, compared));
  const mismatches = rows.filter((r) => !r.ok);
  const saved = checkJson(
    opts.model,
    hostInfo(),
    rows.map((r) => r.entry),
  );
  if (opts.junit) writeUserFile(opts.junit, junitXml([junitOfCheck(saved)]));
  if (opts.json) {
    console.log(JSON.stringify({ ...saved, compared }, null, 2));
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
  const changed = opts.baseline ? printBaselineChanges(opts.baseline, saved) : false;
  return mismatches.length > 0 || changed ? 1 : 0;
}

/** Every change against a saved check --json; true if there was one. */
function printBaselineChanges(file: string, now: CheckJson): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the baseline: ${(e as Error).message}`, file);
  }
  const { changes, notes } = compareWithBaseline(parseBaseline(text, file), now);
  console.log(
    changes.length === 0
      ? `\nNo change against the baseline ${file}.`
      : `\n${count(changes.length)} change(s) against the baseline ${file}:`,
  );
  for (const c of changes) console.log(`  ${c}`);
  for (const n of notes) console.log(`  (note) ${n}`);
  return changes.length > 0;
}

function checkOne(file: string, opts: Options, compared: boolean): CheckRow {
  let name = file;
  try {
    const test = loadLitmus(file);
    name = test.name;
    // The verdict alone, settled as soon as it can be (herd7's -speedcheck), unless the state
    // sets are wanted: --json saves them and --baseline compares them.
    const wholeStates = opts.json || opts.baseline !== undefined;
    const v = checkModel(test, opts.model, {
      timeoutMs: opts.modelTimeoutS * 1000,
      search: wholeStates ? 'all' : 'verdict',
    });
    const expected = test.expected ?? '-';
    // A test without a Result: line has nothing to disagree with.
    const ok = !compared || test.expected === undefined || test.expected === v.observation;
    return {
      entry: {
        test: name,
        file: displayPath(file),
        hash: test.hash,
        ...(test.expected && { expected: test.expected }),
        observation: v.observation,
        states: [...v.states.keys()].sort(),
        ok,
        elapsedMs: v.elapsedMs,
      },
      file,
      test: name,
      expected,
      got: v.observation,
      // The verdict search meets only a few states: their number would mislead.
      states: v.search === 'all' ? String(v.states.size) : '-',
      elapsedMs: v.elapsedMs,
      ok,
    };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // One line: where and what; the table row says which test.
    const error = formatUserError(e).split('\n')[0]!;
    return {
      entry: { test: name, file: displayPath(file), error: e.message, ok: false },
      file,
      test: name,
      expected: '?',
      got: 'error',
      states: '-',
      ok: false,
      error,
    };
  }
}
