// The `model` backend: every final state a memory model allows (src/model), exhaustively, on
// worker threads (runModel) so that Ctrl-C reaches it at once.

import { UserError } from '../errors.ts';
import type { Test } from '../litmus/ir.ts';
import { CatError } from '../model/cat/errors.ts';
import { runModel } from '../model/check/parallel.ts';
import { ModelStopped } from '../model/core/budget.ts';
import type { Backend, Refusal } from './backend.ts';

const refuseModel = (test: Test): Refusal | undefined =>
  test.threads.length === 0 ? { reason: 'the test has no threads' } : undefined;

export const modelBackend: Backend = {
  name: 'model',
  description:
    'every final state a memory model allows (`lkmm`, the Linux-kernel memory model, by default; `sc`, `tso`), exhaustively, as herd7 does; for a program scenario, every execution of its model instance',
  bounds: () => [],
  produces: 'verdict',
  byDefault: true,
  exploresScenarios: true,
  refuse: refuseModel,
  run: async (test, settings, hooks) => {
    const refusal = refuseModel(test);
    if (refusal) return { tag: 'refused', backend: 'model', ...refusal };
    try {
      const verdict = await runModel(test, settings.model, {
        timeoutMs: settings.modelTimeoutS * 1000,
        signal: hooks.signal,
      });
      return { tag: 'ran', backend: 'model', verdict };
    } catch (e) {
      // Out of budget or stopped, the model says how far it got; any other UserError is a
      // fault in an execution the model allows: the model's answer, so that the backends
      // after it still run and show where the fault hits them.
      // A mistake in a model read from files is the user's, and no answer: it stops the run.
      if (!(e instanceof UserError) || e instanceof CatError) throw e;
      if (!(e instanceof ModelStopped))
        return { tag: 'faulted', backend: 'model', reason: e.message, pos: e.pos };
      if (e.reason === 'budget') return { tag: 'gave-up', backend: 'model', reason: e.message };
      return { tag: 'interrupted', backend: 'model', verdict: e.partial! };
    }
  },
};
