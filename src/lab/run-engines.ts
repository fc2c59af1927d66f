// `run <litmus test> --engine all|node-tiers` as a use case: the graded model's verdict and the
// bounds of every threads backend once, then every threads backend (hw, weak) on every engine
// of the plan, one row each, one result file per engine — with the model's verdict in it, so
// that its witnesses are marked and the report's model column is filled. An engine that is
// missing or fails to start is a row saying why, not the end of the run; an unwritten record
// is a value, not an exception.

import { UserError } from '../errors.ts';
import { checkModel, type ModelChoice, type Verdict } from '../model/index.ts';
import { type Bounds, type EngineRow, rowOutside } from '../report/engines-text.ts';
import { type LabHooks, runOnBackends, threadsBackends } from './litmus.ts';
import { type LitmusPlan, onEngine } from './plan.ts';
import { type LitmusRecord, litmusRecord } from './record.ts';
import { saveResult } from './save.ts';

export interface EnginesRun {
  /** The verdict of the graded model (--model), computed once for all engines. */
  verdict: Verdict | undefined;
  /** The models bounding the rows, each computed once: what each allows. */
  bounds: Bounds;
  rows: EngineRow[];
  /** Each engine's record, by the path it was saved at (or the test's name when unsaved). */
  records: { name: string; record: LitmusRecord }[];
  /** `engine: why` for each record that could not be written. */
  notWritten: string[];
  /** 1: a state outside the model on some engine, or an unwritten record. */
  status: number;
}

export async function runOnEngines(plan: LitmusPlan, hooks: LabHooks): Promise<EnginesRun> {
  const { test } = plan;
  const threads = threadsBackends(plan);
  if (threads.length === 0)
    throw new UserError(`--engine ${plan.request.engine} runs threads: name hw (or weak) in --on`);
  // By name, or by the plan's own object for a model read from files.
  const verdicts = new Map<ModelChoice, Verdict | undefined>();
  const verdictOf = (m: ModelChoice) => {
    if (!verdicts.has(m))
      try {
        verdicts.set(m, checkModel(test, m, { timeoutMs: plan.settings.modelTimeoutS * 1000 }));
      } catch (e) {
        // A model out of budget grades nothing: the rows say what the others allow.
        if (!(e instanceof UserError)) throw e;
        verdicts.set(m, undefined);
      }
    return verdicts.get(m);
  };
  const verdict = verdictOf(plan.settings.model);
  const bounds: Bounds = (m) => verdictOf(m)?.states;
  const rows: EngineRow[] = [];
  const records: EnginesRun['records'] = [];
  const notWritten: string[] = [];
  for (const engine of plan.engines?.choices ?? []) {
    if (hooks.signal.aborted) break;
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
            ? { engine: engine.label, backend: r.backend, runs: r.runs }
            : {
                engine: engine.label,
                backend: r.backend,
                failed: 'reason' in r ? r.reason : 'no result',
              },
        );
      if (verdict) {
        outcome.results.unshift({ tag: 'ran', backend: 'model', verdict });
        outcome.grading.graded = verdict;
      }
      const record = litmusRecord(one, outcome);
      const saved = saveResult(test.name, record);
      if ('error' in saved) notWritten.push(`${engine.label}: ${saved.error}`);
      records.push({ name: 'path' in saved ? saved.path : test.name, record });
    } catch (e) {
      // One engine failing (a browser that does not start) leaves the others' rows.
      if (!(e instanceof UserError)) throw e;
      rows.push({ engine: engine.label, failed: e.message });
    }
  }
  for (const m of plan.engines?.missing ?? [])
    rows.push({ engine: m.name, failed: `not installed — ${m.install}` });
  const outside = rows.some((r) => rowOutside(r, bounds).length > 0);
  return {
    verdict,
    bounds,
    rows,
    records,
    notWritten,
    status: outside || notWritten.length > 0 ? 1 : 0,
  };
}
