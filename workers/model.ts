// A model worker: one share of a model run (src/model/check/parallel.ts), stopped by its budget or by
// the flag the main thread raises. This file is only the worker's entry point.

import { UserError } from '../src/errors.ts';
import { CatError } from '../src/model/cat/errors.ts';
import { checkModel } from '../src/model/check/check.ts';
import type { ModelTask, ModelTaskResult } from '../src/model/check/parallel.ts';
import { flagOf, ModelStopped } from '../src/model/core/budget.ts';
import { loadCatModels } from '../src/model/models/registry.ts';

export default async function modelWorker(task: ModelTask): Promise<ModelTaskResult> {
  if (typeof task.model !== 'string') await loadCatModels();
  try {
    const verdict = checkModel(task.test, task.model, {
      timeoutMs: Math.max(0, task.deadline - Date.now()),
      search: task.search,
      signal: flagOf(new Int32Array(task.stop)),
      ...(task.share && { share: task.share }),
    });
    return { tag: 'done', verdict };
  } catch (e) {
    // A user's mistake crosses back as data: an Error thrown here would lose its class.
    if (e instanceof UserError && !(e instanceof ModelStopped)) {
      const { message, file, pos, sourceLine } = e;
      return {
        tag: 'user-error',
        cat: e instanceof CatError,
        message,
        ...(file && { file }),
        ...(pos && { pos }),
        ...(sourceLine !== undefined && { sourceLine }),
      };
    }
    if (!(e instanceof ModelStopped)) throw e;
    return {
      tag: 'stopped',
      reason: e.reason,
      progress: e.progress,
      elapsedMs: e.elapsedMs,
      message: e.message,
      ...(e.partial && { partial: e.partial }),
    };
  }
}
