// `smplab run <litmus test> --engine all|node-tiers`: the model's verdict once, then hw on every
// engine installed (or once per V8 tier of Node), one row each, one result file each. An
// engine that is missing or fails to start is a line under the table, not the end of the run.

import { chooseEngines } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { type EngineRow, formatEngineRows } from '../report/engines-text.ts';
import { statesOutsideModel } from '../report/litmus-text.ts';
import { mapsAsObjects, writeResultFile } from '../report/results-file.ts';
import { modelVerdict, runOnBackends } from './litmus-backends.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';
import { litmusRecord } from './run-litmus.ts';

export async function runOnEnginesCommand(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<number> {
  if (!opts.on.includes('hw'))
    throw new UserError(`--engine ${opts.engine} runs hw: drop --on model`);
  const { choices, missing } = chooseEngines(opts.engine!, opts.engineFlags);
  const verdict = modelVerdict(test, opts);
  const rows: EngineRow[] = [];
  const records: object[] = [];
  for (const choice of choices) {
    if (signal.aborted) break;
    try {
      const outcome = await runOnBackends(test, opts, signal, choice, verdict);
      rows.push({ label: choice.label, host: outcome.host, hw: outcome.hw });
      const record = litmusRecord(test, opts, outcome);
      writeResultFile(RESULTS_DIR, test.name, record);
      records.push(record);
    } catch (e) {
      // One engine failing (a browser that does not start) leaves the others' rows.
      if (!(e instanceof UserError)) throw e;
      rows.push({ label: choice.label, failed: e.message });
    }
  }
  for (const m of missing) rows.push({ label: m.name, failed: `not installed — ${m.install}` });
  if (opts.json) console.log(JSON.stringify(records, mapsAsObjects, 2));
  else {
    console.log(formatEngineRows(test, verdict, rows));
    console.log(`\nResults written to ${displayPath(RESULTS_DIR)}/${test.name}/ (one per engine)`);
  }
  const outside = rows.some(
    (r) => r.hw && verdict && statesOutsideModel(r.hw.histogram, verdict).length > 0,
  );
  return outside ? 1 : 0;
}
