// `check <files|dirs> --cat A.cat --against B.cat` as a use case: the model maintainer's question,
// which tests change verdict when the model changes? Each test's verdict under both models (the
// verdict alone, settled as soon as it can be, as herd7's -speedcheck does). Returns the rows as
// values; the CLI prints the tests that differ.

import { formatUserError, UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { loadLitmus } from '../litmus/load.ts';
import { checkModel } from '../model/check/check.ts';
import type { ModelChoice } from '../model/models/registry.ts';
import { displayPath, litmusFilesOf, targetKey } from './resolve.ts';
import { type Shard, shardOf } from './shard.ts';

export interface AgainstRow {
  test: string;
  /** The verdict under --against, then under the model checked; `error: ...` when either failed. */
  before: string;
  after: string;
}

export interface AgainstRun {
  /** How the two models are named: sc, tso, lkmm, or their cat files' paths. */
  model: string;
  against: string;
  rows: AgainstRow[];
  changed: AgainstRow[];
  elapsedMs: number;
  /** The tests named, before --shard took its part (rows). */
  named: number;
}

export function checkAgainst(
  args: string[],
  model: ModelChoice,
  against: ModelChoice,
  modelTimeoutS: number,
  shard?: Shard,
): AgainstRun {
  const start = performance.now();
  // The same part of the files as check --shard takes without --against.
  const named = litmusFilesOf(args);
  const files = shardOf(named, (f) => targetKey({ kind: 'litmus', path: f }), shard);
  const rows = files.map((f) => compareOne(f, model, against, modelTimeoutS * 1000));
  return {
    model: labelOf(model),
    against: labelOf(against),
    rows,
    changed: rows.filter((r) => r.before !== r.after),
    elapsedMs: performance.now() - start,
    named: named.length,
  };
}

function compareOne(
  file: string,
  model: ModelChoice,
  against: ModelChoice,
  timeoutMs: number,
): AgainstRow {
  // Loaded once for both models: a test that does not load is the same error under each.
  let test: Test;
  try {
    test = loadLitmus(file);
  } catch (e) {
    const error = errorCell(e);
    return { test: displayPath(file), before: error, after: error };
  }
  const verdict = (m: ModelChoice): string => {
    try {
      return checkModel(test, m, { timeoutMs, search: 'verdict' }).observation;
    } catch (e) {
      return errorCell(e);
    }
  };
  return { test: test.name, before: verdict(against), after: verdict(model) };
}

/** A user's mistake as a table cell (its first line); anything else is a bug and propagates. */
function errorCell(e: unknown): string {
  if (!(e instanceof UserError)) throw e;
  return `error: ${formatUserError(e).split('\n')[0]}`;
}

/** A model as the table names it: sc, tso, lkmm, or its cat file. */
function labelOf(choice: ModelChoice): string {
  return typeof choice === 'string' ? choice : displayPath(choice.cat.cat);
}
