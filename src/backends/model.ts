// The `model` backend: every final state a memory model allows (src/model), exhaustively.

import { UserError } from '../errors.ts';
import { checkModel } from '../model/index.ts';
import type { Backend } from './backend.ts';

export const modelBackend: Backend = {
  name: 'model',
  description:
    'every final state a memory model allows (`lkmm`, the Linux-kernel memory model, by default; `sc`, `tso`), exhaustively, as herd7 does',
  bounds: [],
  produces: 'verdict',
  byDefault: true,
  refuse: (test) => (test.threads.length === 0 ? { reason: 'the test has no threads' } : undefined),
  run: async (test, opts) => {
    try {
      const verdict = checkModel(test, opts.model, { timeoutMs: opts.modelTimeoutS * 1000 });
      return { tag: 'ran', backend: 'model', verdict };
    } catch (e) {
      // The budget's UserError is the model giving up; any other (a fault in an allowed
      // execution) is the test's mistake and goes to the user as such.
      if (e instanceof UserError && /time budget/.test(e.message))
        return { tag: 'gave-up', backend: 'model', reason: e.message };
      throw e;
    }
  },
};
