// `compare <a> <b> ...` as a use case: several litmus tests run alike — the barrier against the
// no-barrier view — one column per test (and per engine with --engine all), each run's record
// saved; or the runs saved in result folders (`smplab merge`'s, or several machines'), read
// back. Returns columns and records; the CLI prints.

import { existsSync, statSync } from 'node:fs';
import type { BoundAnswers } from '../backends/soundness.ts';
import { UserError } from '../errors.ts';
import type { ComparedTest } from '../report/compare-text.ts';
import { gradeRecord } from '../report/grade.ts';
import { type ResultRecord, readRecords } from '../report/records.ts';
import { type LabHooks, litmusExitStatus, runOnBackends } from './litmus.ts';
import { type LitmusRequest, loadTest, onEngine, resolveRequest } from './plan.ts';
import { type LitmusRecord, litmusRecord } from './record.ts';
import { resolveTarget } from './resolve.ts';
import { saveResult } from './save.ts';

export interface TestsCompared {
  columns: ComparedTest[];
  /** Each run's record, with where it was saved (null: not written). */
  records: (LitmusRecord & { resultFile: string | null })[];
  /** Why each unwritten record was not written. */
  unsaved: string[];
  /** 1: a state outside the model or a fault in some column, or an unwritten record. */
  status: number;
}

/** Arguments that are all folders are result folders to compare; otherwise they name tests. */
export const areFolders = (args: string[]): boolean =>
  args.length > 0 && args.every((a) => existsSync(a) && statSync(a).isDirectory());

export async function compareTests(
  words: string[],
  request: LitmusRequest,
  hooks: LabHooks,
): Promise<TestsCompared> {
  if (words.length < 2) throw new UserError('compare takes two or more litmus tests');
  const resolved = resolveRequest(request);
  const engines = resolved.engines?.choices ?? [resolved.engine];
  const out: TestsCompared = { columns: [], records: [], unsaved: [], status: 0 };
  for (const word of words) {
    const target = resolveTarget(word);
    if (target.kind !== 'litmus')
      throw new UserError(`${word} is a program scenario; run shows its variants side by side`);
    const test = loadTest(target.path);
    // The bounds of one test are the same on every engine: found once.
    const answers: BoundAnswers = new Map();
    for (const engine of engines) {
      const plan = onEngine({ test, ...resolved }, engine);
      const outcome = await runOnBackends(plan, hooks, answers);
      const record = litmusRecord(plan, outcome);
      const saved = saveResult(test.name, record);
      if ('error' in saved) out.unsaved.push(saved.error);
      out.records.push({ ...record, resultFile: 'path' in saved ? saved.path : null });
      // One column per test and engine: the engine in the column's name.
      const name = engines.length > 1 ? `${test.name} on ${engine!.label}` : test.name;
      out.columns.push({ ...outcome, test: { ...test, name } });
      out.status = Math.max(out.status, litmusExitStatus(outcome));
    }
  }
  if (out.unsaved.length > 0) out.status ||= 1;
  return out;
}

/** The runs saved in result folders, and whether any of them failed its grading. */
export function compareFolders(dirs: string[]): { records: ResultRecord[]; failed: boolean } {
  const records = dirs.flatMap((d) => readRecords(d).records);
  if (records.length === 0) throw new UserError(`no result records in ${dirs.join(', ')}`);
  return { records, failed: records.some((r) => gradeRecord(r).failed) };
}
