// Whether a scenario's search went to the end of its model instance: every execution visited,
// or every one but those past the instance's kthread_should_stop() bound (ModelInstance.iterations:
// the extent is bounded by `stops` alone, nothing cut at the loop bound, events, guesses or rounds).
// What the seed tests mean by "never, exhaustively" since kthread_stop() became a choice.

import type { Extent } from '../../src/explore/scenario.ts';

export function toTheInstanceEnd(e: Extent): boolean {
  if (e.kind === 'exhaustive') return true;
  return (
    e.kind === 'bounded' &&
    e.stops !== undefined &&
    e.cut === 0 &&
    e.events === undefined &&
    e.guesses === undefined &&
    e.rounds === undefined
  );
}
