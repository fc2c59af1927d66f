// Where the package's data files are (scenarios/litmus/*.litmus, schema/, web/*.html) and the
// executables npm installed beside it: PACKAGE_ROOT, the folder of smplab's package.json, found
// from this module in each form the code runs in — the TypeScript sources (src/), a checkout's
// build (node_modules/.cache/smplab/<hash>/src/, what bin/smplab.js runs in a checkout), the
// installed package's dist/src/. Its own modules are own-modules.ts's. It never looks at a
// dist/ in a checkout.

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { CODE_ROOT, COMPILED } from './own-modules.ts';

/**
 * The folder holding smplab's package.json, with a trailing separator: the nearest one above
 * this module (CODE_ROOT itself for the sources, its parent for dist/, the checkout for a build).
 */
export const PACKAGE_ROOT = packageRoot(CODE_ROOT);

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'smplab') return join(dir, '/');
    } catch {
      // No package.json here (or not JSON): look one folder up.
    }
    if (dirname(dir) === dir) throw new Error(`smplab's package.json is not above ${from}`);
  }
}

/** smplab's version, as its package.json says (`smplab --version`). */
export function packageVersion(): string {
  return (
    JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
}

/**
 * `name`'s executable as npm installs it (node_modules/.bin/NAME), in each node_modules folder a
 * require() from this package would search: the checkout's, or the installing project's when
 * smplab is a dependency (hoisted or nested).
 */
export function npmExecutable(name: string): string[] {
  const out: string[] = [];
  for (let dir = PACKAGE_ROOT.replace(/[\\/]$/, ''); ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') out.push(join(dir, 'node_modules', '.bin', name));
    if (dirname(dir) === dir) return out;
  }
}

/**
 * The TypeScript source of one of this package's compiled modules when it is at hand (a
 * checkout: scenarios/atomic-bool.ts for its build's scenarios/atomic-bool.js), else `file`
 * itself: what a record names and hashes, so a scenario keeps one identity across builds.
 */
export function sourceOf(file: string): string {
  if (!COMPILED || !file.startsWith(CODE_ROOT) || !file.endsWith('.js')) return file;
  const source = join(PACKAGE_ROOT, relative(CODE_ROOT, file)).replace(/\.js$/, '.ts');
  return existsSync(source) ? source : file;
}
