// The browser's code, bundled from the same TypeScript the Node CPUs run (batch loop, layout,
// barriers, compiled-thread ops): web/app.ts for the page, workers/litmus-cpu-web.ts for each
// CPU. esbuild bundles in memory when the server starts; nothing is fetched from elsewhere.

import { build } from 'esbuild';

const ENTRIES = {
  '/app.js': new URL('../../web/app.ts', import.meta.url),
  '/cpu.js': new URL('../../workers/litmus-cpu-web.ts', import.meta.url),
} as const;

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
    });
    out.set(path, r.outputFiles[0]!.text);
  }
  return out;
}
