// `run <litmus test> --engine all|node-tiers` as a use case: the graded model's verdict and the
// bounds of every threads backend once, then every threads backend (hw, weak) on every engine
// of the plan, one row each, one result file per engine — with the model's verdict in it, so
// that its witnesses are marked and the report's model column is filled. An engine that is
// missing or fails to start is a row saying why, not the end of the run; an unwritten record
// is a value, not an exception.

import type { BackendResult } from '../backends/backend.ts';
import { type BoundAnswers, gradedAnswer } from '../backends/soundness.ts';
import { UserError } from '../errors.ts';
import type { Verdict } from '../model/index.ts';
import type { EngineRow } from '../report/engines-text.ts';
import { type LabHooks, type LitmusOutcome, runOnBackends, threadsBackends } from './litmus.ts';
import { type LitmusPlan, onEngine } from './plan.ts';
import { type LitmusRecord, litmusRecord } from './record.ts';
import { saveResult } from './save.ts';

export interface EnginesRun {
  /** The verdict of the graded model (--model), computed once for all engines. */
  verdict: Verdict | undefined;
  rows: EngineRow[];
  /** Each engine's run and record, by the path it was saved at (or the test's name when unsaved). */
  records: { name: string; record: LitmusRecord; outcome: LitmusOutcome }[];
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
  // The graded model's verdict and each bound, found once (the model's search, under the run's
  // budget and Ctrl-C) for every engine's run; a model out of budget grades nothing: the rows
  // say what the others allow.
  const answers: BoundAnswers = new Map();
  const verdict = await gradedAnswer(test, plan.settings, hooks.signal, answers);
  const rows: EngineRow[] = [];
  const records: EnginesRun['records'] = [];
  const notWritten: string[] = [];
  for (const engine of plan.engines?.choices ?? []) {
    // After Ctrl-C the engines not reached yet are listed, so the table says why they are absent.
    if (hooks.signal.aborted) {
      rows.push({ engine: engine.label, failed: 'not run: interrupted' });
      continue;
    }
    // Each record is one engine's run: that engine is its `engine` field, not the options'.
    const one = {
      ...onEngine(plan, engine, threads),
      request: { ...plan.request, engine: undefined },
    };
    try {
      const outcome = await runOnBackends(one, hooks, answers);
      const outside = (r: BackendResult) => [
        ...new Set(
          outcome.grading.breaches.filter((b) => b.backend === r.backend).flatMap((b) => b.states),
        ),
      ];
      for (const r of outcome.results)
        rows.push(
          r.runs
            ? { engine: engine.label, backend: r.backend, runs: r.runs, outside: outside(r) }
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
      records.push({ name: 'path' in saved ? saved.path : test.name, record, outcome });
    } catch (e) {
      // One engine failing (a browser that does not start) leaves the others' rows.
      if (!(e instanceof UserError)) throw e;
      rows.push({ engine: engine.label, failed: e.message });
    }
  }
  for (const m of plan.engines?.missing ?? [])
    rows.push({ engine: m.name, failed: `not installed — ${m.install}` });
  const outside = rows.some((r) => r.outside?.length);
  return {
    verdict,
    rows,
    records,
    notWritten,
    status: outside || notWritten.length > 0 ? 1 : 0,
  };
}
