// The CPU host on Node: worker_threads through piscina (the project's pool; its per-task
// AbortSignal terminates a stuck worker, which is what the scenario watchdog needs).

import { Piscina } from 'piscina';
import { ownModule, workerExecArgv } from '../../own-modules.ts';
import type { CpuEntry, CpuHost, CpuWorkers } from './cpu-host.ts';

/** The worker entry files, in the form this process runs (compiled under dist/, or .ts). */
const ENTRY_FILES: Record<CpuEntry, string> = {
  litmus: ownModule('workers/litmus-cpu'),
  scenario: ownModule('workers/scenario-cpu'),
  stress: ownModule('workers/stress-cpu'),
};

/** How long an idle worker of a kept-alive pool waits for its next task. */
const KEEP_ALIVE_MS = 60_000;
const IDLE_MS = 1_000;

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
