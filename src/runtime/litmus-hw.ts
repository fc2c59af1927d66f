// The hw backend in this process: a litmus test on this machine's CPUs, one worker per thread —
// piscina under Node, Web Workers under Bun and Deno (whose worker_threads emulation is not
// piscina's ground). The run itself is host-neutral (litmus-run.ts); this file says where.

import os from 'node:os';
import { hostMapping } from '../kernel/ops.ts';
import type { Test } from '../litmus/ir.ts';
import {
  defaultHwSize as defaultSizeOn,
  type HwHooks,
  type HwOptions,
  type HwPlace,
  type HwResult,
  runLitmusOn,
} from './litmus-run.ts';
import { piscinaHost } from './pool.ts';
import { webWorkerHost } from './web-host.ts';

const WEB_WORKER = new URL('../../workers/litmus-cpu-web.ts', import.meta.url);

/** Bun and Deno run TypeScript workers natively; Node 20 has no global Worker. */
const underBunOrDeno = () => 'Bun' in globalThis || 'Deno' in globalThis;

export {
  DEFAULT_HW_SIZE_PARKED,
  DEFAULT_HW_SIZE_SPIN,
  type HwHooks,
  type HwOptions,
  type HwResult,
  refuseOnHw,
} from './litmus-run.ts';

/** This process: its workers on this machine's CPUs, with its architecture's mapping. */
export function nodePlace(): HwPlace {
  return {
    host: underBunOrDeno() ? () => webWorkerHost(WEB_WORKER) : piscinaHost,
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    mapping: hostMapping(os.arch()),
  };
}

/** The batch size runLitmusOnHw uses when HwOptions.size is not given. */
export function defaultHwSize(test: Test): number {
  return defaultSizeOn(test, nodePlace().cpus);
}

export function runLitmusOnHw(test: Test, opts: HwOptions, hooks: HwHooks = {}): Promise<HwResult> {
  return runLitmusOn(nodePlace(), test, opts, hooks);
}
