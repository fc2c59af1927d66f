// The runtime's errors, for both runners: what a CPU throws and how the main thread tells a
// CPU's own failure from the others' giving up. User mistakes are UserErrors (src/errors.ts);
// these are failures at run time, reported with the CPU's name by the pool and the watch.

/** A failure at one instruction of a compiled litmus thread (`site` indexes ThreadCode.sites). */
export class SiteError extends Error {
  constructor(
    readonly site: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A thread of a run stepped in process failed: which thread, at which of its compiled sites
 * (undefined: elsewhere in its code), why. The runner places it (runtime/litmus/stepped.ts).
 */
export class ThreadFault extends Error {
  constructor(
    readonly thread: number,
    readonly site: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown out of a spin loop or barrier when another thread failed (the abort flag is set). */
export class Aborted extends Error {
  constructor() {
    super('aborted because another thread failed');
  }
}

/**
 * Thrown out of a wait (a spin_lock(), a grace period) that can never end: no thread that could
 * end it is still in the instance, or every one that is waits too. The instance is stuck; the
 * CPU gives it up and goes on with the next one (the runner counts stuck instances).
 */
export class Stuck extends Error {
  constructor() {
    super('stuck: the wait can never end');
  }
}

/** The message of a CPU that stopped because another one failed (the pool reports the other). */
export const ABORTED_SUFFIX = 'stopped: another thread failed';
