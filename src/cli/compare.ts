// `smplab compare <a> <b> ...`: several litmus tests side by side — the barrier against the
// no-barrier view (MP+poonceonces against MP+fencewmbonceonce+fencermbonceonce); with
// --engine all, one column per test and engine.

import { chooseEngines } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import { loadLitmus } from '../litmus/load.ts';
import { formatComparison } from '../report/compare-text.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { hostInfo } from '../runtime/host.ts';
import { refuseInapplicable } from './applies.ts';
import { saveResult } from './emit-result.ts';
import {
  backendOptions,
  litmusExitStatus,
  runOnBackends,
  singleEngine,
} from './litmus-backends.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath, resolveTarget } from './resolve.ts';
import { litmusRecord } from './run-litmus.ts';

export async function compareCommand(opts: Options, signal: AbortSignal): Promise<number> {
  if (opts.args.length < 2) throw new UserError('compare takes two or more litmus tests');
  refuseInapplicable(opts, 'compare', 'compare');
  const columns = [];
  const engines =
    opts.engine === 'all' || opts.engine === 'node-tiers'
      ? chooseEngines(opts.engine, opts.engineFlags).choices
      : [singleEngine(opts)];
  let status = 0;
  const unsaved: string[] = [];
  const records: object[] = [];
  for (const word of opts.args) {
    const target = resolveTarget(word);
    if (target.kind !== 'litmus')
      throw new UserError(`${word} is a program scenario; run shows its variants side by side`);
    const test = { ...loadLitmus(target.path), file: displayPath(target.path) };
    for (const engine of engines) {
      const bopts = { ...backendOptions(opts), engine };
      const outcome = await runOnBackends(test, opts, signal, bopts);
      const record = litmusRecord(test, opts, outcome);
      const saved = saveResult(test.name, record);
      if ('error' in saved) unsaved.push(saved.error);
      records.push({ ...record, resultFile: 'path' in saved ? saved.path : null });
      // One column per test and engine: the engine in the column's name.
      const name = engines.length > 1 ? `${test.name} on ${engine!.label}` : test.name;
      columns.push({ ...outcome, test: { ...test, name } });
      status = Math.max(status, litmusExitStatus(outcome));
    }
  }
  const ran = columns.flatMap((c) => c.results).find((r) => r.runs)?.runs?.host;
  if (opts.json) console.log(JSON.stringify({ kind: 'compare', tests: records }, mapsAsObjects, 2));
  else console.log(formatComparison(columns, ran ?? hostInfo()));
  if (unsaved.length < columns.length && !opts.json)
    console.log(`Results written to ${displayPath(RESULTS_DIR)}/<test>/`);
  for (const error of unsaved) console.error(`Result not written: ${error}`);
  return unsaved.length > 0 ? status || 1 : status;
}
