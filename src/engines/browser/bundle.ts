// The browser's code, bundled from the same modules the Node CPUs run (batch loop, layout,
// barriers, compiled-thread ops): web/app for the page, workers/litmus-cpu-web for each CPU,
// workers/stress-cpu-web for each stress worker — the TypeScript sources under tsx, the compiled
// JavaScript of a build or of the installed package otherwise (own-modules.ts), so a page runs
// what the package ships.
// esbuild bundles in memory when the server starts; nothing is fetched from elsewhere.

import { build } from 'esbuild';
import { ownModule } from '../../own-modules.ts';

const ENTRIES = {
  '/app.js': 'web/app',
  '/cpu.js': 'workers/litmus-cpu-web',
  '/stress.js': 'workers/stress-cpu-web',
} as const;

export type BundlePath = keyof typeof ENTRIES;

/** path → JavaScript text, for every browser entry. */
export async function bundleBrowserCode(): Promise<Map<BundlePath, string>> {
  const out = new Map<BundlePath, string>();
  for (const [path, entry] of Object.entries(ENTRIES) as [BundlePath, string][]) {
    const r = await build({
      entryPoints: [ownModule(entry)],
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
        'node:os': ownModule('web/shims/os'),
        'node:url': ownModule('web/shims/url'),
        piscina: ownModule('web/shims/piscina'),
      },
    });
    out.set(path, r.outputFiles[0]!.text);
  }
  return out;
}
