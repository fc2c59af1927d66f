#!/usr/bin/env node
// The `smplab` command, always compiled JavaScript. Installed from npm, it runs the package's
// dist/. In a checkout (src/ beside bin/; the package ships no src/), it runs the build of the
// sources as they are now (bin/build.js: compiled when a source changed, in about half a
// second, and kept by the sources' hash), never a dist/ that may be older than them.
// `npx tsx src/cli/main.ts` runs the TypeScript sources themselves (the tests do).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

if (existsSync(new URL('../src/cli/main.ts', import.meta.url))) {
  const { checkoutBuild } = await import('./build.js');
  // pathToFileURL, not `file://${dir}`: a checkout under a path with '#', '%' or a drive letter.
  await import(pathToFileURL(join(await checkoutBuild(), 'src', 'cli', 'main.js')).href);
} else {
  await import('../dist/src/cli/main.js');
}
