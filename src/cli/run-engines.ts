// `smplab run <litmus test> --engine all|node-tiers`: the model's verdict once, then every
// threads backend (hw, weak) on every engine installed (or on Node once per V8 tier), one row
// each, one result file per engine. An engine that is missing or fails to start is a line
// under the table, not the end of the run.

import { backendNamed } from '../backends/registry.ts';
import { chooseEngines } from '../engines/run.ts';
import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { checkModel } from '../model/index.ts';
import { type EngineRow, formatEngineRows, statesOutside } from '../report/engines-text.ts';
import { mapsAsObjects } from '../report/results-file.ts';
import { saveResult, writeJunit } from './emit-result.ts';
import { backendOptions, litmusBackends, runOnBackends } from './litmus-backends.ts';
import type { Options } from './options.ts';
import { RESULTS_DIR } from './paths.ts';
import { displayPath } from './resolve.ts';
import { litmusRecord } from './run-litmus.ts';

export async function runOnEnginesCommand(
  test: Test,
  opts: Options,
  signal: AbortSignal,
): Promise<number> {
  const threads = litmusBackends(opts).filter((b) => backendNamed(b).produces === 'runs');
  if (threads.length === 0)
    throw new UserError(`--engine ${opts.engine} runs threads: name hw (or weak) in --on`);
  const { choices, missing } = chooseEngines(opts.engine!, opts.engineFlags);
  // The soundness bound of every threads backend, computed once for all engines.
  const lkmm = checkModel(test, 'lkmm', { timeoutMs: opts.modelTimeoutS * 1000 });
  const rows: EngineRow[] = [];
  const records: { name: string; record: object }[] = [];
  const notWritten: string[] = [];
  for (const engine of choices) {
    if (signal.aborted) break;
    const label = (b: string) => (threads.length > 1 ? `${engine.label} ${b}` : engine.label);
    try {
      const bopts = { ...backendOptions(opts), engine };
      const outcome = await runOnBackends(test, { ...opts, on: threads }, signal, bopts);
      for (const r of outcome.results)
        rows.push(
          r.runs
            ? { label: label(r.backend), runs: r.runs }
            : { label: label(r.backend), failed: 'reason' in r ? r.reason : 'no result' },
        );
      const record = litmusRecord(test, { ...opts, on: threads, engine: undefined }, outcome);
      // An unwritable results/ is a line under the table (as for one run), not the end of the run.
      const saved = saveResult(test.name, record);
      if ('error' in saved) notWritten.push(`${engine.label}: ${saved.error}`);
      records.push({ name: 'path' in saved ? saved.path : test.name, record });
    } catch (e) {
      // One engine failing (a browser that does not start) leaves the others' rows.
      if (!(e instanceof UserError)) throw e;
      rows.push({ label: engine.label, failed: e.message });
    }
  }
  for (const m of missing) rows.push({ label: m.name, failed: `not installed — ${m.install}` });
  if (opts.json)
    console.log(
      JSON.stringify(
        records.map((r) => r.record),
        mapsAsObjects,
        2,
      ),
    );
  else {
    console.log(formatEngineRows(test, lkmm, rows));
    console.log(`\nResults written to ${displayPath(RESULTS_DIR)}/${test.name}/ (one per engine)`);
  }
  // --junit: one suite per engine, as one run writes one suite
  if (opts.junit) writeJunit(opts.junit, records);
  for (const n of notWritten) console.error(`\nResult not written: ${n}`);
  const outside = rows.some((r) => r.runs && statesOutside(r.runs, lkmm).length > 0);
  return outside || notWritten.length > 0 ? 1 : 0;
}
