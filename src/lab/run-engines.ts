// `run <litmus test> --engine all|node-tiers` as a use case: the model's lkmm bound once, then
// every threads backend (hw, weak) on every engine of the plan, one row each, one result file
// per engine. An engine that is missing or fails to start is a row saying why, not the end of
// the run; an unwritten record is a value, not an exception.

import { UserError } from '../errors.ts';
import { checkModel, type Verdict } from '../model/index.ts';
import type { EngineRow } from '../report/engines-text.ts';
import { statesOutside } from '../report/engines-text.ts';
import { type LabHooks, runOnBackends, threadsBackends } from './litmus.ts';
import { type LitmusPlan, onEngine } from './plan.ts';
import { type LitmusRecord, litmusRecord } from './record.ts';
import { saveResult } from './save.ts';

export interface EnginesRun {
  /** The soundness bound of every threads backend, computed once for all engines. */
  lkmm: Verdict;
  rows: EngineRow[];
  /** Each engine's record, by the path it was saved at (or the test's name when unsaved). */
  records: { name: string; record: LitmusRecord }[];
  /** `engine: why` for each record that could not be written. */
  notWritten: string[];
  /** 1: a state outside lkmm on some engine, or an unwritten record. */
  status: number;
}

export async function runOnEngines(plan: LitmusPlan, hooks: LabHooks): Promise<EnginesRun> {
  const { test } = plan;
  const threads = threadsBackends(plan);
  if (threads.length === 0)
    throw new UserError(`--engine ${plan.request.engine} runs threads: name hw (or weak) in --on`);
  const lkmm = checkModel(test, 'lkmm', { timeoutMs: plan.settings.modelTimeoutS * 1000 });
  const rows: EngineRow[] = [];
  const records: EnginesRun['records'] = [];
  const notWritten: string[] = [];
  for (const engine of plan.engines?.choices ?? []) {
    if (hooks.signal.aborted) break;
    const label = (b: string) => (threads.length > 1 ? `${engine.label} ${b}` : engine.label);
    // Each record is one engine's run: that engine is its `engine` field, not the options'.
    const one = {
      ...onEngine(plan, engine, threads),
      request: { ...plan.request, engine: undefined },
    };
    try {
      const outcome = await runOnBackends(one, hooks);
      for (const r of outcome.results)
        rows.push(
          r.runs
            ? { label: label(r.backend), runs: r.runs }
            : { label: label(r.backend), failed: 'reason' in r ? r.reason : 'no result' },
        );
      const record = litmusRecord(one, outcome);
      const saved = saveResult(test.name, record);
      if ('error' in saved) notWritten.push(`${engine.label}: ${saved.error}`);
      records.push({ name: 'path' in saved ? saved.path : test.name, record });
    } catch (e) {
      // One engine failing (a browser that does not start) leaves the others' rows.
      if (!(e instanceof UserError)) throw e;
      rows.push({ label: engine.label, failed: e.message });
    }
  }
  for (const m of plan.engines?.missing ?? [])
    rows.push({ label: m.name, failed: `not installed — ${m.install}` });
  const outside = rows.some((r) => r.runs && statesOutside(r.runs, lkmm).length > 0);
  return { lkmm, rows, records, notWritten, status: outside || notWritten.length > 0 ? 1 : 0 };
}
