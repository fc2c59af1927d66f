// `npm install` on a fresh machine: npm 11 runs no dependency's install script unless
// package.json's allowScripts decides it, and warns about every undecided one. Each package in
// the lock file with an install script must be decided, so that the install prints no warning.

import { readFileSync } from 'node:fs';
import test from 'ava';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));

test('every dependency with an install script is approved or denied in allowScripts', (t) => {
  const withScripts = Object.entries(
    lock.packages as Record<string, { hasInstallScript?: boolean }>,
  )
    .filter(([, p]) => p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  t.true(withScripts.length > 0, 'the lock file names at least esbuild');
  const decided = new Set(
    Object.keys(pkg.allowScripts ?? {}).map((k) => k.replace(/(.)@.*$/, '$1')),
  );
  t.deepEqual(
    withScripts.filter((name) => !decided.has(name)),
    [],
  );
});

test("esbuild's postinstall is denied: tsx finds its binary through @esbuild/<platform>", (t) => {
  t.is(pkg.allowScripts?.esbuild, false);
});
