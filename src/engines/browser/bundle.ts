// The browser's code, bundled from the same TypeScript the Node CPUs run (batch loop, layout,
// barriers, compiled-thread ops): web/app.ts for the page, workers/litmus-cpu-web.ts for each
// CPU. esbuild bundles in memory when the server starts; nothing is fetched from elsewhere.

import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRIES = {
  '/app.js': new URL('../../../web/app.ts', import.meta.url),
  '/cpu.js': new URL('../../../workers/litmus-cpu-web.ts', import.meta.url),
} as const;

const SHIM = (name: string) =>
  fileURLToPath(new URL(`../../../web/shims/${name}.ts`, import.meta.url));

export type BundlePath = keyof typeof ENTRIES;

/** path → JavaScript text, for every browser entry. */
export async function bundleBrowserCode(): Promise<Map<BundlePath, string>> {
  const out = new Map<BundlePath, string>();
  for (const [path, url] of Object.entries(ENTRIES) as [BundlePath, URL][]) {
    const r = await build({
      entryPoints: [url.pathname],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      // The shared runtime imports a few Node modules for Node's sake; in a page they are
      // these shims (what a page can know), so one copy of the runtime serves both.
      alias: {
        'node:os': SHIM('os'),
        'node:url': SHIM('url'),
        piscina: SHIM('piscina'),
      },
    });
    out.set(path, r.outputFiles[0]!.text);
  }
  return out;
}
