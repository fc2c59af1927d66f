// `smplab check <files|dirs> [--model M]`: the model's verdict for every test against its
// `Result:` line, as one table (test, expected, got, states, time). Exit 1 on any mismatch,
// and with --baseline on any change against a saved check --json.

import { baselineChanges, type CheckRun, checkFiles, RESULT_LINE_MODEL } from '../lab/check.ts';
import type { CheckJson } from '../report/check-baseline.ts';
import { count, seconds, table } from '../report/format.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { CHECK } from './schema.ts';

export function checkCommand(line: CommandLine): number {
  const flags = takeFlags(line, CHECK, 'check');
  const run = checkFiles(line.args, {
    model: flags.model,
    modelTimeoutS: flags['model-timeout'],
    wholeStates: flags.json || flags.baseline !== undefined,
    junit: flags.junit,
    shard: flags.shard,
  });
  const mismatched = run.rows.some((r) => !r.ok);
  if (flags.json) {
    console.log(JSON.stringify({ ...run.saved, compared: run.compared }, null, 2));
    return mismatched ? 1 : 0;
  }
  printTable(run, flags.model);
  if (flags.shard)
    console.log(`(shard ${flags.shard.index}/${flags.shard.count} of the tests named)`);
  const changed = flags.baseline ? printBaselineChanges(flags.baseline, run.saved) : false;
  return mismatched || changed ? 1 : 0;
}

function printTable({ rows, compared }: CheckRun, model: string): void {
  const header = [
    'test',
    `expected (${RESULT_LINE_MODEL})`,
    `got (${model})`,
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
  const mismatches = rows.filter((r) => !r.ok).length;
  const totalMs = rows.reduce((ms, r) => ms + (r.elapsedMs ?? 0), 0);
  const verdicts = compared
    ? `${count(rows.length - mismatches)} as expected, ${count(mismatches - errors.length)} mismatched`
    : `Result lines not compared: they state ${RESULT_LINE_MODEL}'s verdict, not ${model}'s`;
  console.log(
    `\n${count(rows.length)} tests, ${verdicts}, ${count(errors.length)} errors, model time ${seconds(totalMs)}`,
  );
}

/** Every change against a saved check --json; true if there was one. */
function printBaselineChanges(file: string, now: CheckJson): boolean {
  const { changes, notes } = baselineChanges(file, now);
  console.log(
    changes.length === 0
      ? `\nNo change against the baseline ${file}.`
      : `\n${count(changes.length)} change(s) against the baseline ${file}:`,
  );
  for (const c of changes) console.log(`  ${c}`);
  for (const n of notes) console.log(`  (note) ${n}`);
  return changes.length > 0;
}
