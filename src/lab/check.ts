// `check <files|dirs>` as a use case: the model's verdict for every test against its `Result:`
// line (a file that cannot be read or parsed is a row with its error, and the rest are still
// checked), the JUnit file when asked, and a saved check compared with this one. Returns rows
// and changes as values; the CLI prints the table.

import { readFileSync } from 'node:fs';
import { formatUserError, UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { checkModel, modelOf } from '../model/check/check.ts';
import type { ModelChoice } from '../model/models/registry.ts';
import {
  type CheckEntry,
  type CheckJson,
  checkJson,
  compareWithBaseline,
  parseBaseline,
} from '../report/check-baseline.ts';
import { junitOfCheck } from '../report/junit.ts';
import { hostInfo } from '../runtime/host.ts';
import { writeJunit } from './junit.ts';
import { displayPath, litmusFilesOf, targetKey } from './resolve.ts';
import { type Shard, shardOf } from './shard.ts';

/** The model a `Result:` line speaks for: the kernel's tests state LKMM's verdict. */
export const RESULT_LINE_MODEL = 'lkmm';

export interface CheckRequest {
  /** Built in, or read from files. */
  model: ModelChoice;
  modelTimeoutS: number;
  /** Every allowed state, not only the verdict: --json saves them and --baseline compares them. */
  wholeStates: boolean;
  /** Write the JUnit XML here. */
  junit?: string;
  /** Check only this part of the files (--shard I/N, a CI matrix: lab/shard.ts). */
  shard?: Shard;
}

export interface CheckRow {
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

export interface CheckRun {
  rows: CheckRow[];
  /** What check --json prints (and a later --baseline reads). */
  saved: CheckJson;
  /** Whether Result lines were compared: only under the model they speak for. */
  compared: boolean;
  /** The tests named, before --shard took its part (rows). */
  named: number;
}

export function checkFiles(args: string[], request: CheckRequest): CheckRun {
  // A Result: line is LKMM's claim; under another model the verdicts are shown, not compared.
  const compared = request.model === RESULT_LINE_MODEL;
  const named = litmusFilesOf(args);
  const files = shardOf(named, (f) => targetKey({ kind: 'litmus', path: f }), request.shard);
  const rows = files.map((f) => checkOne(f, request, compared));
  const saved = checkJson(
    modelOf(request.model).name,
    hostInfo(),
    rows.map((r) => r.entry),
  );
  if (request.junit) writeJunit(request.junit, [junitOfCheck(saved)]);
  return { rows, saved, compared, named: named.length };
}

/** Every change against a saved check --json (and notes on what could not be compared). */
export function baselineChanges(file: string, now: CheckJson) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the baseline: ${(e as Error).message}`, file);
  }
  return compareWithBaseline(parseBaseline(text, file), now);
}

function checkOne(file: string, request: CheckRequest, compared: boolean): CheckRow {
  let name = file;
  try {
    const test = loadLitmus(file);
    name = test.name;
    // The verdict alone, settled as soon as it can be (herd7's -speedcheck), unless the state
    // sets are wanted.
    const v = checkModel(test, request.model, {
      timeoutMs: request.modelTimeoutS * 1000,
      search: request.wholeStates ? 'all' : 'verdict',
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
