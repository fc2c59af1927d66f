// An explorer worker: one variant of a program scenario under one model (src/explore/run.ts),
// stopped by its budget or by the flag the main thread raises. This file is only the worker's
// entry point.

import { UserError } from '../src/errors.ts';
import type { ExploreTask, ExploreTaskResult } from '../src/explore/run.ts';
import { exploreVariant } from '../src/explore/scenario.ts';
import { variantResult } from '../src/explore/scenario-result.ts';
import { flagOf } from '../src/model/core/budget.ts';
import { importScenario } from '../src/runtime/scenario/cpu.ts';

export default async function exploreWorker(task: ExploreTask): Promise<ExploreTaskResult> {
  const s = await importScenario(task.file, task.exportName);
  try {
    const v = exploreVariant(s, task.variant, {
      model: task.model,
      timeoutMs: Math.max(0, task.deadline - Date.now()),
      loopBound: task.loopBound,
      signal: flagOf(new Int32Array(task.stop)),
    });
    return { tag: 'done', result: variantResult(s, v) };
  } catch (e) {
    // The scenario's own mistake (non-deterministic code, an undeclared outcome): a message.
    if (!(e instanceof UserError)) throw e;
    return { tag: 'error', message: e.message, file: e.file, pos: e.pos };
  }
}
