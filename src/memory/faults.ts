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

/** Thrown out of a spin loop or barrier when another thread failed (the abort flag is set). */
export class Aborted extends Error {
  constructor() {
    super('aborted because another thread failed');
  }
}

/** The message of a CPU that stopped because another one failed (the pool reports the other). */
export const ABORTED_SUFFIX = 'stopped: another thread failed';
