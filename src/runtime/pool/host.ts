// The CPU pool's host of this process (cpu-host.ts says what a host is): Node's worker_threads
// through piscina (node-host.ts), or Web Workers under Bun and Deno (web-host.ts).

import { ownModuleUrl } from '../../own-modules.ts';
import type { CpuEntry, CpuHost } from './cpu-host.ts';
import { nodeHost } from './node-host.ts';
import { webHost } from './web-host.ts';

/** Web Worker entry files, for Bun and Deno (which run TypeScript workers natively, and a build's JavaScript). */
const WEB_ENTRIES: Record<CpuEntry, URL> = {
  litmus: ownModuleUrl('workers/litmus-cpu-web'),
  scenario: ownModuleUrl('workers/scenario-cpu-web'),
  stress: ownModuleUrl('workers/stress-cpu-web'),
};

/**
 * The host of this process: Node's worker threads through piscina; Web Workers under Bun and
 * Deno, whose worker_threads emulations are not piscina's ground (Deno's dies at creation).
 */
export function cpuHost(): CpuHost {
  return 'Bun' in globalThis || 'Deno' in globalThis ? webHost(WEB_ENTRIES) : nodeHost;
}
