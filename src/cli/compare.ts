// `smplab compare <a> <b> ...`: several litmus tests side by side — the barrier against the
// no-barrier view (MP+poonceonces against MP+fencewmbonceonce+fencermbonceonce); with
// --engine all, one column per test and engine. Given result folders instead (`smplab merge`'s,
// or several machines'), the runs saved there, test by test.

import { areFolders, compareFolders, compareTests } from '../lab/compare.ts';
import { RESULTS_DIR } from '../lab/paths.ts';
import { displayPath } from '../lab/resolve.ts';
import { formatRecordComparison } from '../report/compare-records.ts';
import { formatComparison } from '../report/compare-text.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { type CommandLine, takeFlags } from './parse.ts';
import { litmusRequest } from './run-litmus.ts';
import { COMPARE_FOLDERS, COMPARE_TESTS } from './schema.ts';
import { terminalHooks } from './terminal.ts';

export async function compareCommand(line: CommandLine, signal: AbortSignal): Promise<number> {
  if (areFolders(line.args)) {
    takeFlags(line, COMPARE_FOLDERS, 'compare');
    const { records, failed } = compareFolders(line.args);
    console.log(formatRecordComparison(records));
    return failed ? 1 : 0;
  }
  const flags = takeFlags(line, COMPARE_TESTS, 'compare');
  const run = await compareTests(
    line.args,
    await litmusRequest(line, flags),
    terminalHooks(signal),
  );
  const ran = run.columns.flatMap((c) => c.results).find((r) => r.runs)?.runs?.host;
  if (flags.json)
    console.log(JSON.stringify({ kind: 'compare', tests: run.records }, mapsAsObjects, 2));
  else console.log(formatComparison(run.columns, ran ?? hostInfo()));
  if (run.unsaved.length < run.columns.length && !flags.json)
    console.log(`Results written to ${displayPath(RESULTS_DIR)}/<test>/`);
  for (const error of run.unsaved) console.error(`Result not written: ${error}`);
  return run.status;
}
