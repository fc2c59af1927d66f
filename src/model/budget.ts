// The time budget of one model run: a deadline checked every so often, never a hang.

import { UserError } from '../errors.ts';

/** How long checkModel may run on one test unless told otherwise (the CLI's --model-timeout). */
export const DEFAULT_MODEL_TIMEOUT_MS = 10_000;

/** Calls between two looks at the clock (the first call looks too). */
const TICKS_PER_CHECK = 256;

export class Budget {
  private ticks = 0;
  private readonly deadline: number;

  constructor(
    readonly timeoutMs: number,
    private readonly what: string,
  ) {
    this.deadline = performance.now() + timeoutMs;
  }

  /** Count one step; throws a UserError once the deadline has passed. */
  tick = (): void => {
    if (++this.ticks % TICKS_PER_CHECK !== 1) return;
    if (performance.now() > this.deadline) {
      throw new UserError(
        `${this.what}: the model ran out of its time budget (${this.timeoutMs} ms) enumerating executions; ` +
          'the test has too many candidate executions for it — give more time with --model-timeout, or make the test smaller',
      );
    }
  };
}
