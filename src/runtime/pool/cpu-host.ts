// The CPU pool's host: where CPU workers run. The runners (litmus/run.ts through litmus/cpus.ts,
// scenario/run.ts) only start workers, hand each a task, abort one, and close them, through
// this interface; Node's worker_threads through piscina is node-host.ts, and a Web Worker host
// (Deno, Bun, browsers) is another implementation of the same few calls. Tasks are plain data
// (structured clone) holding SharedArrayBuffers; a worker entry is named, not a file path, so
// that each host finds its own entry files.

/**
 * The worker entries: the litmus batch loop (workers/litmus-cpu.ts), a scenario thread
 * (workers/scenario-cpu.ts), a stress worker beside a litmus run (workers/stress-cpu.ts).
 */
export type CpuEntry = 'litmus' | 'scenario' | 'stress';

/** Workers that have not all reached their first barrier after this long are a failure. */
export const START_TIMEOUT_MS = 60_000;

export interface CpuWorkers<T, R> {
  /** Run one task on a free worker; aborting `signal` terminates that worker (the task rejects). */
  run(task: T, signal?: AbortSignal): Promise<R>;
  /** Stop every worker. */
  close(): Promise<void>;
}

export interface CpuHost {
  /** The host's name, for reports (node). */
  readonly name: string;
  /** Start `cpus` workers running `entry`; `keepAlive`: idle workers stay for further tasks. */
  start<T, R>(entry: CpuEntry, cpus: number, keepAlive?: boolean): CpuWorkers<T, R>;
}
