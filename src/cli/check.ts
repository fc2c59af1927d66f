// `smplab check <files|dirs> [--model M]`: the model's verdict for every test against its
// `Result:` line, as one table (test, expected, got, states, time). Exit 1 on any mismatch,
// and with --baseline on any change against a saved check --json.

import { UserError } from '../errors.ts';
import { baselineChanges, type CheckRun, checkFiles, RESULT_LINE_MODEL } from '../lab/check.ts';
import { type AgainstRun, checkAgainst } from '../lab/check-against.ts';
import { type Shard, shardSummary } from '../lab/shard.ts';
import type { CheckJson } from '../report/check-baseline.ts';
import { count, counted, seconds, table } from '../report/format.ts';
import { DEFAULT_MODEL_TIMEOUT_S } from './flags.ts';
import { againstOf, modelChoiceOf } from './model-choice.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { CHECK } from './schema.ts';

export async function checkCommand(line: CommandLine): Promise<number> {
  const flags = takeFlags(line, CHECK, 'check');
  const model = await modelChoiceOf(line, flags);
  if (flags.against !== undefined) {
    if (flags.baseline !== undefined)
      throw new UserError('--against and --baseline each compare with another answer: give one');
    const against = await againstOf(flags.against, flags);
    const run = checkAgainst(
      line.args,
      model,
      against,
      flags['model-timeout'] ?? DEFAULT_MODEL_TIMEOUT_S,
      flags.shard,
    );
    if (flags.shard && run.rows.length === 0 && !flags.json)
      return emptyShard(flags.shard, run.named);
    const status = againstCommand(run, flags.json);
    if (flags.shard && !flags.json)
      console.log(`(${shardSummary(flags.shard, run.rows.length, run.named)})`);
    return status;
  }
  const run = checkFiles(line.args, {
    model,
    modelTimeoutS: flags['model-timeout'] ?? DEFAULT_MODEL_TIMEOUT_S,
    wholeStates: flags.json || flags.baseline !== undefined,
    junit: flags.junit,
    shard: flags.shard,
  });
  const mismatched = run.rows.some((r) => !r.ok);
  if (flags.json) {
    console.log(JSON.stringify({ ...run.saved, compared: run.compared }, null, 2));
    return mismatched ? 1 : 0;
  }
  if (flags.shard && run.rows.length === 0) return emptyShard(flags.shard, run.named);
  printTable(run, run.saved.model);
  if (flags.shard) console.log(`(${shardSummary(flags.shard, run.rows.length, run.named)})`);
  const changed = flags.baseline ? printBaselineChanges(flags.baseline, run.saved) : false;
  return mismatched || changed ? 1 : 0;
}

/** A shard with no test (fewer tests than shards): said instead of an empty table; not a failure. */
function emptyShard(shard: Shard, named: number): number {
  console.log(shardSummary(shard, 0, named));
  return 0;
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
  if (errors.length > 0)
    console.log(`\nErrors\n${sameOnce(errors.map((r) => r.error!)).join('\n')}`);
  const mismatches = rows.filter((r) => !r.ok).length;
  const totalMs = rows.reduce((ms, r) => ms + (r.elapsedMs ?? 0), 0);
  const verdicts = compared
    ? `${count(rows.length - mismatches)} as expected, ${count(mismatches - errors.length)} mismatched`
    : `Result lines not compared: they state ${RESULT_LINE_MODEL}'s verdict, not ${model}'s`;
  console.log(
    `\n${counted(rows.length, 'test')}, ${verdicts}, ${count(errors.length)} errors, model time ${seconds(totalMs)}`,
  );
}

/**
 * Each error once, with how many tests met it: a mistake in a model read from files is the same
 * error on every test (a test's own mistake names the test's file, so it stays its own line).
 */
function sameOnce(errors: string[]): string[] {
  const tests = new Map<string, number>();
  for (const e of errors) tests.set(e, (tests.get(e) ?? 0) + 1);
  return [...tests].map(([e, n]) => `  ${e}${n > 1 ? ` (${count(n)} tests)` : ''}`);
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

/** check --against: the tests whose verdict differs, with both; exit 1 if any (as --baseline). */
function againstCommand(run: AgainstRun, json: boolean): number {
  const status = run.changed.length > 0 ? 1 : 0;
  if (json) {
    const { model, against, rows, changed } = run;
    console.log(
      JSON.stringify(
        { kind: 'check-against', model, against, changed: changed.length, tests: rows },
        null,
        2,
      ),
    );
    return status;
  }
  if (run.changed.length > 0)
    console.log(
      table([
        ['test', `${run.against} (--against)`, run.model],
        ...run.changed.map((r) => [r.test, r.before, r.after]),
      ]),
    );
  const n = run.changed.length;
  const what = n === 0 ? 'no verdict changes' : `${count(n)} verdict${n === 1 ? '' : 's'} change`;
  console.log(
    `\n${counted(run.rows.length, 'test')} under ${run.model} against ${run.against}: ${what} (${seconds(run.elapsedMs)})`,
  );
  return status;
}
