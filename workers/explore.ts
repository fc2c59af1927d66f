// An explorer worker: one variant of a program scenario under one model (src/explore/run.ts),
// stopped by its budget or by the flag the main thread raises, and with --explain the execution
// that reaches the outcome asked about (imported statically: Node 20 does not carry tsx's ESM
// loader into worker threads, so a dynamic import of TypeScript fails here in a checkout). This
// file is only the worker's entry point.

import { UserError } from '../src/errors.ts';
import { siteFinder, siteWeakening } from '../src/explore/ablate.ts';
import { explainOutcome } from '../src/explore/explain.ts';
import type { ExploreTask, ExploreTaskResult } from '../src/explore/run.ts';
import { exploreVariant } from '../src/explore/scenario.ts';
import { variantResult } from '../src/explore/scenario-result.ts';
import { flagOf } from '../src/model/core/budget.ts';
import { importScenario } from '../src/runtime/scenario/cpu.ts';

export default async function exploreWorker(task: ExploreTask): Promise<ExploreTaskResult> {
  // Its file, for the places an explanation or a refusal names (the module does not know its own).
  const s = { ...(await importScenario(task.file, task.exportName)), file: task.file };
  try {
    // --ablate: find the variant's ordering call sites, or weaken one of them.
    const finder = task.findSites ? siteFinder() : undefined;
    const weakening = finder?.weakening ?? (task.weaken && siteWeakening(task.weaken));
    const v = exploreVariant(s, task.variant, {
      model: task.model,
      timeoutMs: task.timeoutMs,
      loopBound: task.loopBound,
      signal: flagOf(new Int32Array(task.stop)),
      ...(task.explain !== undefined && { explain: task.explain }),
      ...(weakening && { weakening }),
    });
    const result = variantResult(s, v);
    // --explain: the witness replayed for its call sites, here where the executions are.
    if (task.explain !== undefined) result.explanation = explainOutcome(s, v, task.explain);
    return { tag: 'done', result, ...(finder && { sites: finder.sites() }) };
  } catch (e) {
    // The scenario's own mistake (non-deterministic code, an undeclared outcome): a message.
    if (!(e instanceof UserError)) throw e;
    return { tag: 'error', message: e.message, file: e.file, pos: e.pos };
  }
}
