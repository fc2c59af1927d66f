// `smplab compare <a> <b> ...`: several litmus tests side by side — the barrier against the
// no-barrier view (MP+poonceonces against MP+fencewmbonceonce+fencermbonceonce); with
// --engine all, one column per test and engine. Given result folders instead (`smplab merge`'s,
// or several machines'), it compares the runs saved there.

import { existsSync, statSync } from 'node:fs';
import { chooseEngines } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import { formatRecordComparison } from '../report/compare-records.ts';
import { formatComparison } from '../report/compare-text.ts';
import { gradeRecord } from '../report/grade.ts';
import { readRecords } from '../report/records.ts';
import { writeResultFile } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import {
  backendOptions,
  litmusExitStatus,
  runOnBackends,
  singleEngine,
} from './litmus-backends.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath, resolveTarget } from './resolve.ts';
import { litmusRecord, loadForRecord } from './run-litmus.ts';

export async function compareCommand(opts: Options, signal: AbortSignal): Promise<number> {
  if (opts.args.length > 0 && opts.args.every(isFolder)) return compareFolders(opts.args);
  if (opts.args.length < 2) throw new UserError('compare takes two or more litmus tests');
  const columns = [];
  const engines =
    opts.engine === 'all' || opts.engine === 'node-tiers'
      ? chooseEngines(opts.engine, opts.engineFlags).choices
      : [singleEngine(opts)];
  let status = 0;
  for (const word of opts.args) {
    const target = resolveTarget(word);
    if (target.kind !== 'litmus')
      throw new UserError(`${word} is a program scenario; run shows its variants side by side`);
    const test = loadForRecord(target.path);
    for (const engine of engines) {
      const bopts = { ...backendOptions(opts), engine };
      const outcome = await runOnBackends(test, opts, signal, bopts);
      writeResultFile(RESULTS_DIR, test.name, litmusRecord(test, opts, outcome));
      // One column per test and engine: the engine in the column's name.
      const name = engines.length > 1 ? `${test.name} on ${engine!.label}` : test.name;
      columns.push({ ...outcome, test: { ...test, name } });
      status = Math.max(status, litmusExitStatus(outcome));
    }
  }
  const ran = columns.flatMap((c) => c.results).find((r) => r.runs)?.runs?.host;
  console.log(formatComparison(columns, ran ?? hostInfo()));
  console.log(`Results written to ${displayPath(RESULTS_DIR)}/<test>/`);
  return status;
}

const isFolder = (arg: string): boolean => existsSync(arg) && statSync(arg).isDirectory();

/** Result folders (a merged one, or several machines' side by side): their runs, test by test. */
function compareFolders(dirs: string[]): number {
  const records = dirs.flatMap((d) => readRecords(d).records);
  if (records.length === 0) throw new UserError(`no result records in ${dirs.join(', ')}`);
  console.log(formatRecordComparison(records));
  return records.some((r) => gradeRecord(r).failed) ? 1 : 0;
}
