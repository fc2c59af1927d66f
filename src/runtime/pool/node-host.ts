// The CPU host on Node: worker_threads through piscina (the project's pool; its per-task
// AbortSignal terminates a stuck worker, which is what the scenario watchdog needs).

import { Piscina } from 'piscina';
import { COMPILED, ownModule } from '../../package-root.ts';
import type { CpuEntry, CpuHost, CpuWorkers } from './host.ts';

/** The worker entry files, in the form this process runs (compiled under dist/, or .ts). */
const ENTRY_FILES: Record<CpuEntry, string> = {
  litmus: ownModule('workers/litmus-cpu'),
  scenario: ownModule('workers/scenario-cpu'),
};

/** How long an idle worker of a kept-alive pool waits for its next task. */
const KEEP_ALIVE_MS = 60_000;
const IDLE_MS = 1_000;

/**
 * Run from the TypeScript sources, the worker files are TypeScript. Under `tsx file.ts` or
 * `node --import tsx` the workers inherit the loader with process.execArgv; under bin/smplab.js
 * in an unbuilt checkout (tsx registered in-process) they do not, so we give them tsx's loader
 * by its resolved URL, which works from any directory. Compiled workers need nothing (a user's
 * TypeScript scenario registers tsx in its worker itself: scenario/cpu.ts).
 */
export function workerExecArgv(): string[] | undefined {
  if (COMPILED || process.execArgv.some((a) => a.includes('tsx'))) return undefined;
  return [...process.execArgv, '--import', import.meta.resolve('tsx')];
}

export const nodeHost: CpuHost = {
  name: 'node',
  start<T, R>(entry: CpuEntry, cpus: number, keepAlive = false): CpuWorkers<T, R> {
    const pool = new Piscina<T, R>({
      filename: ENTRY_FILES[entry],
      minThreads: cpus,
      maxThreads: cpus,
      concurrentTasksPerWorker: 1,
      idleTimeout: keepAlive ? KEEP_ALIVE_MS : IDLE_MS,
      execArgv: workerExecArgv(),
    });
    return {
      run: (task, signal) => pool.run(task, signal ? { signal } : {}),
      close: () => pool.destroy(),
    };
  },
};
