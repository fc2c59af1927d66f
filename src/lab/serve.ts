// `serve` as a use case: the tests the page runs, each with the model verdict it grades by
// (computed here once), and each result a page posts turned into the same record as a Node
// run — graded, its soundness checked by lkmm — and saved. The HTTP side is serve/; the
// CLI prints.

import type { BackendResult } from '../backends/backend.ts';
import { BACKENDS } from '../backends/registry.ts';
import { gradeRun } from '../backends/soundness.ts';
import { histogramFromPage, type PageResult } from '../engines/browser/page-data.ts';
import { pageHost } from '../engines/browser/page-host.ts';
import { runsFromWire } from '../engines/runner-protocol.ts';
import { UserError } from '../errors.ts';
import { witnessCounts } from '../litmus/state.ts';
import type { ModelName } from '../model/core/base.ts';
import { checkModel, type Verdict } from '../model/index.ts';
import { ResultFileError, recordJson } from '../report/results-file.ts';
import { recordProblem } from '../report/validate.ts';
import type { HostInfo } from '../runtime/host.ts';
import { type LoadedTest, loadTest, resolveRequest } from './plan.ts';
import { litmusRecord } from './record.ts';
import { corpusLitmusNames, resolveTarget } from './resolve.ts';
import { saveJson } from './save.ts';

export interface ServeRequest {
  /** The model the page grades by (the record's soundness check is lkmm's, as for a Node run). */
  model: ModelName;
  modelTimeoutS: number;
}

/** A test the page offers, with the verdict it grades by (undefined: the model gave up). */
export interface Served {
  test: LoadedTest;
  verdict: Verdict | undefined;
}

/** The tests named (every test of the corpus by default), each read once, with its verdict. */
export function servedTests(words: string[], request: ServeRequest): Served[] {
  return (words.length ? words : corpusLitmusNames()).map((w) => {
    const target = resolveTarget(w);
    if (target.kind !== 'litmus')
      throw new UserError(`${w} is a program scenario; the browser runs litmus tests only`);
    const test = loadTest(target.path);
    return { test, verdict: pageVerdict(test, request) };
  });
}

function pageVerdict(test: LoadedTest, request: ServeRequest): Verdict | undefined {
  try {
    return checkModel(test, request.model, { timeoutMs: request.modelTimeoutS * 1000 });
  } catch {
    // The model gave up on this test: the page shows counts without grades.
    return undefined;
  }
}

/** What a posted result was: who ran it, what it counted, where its record went. */
export interface PageRun {
  test: string;
  host: HostInfo;
  runs: number;
  witnesses: number;
  /** States outside a bound of the backend (lkmm). */
  outside: number;
  partial: boolean;
  file: string;
}

export async function savePageResult(
  r: PageResult,
  served: Served[],
  request: ServeRequest,
  signal?: AbortSignal,
): Promise<PageRun> {
  const { test, verdict } = served.find((s) => s.test.name === r.test)!;
  const histogram = histogramFromPage(test, r.hw.histogram);
  if (typeof histogram === 'string') throw new UserError(histogram);
  const runs = { ...runsFromWire(r.hw), histogram, host: pageHost(r, false) };
  // The backend the page says ran it: one that runs threads, as a Node run's would be.
  const backend = r.backend ?? 'hw';
  const threads = BACKENDS.filter((b) => b.produces === 'runs').map((b) => b.name);
  if (!threads.includes(backend))
    throw new UserError(
      `no backend here named ${backend} runs threads (there are ${threads.join(', ')})`,
    );
  const results: BackendResult[] = [{ tag: runs.partial ? 'interrupted' : 'ran', backend, runs }];
  if (verdict) results.unshift({ tag: 'ran', backend: 'model', verdict });
  // What the page ran, as a plan: its runs and seed under serve's model.
  const settings = { ...request, runs: runs.runs, seed: runs.seed };
  const plan = { test, ...resolveRequest({ settings, engineFlags: [] }) };
  const outcome = { results, grading: await gradeRun(test, results, plan.settings, signal) };
  const record = litmusRecord(plan, outcome);
  // What a page sends is data from anywhere: the record it makes must be one the schema accepts.
  const json = recordJson(record);
  const problem = recordProblem(JSON.parse(json));
  if (problem) throw new UserError(problem);
  const saved = saveJson(test.name, json);
  // The page is told: a result that cannot be written is the request's failure.
  if ('error' in saved) throw new ResultFileError(saved.error);
  return {
    test: test.name,
    host: runs.host,
    runs: runs.runs,
    witnesses: witnessCounts(test, histogram).positive,
    outside: outcome.grading.breaches.flatMap((b) => b.states).length,
    partial: runs.partial,
    file: saved.path,
  };
}
