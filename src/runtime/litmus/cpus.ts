// The CPU pool of a litmus run: start one CPU worker per test thread on the run's
// SharedArrayBuffer (through the host, pool/host.ts), each running the batch loop of
// batch.ts, collect their tallies, and watch them from the main thread —
// progress, the time budget, an AbortSignal (Ctrl-C), a CPU that fails or dies (reported by its
// name, P<n>), CPUs that never start.
//
// The main thread never waits on the shared memory (it may not block); it only sets the stop
// and abort flags and polls the progress cell. This module does not know what a test is.

import { ABORTED_SUFFIX } from '../../memory/faults.ts';
import { PROGRESS_CELL, STARTED_CELL, STOP_CELL } from '../../memory/layout.ts';
import { abortAll } from '../barrier.ts';
import { type CpuHost, START_TIMEOUT_MS } from '../pool/cpu-host.ts';
import { cpuHost } from '../pool/host.ts';
import type { CpuResult, CpuTask } from './batch.ts';

/** How often the main thread looks at progress, the budget and the signal. */
export const POLL_MS = 50;

/** How a run ended: all its runs, its time budget, the signal (Ctrl-C), or a thread's failure. */
export type StoppedBy = 'done' | 'time' | 'signal' | 'error';

export interface PoolRun {
  results: CpuResult[];
  stoppedBy: StoppedBy;
  /** With stoppedBy 'error': the failing thread's `P1: file:line:col: message`. */
  failure?: string;
  wallMs: number;
}

export interface PoolWatch {
  /** Batches are `size` instances; progress is reported in instances. */
  size: number;
  runs: number;
  timeSeconds?: number;
  onProgress?: (runsDone: number, runsTotal: number) => void;
  signal?: AbortSignal;
}

/** Run one task per thread, all at once, each on its own worker; the pool is closed after. */
export async function runOnCpus(
  tasks: CpuTask[],
  watch: PoolWatch,
  host: CpuHost = cpuHost(),
): Promise<PoolRun> {
  const m = new Int32Array(tasks[0]!.sab);
  const pool = host.start<CpuTask, CpuResult>('litmus', tasks.length);
  const start = performance.now();
  const watcher = watchRun(m, tasks.length, watch);
  try {
    // A failing or dying worker sets the abort flag (litmus/batch.ts does it itself; for a worker that
    // died, we do), so that the threads waiting for it at the barrier give up at once.
    const settled = await Promise.allSettled(
      tasks.map((t) =>
        pool.run(t).catch((e: unknown) => {
          abortAll(m);
          throw e;
        }),
      ),
    );
    const failure = firstFailure(settled) ?? watcher.startFailure();
    if (failure) throw failure;
    const results = settled.map((s) => (s as PromiseFulfilledResult<CpuResult>).value);
    watch.onProgress?.(results[0]!.instances, watch.runs);
    // A thread's failure in the test (a lock never released, a register that holds no address)
    // ends the run with what every thread had counted: its own report, not the others' "aborted".
    const failures = results.flatMap((r) => (r.failure === undefined ? [] : [r.failure]));
    if (failures.length > 0) {
      const failure = failures.find((f) => !f.endsWith(ABORTED_SUFFIX)) ?? failures[0]!;
      return { results, stoppedBy: 'error', failure, wallMs: performance.now() - start };
    }
    // A stop that came during the last batch stopped nothing.
    const stoppedBy = results[0]!.instances >= watch.runs ? 'done' : watcher.stoppedBy();
    return { results, stoppedBy, wallMs: performance.now() - start };
  } finally {
    watcher.close();
    await pool.close();
  }
}

/**
 * The main thread's watch, every POLL_MS: progress, the time budget, workers that never start.
 * The signal and the budget set STOP_CELL; the threads read it at their next start barrier.
 */
function watchRun(m: Int32Array, threads: number, watch: PoolWatch) {
  const start = performance.now();
  let stoppedBy: StoppedBy = 'done';
  let startFailure: Error | undefined;
  const stop = (why: StoppedBy) => {
    if (stoppedBy === 'done') stoppedBy = why;
    Atomics.store(m, STOP_CELL, 1);
  };
  const onAbort = () => stop('signal');
  if (watch.signal?.aborted) stop('signal');
  watch.signal?.addEventListener('abort', onAbort);
  const timer = setInterval(() => {
    const elapsed = performance.now() - start;
    const started = Atomics.load(m, STARTED_CELL);
    if (started < threads && elapsed > START_TIMEOUT_MS && !startFailure) {
      startFailure = new Error(
        `only ${started} of ${threads} CPU workers started in ${START_TIMEOUT_MS / 1000} s`,
      );
      abortAll(m);
    }
    watch.onProgress?.(
      Math.min(watch.runs, Atomics.load(m, PROGRESS_CELL) * watch.size),
      watch.runs,
    );
    if (watch.timeSeconds !== undefined && elapsed > watch.timeSeconds * 1000) stop('time');
  }, POLL_MS);
  return {
    stoppedBy: () => stoppedBy,
    startFailure: () => startFailure,
    close: () => {
      clearInterval(timer);
      watch.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/** The failure to report: a thread's own error rather than the "another thread failed" of the rest. */
function firstFailure(settled: PromiseSettledResult<CpuResult>[]): Error | undefined {
  const errors = settled.flatMap((s, i) => (s.status === 'rejected' ? [asError(s.reason, i)] : []));
  return errors.find((e) => !e.message.endsWith(ABORTED_SUFFIX)) ?? errors[0];
}

function asError(reason: unknown, thread: number): Error {
  if (reason instanceof Error) {
    // A worker that died (process.exit, out of memory) or could not load is rejected by piscina
    // without our prefix.
    return /^P\d+: /.test(reason.message)
      ? reason
      : new Error(`P${thread}: its CPU worker failed: ${reason.message}`);
  }
  return new Error(`P${thread}: ${String(reason)}`);
}
