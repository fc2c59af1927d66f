// The explorer's workers after a Ctrl-C: a variant whose worker answered keeps its answer; one
// whose worker does not answer within the grace is interrupted with nothing collected, its
// outcomes unknown, instead of the whole run being lost.

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { runExplorer } from '../../src/explore/run.ts';
import { loadScenarioFile } from '../../src/runtime/scenario/load.ts';

const DEAF = fileURLToPath(new URL('../fixtures/scenarios/deaf-variant.ts', import.meta.url));

test('Ctrl-C: an answered variant keeps its answer, a worker that never answers leaves its variant interrupted', async (t) => {
  const s = await loadScenarioFile(DEAF);
  const stop = new AbortController();
  const r = await runExplorer(s, {
    model: 'sc',
    timeoutMs: 600_000,
    signal: stop.signal,
    // the quick variant answered: now Ctrl-C (the deaf one never will)
    onProgress: (variant) => {
      if (variant === 'quick') stop.abort();
    },
  });
  const [quick, deaf] = r.variants;
  t.is(quick!.variant, 'quick');
  t.is(quick!.extent.kind, 'exhaustive');
  t.deepEqual(
    quick!.outcomes.map((o) => [o.outcome, o.verdict]),
    [
      ['seen', 'reachable'],
      ['not seen', 'reachable'],
    ],
  );
  t.is(deaf!.variant, 'deaf');
  t.deepEqual(deaf!.extent, { kind: 'interrupted', percent: 0 });
  t.deepEqual(
    deaf!.outcomes.map((o) => o.verdict),
    ['unknown', 'unknown'],
  );
});
