// `smplab check <files|dirs> [--model M]`: the model's verdict for every test against its
// `Result:` line, as one table (test, expected, got, states, time). Exit 1 on any mismatch.

import { UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { checkModel } from '../model/index.ts';
import { count, seconds, table } from '../report/format.ts';
import type { Options } from './options.ts';
import { litmusFilesOf } from './resolve.ts';

interface CheckRow {
  test: string;
  expected: string;
  got: string;
  states: string;
  /** Undefined when the model did not run (an error row). */
  elapsedMs?: number;
  ok: boolean;
}

export function checkCommand(opts: Options): number {
  const rows = litmusFilesOf(opts.args).map((f) => checkOne(f, opts));
  const mismatches = rows.filter((r) => !r.ok);
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
  return mismatches.length > 0 ? 1 : 0;
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
    return {
      test: name,
      expected,
      got: v.observation,
      // The verdict search meets only a few states: their number would mislead.
      states: v.search === 'all' ? String(v.states.size) : '-',
      elapsedMs: v.elapsedMs,
      // A test without a Result: line has nothing to disagree with.
      ok: test.expected === undefined || test.expected === v.observation,
    };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return {
      test: name,
      expected: '?',
      got: `error: ${e.message}`,
      states: '-',
      ok: false,
    };
  }
}
