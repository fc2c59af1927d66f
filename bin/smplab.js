#!/usr/bin/env node
// The installed `smplab` command: the compiled CLI (dist/, built by `npm run build`, which
// `npm pack` runs). In a checkout that was never built, the TypeScript sources through tsx.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
