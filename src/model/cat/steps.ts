// A compiled model is a list of steps; a run goes through them in order. A plain step answers
// whether the run goes on (a failed check ends it); a forking one (`with`, `call`, `forall`,
// `match`) calls `next` once for each way on.

import type { Frame } from './frame.ts';

export /** A step: a plain one answers whether the run goes on; a forking one calls `next` for each way on. */
type Step = { plain: (f: Frame) => boolean } | { fork: (f: Frame, next: () => void) => void };

/** Run the steps from `i` on; `next` when they all went through. */
export function runSteps(steps: Step[], i: number, f: Frame, next: () => void): void {
  for (; i < steps.length; i++) {
    const s = steps[i]!;
    if ('plain' in s) {
      if (!s.plain(f)) return;
    } else {
      const after = i + 1;
      s.fork(f, () => runSteps(steps, after, f, next));
      return;
    }
  }
  next();
}
