// `smplab check <files|dirs> [--model M]`: the model's verdict for every test against its
// `Result:` line, as one table (test, expected, got, states, time). Exit 1 on any mismatch.

import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';
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
import type { Options } from './options.ts';
import { displayPath, litmusFilesOf } from './resolve.ts';
import { writeUserFile } from './write-file.ts';

interface CheckRow {
  test: string;
  expected: string;
  got: string;
  states: string;
  /** Undefined when the model did not run (an error row). */
  elapsedMs?: number;
  ok: boolean;
  /** What check --json saves and --baseline compares. */
  entry: CheckEntry;
}

export function checkCommand(opts: Options): number {
  const rows = litmusFilesOf(opts.args).map((f) => checkOne(f, opts));
  const mismatches = rows.filter((r) => !r.ok);
  const saved = checkJson(
    opts.model,
    hostInfo(),
    rows.map((r) => r.entry),
  );
  if (opts.junit) writeUserFile(opts.junit, junitXml([junitOfCheck(saved)]));
  if (opts.json) {
    console.log(JSON.stringify(saved, null, 2));
    return mismatches.length > 0 ? 1 : 0;
  }
  const header = ['test', 'expected', `got (${opts.model})`, 'states', 'time', ''];
  const body = rows.map((r) => [
    r.test,
    r.expected,
    r.got,
    r.states,
    r.elapsedMs === undefined ? '0' : seconds(r.elapsedMs),
    r.ok ? 'ok' : 'MISMATCH',
  ]);
  console.log(table([header, ...body], new Set([3, 4])));
  const totalMs = rows.reduce((ms, r) => ms + (r.elapsedMs ?? 0), 0);
  console.log(
    `\n${count(rows.length)} tests, ${count(rows.length - mismatches.length)} as expected, ` +
      `${count(mismatches.length)} mismatched, model time ${seconds(totalMs)}`,
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

function checkOne(file: string, opts: Options): CheckRow {
  let name = file;
  try {
    const test = loadLitmus(file);
    name = test.name;
    // The verdict alone, settled as soon as it can be (herd7's -speedcheck).
    const v = checkModel(test, opts.model, {
      timeoutMs: opts.modelTimeoutS * 1000,
      search: 'verdict',
    });
    const expected = test.expected ?? '-';
    const ok = test.expected === undefined || test.expected === v.observation;
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
      test: name,
      expected,
      got: v.observation,
      // The verdict search meets only a few states: their number would mislead.
      states: v.search === 'all' ? String(v.states.size) : '-',
      elapsedMs: v.elapsedMs,
      // A test without a Result: line has nothing to disagree with.
      ok,
    };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return {
      entry: { test: name, file: displayPath(file), error: e.message, ok: false },
      test: name,
      expected: '?',
      got: `error: ${e.message}`,
      states: '-',
      ok: false,
    };
  }
}
