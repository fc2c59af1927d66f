// The Node host of the CPU pool: a piscina pool with one worker_threads worker per test thread,
// each running workers/litmus-cpu.ts. The watch over the CPUs is host-neutral (cpu-pool.ts).

import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { CpuResult, CpuTask } from './batch.ts';
import { type CpuHost, type PoolRun, type PoolWatch, runOnHost } from './cpu-pool.ts';

export { POLL_MS, START_TIMEOUT_MS, type StoppedBy } from './cpu-pool.ts';

const WORKER_FILE = fileURLToPath(new URL('../../workers/litmus-cpu.ts', import.meta.url));

/**
 * The worker file is TypeScript. Under `tsx file.ts` or `node --import tsx` the workers inherit
 * the loader with process.execArgv; under bin/smplab.js (tsx registered in-process) they do not,
 * so we give them tsx's loader by its resolved URL, which works from any directory.
 */
export function workerExecArgv(): string[] | undefined {
  if (process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  return [...process.execArgv, '--import', import.meta.resolve('tsx')];
}

/** `threads` piscina workers, one task each. */
export function piscinaHost(threads: number): CpuHost {
  const pool = new Piscina<CpuTask, CpuResult>({
    filename: WORKER_FILE,
    minThreads: threads,
    maxThreads: threads,
    concurrentTasksPerWorker: 1,
    idleTimeout: 1_000,
    execArgv: workerExecArgv(),
  });
  return { name: 'piscina', run: (task) => pool.run(task), close: () => pool.destroy() };
}

/** Run one task per thread on piscina workers (Node). */
export function runOnCpus(tasks: CpuTask[], watch: PoolWatch): Promise<PoolRun> {
  return runOnHost(piscinaHost(tasks.length), tasks, watch);
}
