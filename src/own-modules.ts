// Where this package's own modules are (workers, the child runner, seed scenarios, the browser
// entries), in the form this process runs: the TypeScript sources under tsx (`.ts`), or compiled
// JavaScript (`.js`) — a checkout's build (bin/build.js) or the installed package's dist/. The
// data files (scenarios/litmus, schema, web/*.html) are package-root.ts's. This module is also
// bundled into the browser page (through the CPU pool), so it uses nothing but node:url, which
// the page has as a shim.

import { fileURLToPath } from 'node:url';

/** True when this process runs compiled JavaScript (a build) rather than the TypeScript sources. */
export const COMPILED = import.meta.url.endsWith('.js');

/** The extension of this package's own modules in this process. */
export const MODULE_EXT = COMPILED ? '.js' : '.ts';

/**
 * The folder holding src/, workers/, scenarios/ and web/ as modules: the build's root when
 * compiled. This module's code is one folder below it: src/ in the sources, a build's chunks/
 * (bin/build.js puts it there, and checks).
 */
const CODE_ROOT_URL = new URL('..', import.meta.url);
export const CODE_ROOT = fileURLToPath(CODE_ROOT_URL);

/** An absolute path to one of the package's modules, `rel` without extension (`workers/litmus-cpu`). */
export const ownModule = (rel: string): string => `${CODE_ROOT}${rel}${MODULE_EXT}`;

/** The same as a URL (a Web Worker's entry under Bun and Deno). */
export const ownModuleUrl = (rel: string): URL => new URL(`${rel}${MODULE_EXT}`, CODE_ROOT_URL);

const OWN_CODE = ['src', 'workers', 'chunks'];

/**
 * smplab's own code rather than a user's or a scenario's: src/ and workers/, and a build's
 * shared chunks (bin/build.js bundles src/'s modules into those and into the workers' files).
 */
export const isOwnCode = (file: string): boolean =>
  OWN_CODE.some((dir) => file.startsWith(`${CODE_ROOT}${dir}/`));

/** A module written in TypeScript: under the compiled package, loading one brings in tsx. */
export const isTypeScript = (file: string): boolean => /\.[cm]?ts$/.test(file);

/**
 * Run from the TypeScript sources, the worker files are TypeScript. Under `tsx file.ts` or
 * `node --import tsx` the workers inherit the loader with process.execArgv; when tsx was
 * registered in-process they do not, so we give them tsx's loader by its resolved URL, which
 * works from any directory. Compiled workers need nothing (a user's TypeScript scenario
 * registers tsx in its worker itself: scenario/cpu.ts).
 */
export function workerExecArgv(): string[] | undefined {
  if (COMPILED || process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  return [...process.execArgv, '--import', import.meta.resolve('tsx')];
}

/** The command-line arguments that let a child `node` run this package's modules (tsx for `.ts`). */
export const nodeLoaderArgs = (): string[] =>
  COMPILED ? [] : ['--import', import.meta.resolve('tsx')];
