// Where the package's own files are, for the TypeScript sources (src/…/x.ts, run through tsx in
// a checkout) and for the compiled JavaScript (dist/src/…/x.js, what `bin` runs) alike. Files
// that are data (scenarios/litmus/*.litmus) are found under PACKAGE_ROOT; modules (workers,
// seed scenarios) under CODE_ROOT, in the form this process runs: `.ts` or compiled `.js`.

import { fileURLToPath } from 'node:url';

/** True when this process runs the compiled dist/ files rather than the TypeScript sources. */
export const COMPILED = import.meta.url.endsWith('.js');

/** The extension of this package's own modules in this process. */
export const MODULE_EXT = COMPILED ? '.js' : '.ts';

/** The folder holding package.json. */
export const PACKAGE_ROOT = fileURLToPath(new URL(COMPILED ? '../..' : '..', import.meta.url));

/** The folder holding src/, workers/ and scenarios/ as modules: dist/ when compiled. */
export const CODE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An absolute path to one of the package's modules, `rel` without extension (`workers/litmus-cpu`). */
export const ownModule = (rel: string): string => `${CODE_ROOT}${rel}${MODULE_EXT}`;

/** A module written in TypeScript: under the compiled package, loading one brings in tsx. */
export const isTypeScript = (file: string): boolean => /\.[cm]?ts$/.test(file);

/**
 * Run from the TypeScript sources, the worker files are TypeScript. Under `tsx file.ts` or
 * `node --import tsx` the workers inherit the loader with process.execArgv; under bin/smplab.js
 * in an unbuilt checkout (tsx registered in-process) they do not, so we give them tsx's loader
 * by its resolved URL, which works from any directory. Compiled workers need nothing (a user's
 * TypeScript scenario registers tsx in its worker itself: scenario/cpu.ts).
 */
export function workerExecArgv(): string[] | undefined {
  if (COMPILED || process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  return [...process.execArgv, '--import', import.meta.resolve('tsx')];
}
