// The CPU pool of a litmus run: start one CPU worker per test thread on the run's
// SharedArrayBuffer (through the host, pool/host.ts), each running the batch loop of
// batch.ts, collect their tallies, and watch them from the main thread —
// progress, the time budget, an AbortSignal (Ctrl-C), a CPU that fails or dies (reported by its
// name, P<n>), CPUs that never start.
//
// Stress workers, when the run asks for them, start and stop with the CPUs.
//
// The main thread never waits on the shared memory (it may not block); it only sets the stop
// and abort flags and polls the progress cell. This module does not know what a test is.

import { PROGRESS_CELL, STARTED_CELL, STOP_CELL } from '../../memory/layout.ts';
import { abortAll } from '../barrier.ts';
import { type CpuHost, START_TIMEOUT_MS } from '../pool/cpu-host.ts';
import { cpuHost } from '../pool/host.ts';
import type { CpuResult, CpuStop, CpuTask } from './batch.ts';
import { knobsOf } from './settings.ts';
import { startStress } from './stress.ts';

/** How often the main thread looks at progress, the budget and the signal. */
export const POLL_MS = 50;

/** How a run ended: all its runs, its time budget, the signal (Ctrl-C), or a thread's failure. */
export type StoppedBy = 'done' | 'time' | 'signal' | 'error';

export interface PoolRun {
  results: CpuResult[];
  stoppedBy: StoppedBy;
  /** With stoppedBy 'error': the thread whose stop ends the run, and how it stopped. */
  failed?: { thread: number; stop: CpuStop };
  wallMs: number;
}

/** What the caller watches a run with: its progress in instances, a signal that stops it. */
export interface HwHooks {
  onProgress?: (runsDone: number, runsTotal: number) => void;
  /** Abort = stop before the next batch and return what was collected, partial. */
  signal?: AbortSignal;
}

/**
 * Run one task per thread, all at once, each on its own worker; the pool is closed after. The
 * tasks share their settings and their run (batch.ts CpuTask): the budget and the batch size
 * are read there.
 */
export async function runOnCpus(
  tasks: CpuTask[],
  hooks: HwHooks,
  host: CpuHost = cpuHost(),
): Promise<PoolRun> {
  const { settings, run } = tasks[0]!;
  const m = new Int32Array(run.sab);
  const pool = host.start<CpuTask, CpuResult>('litmus', tasks.length);
  const start = performance.now();
  const watcher = watchRun(m, tasks[0]!, hooks);
  // Stress workers (stress.ts) run beside the CPUs, on the CPUs after theirs when pinned.
  const knobs = knobsOf(settings);
  const pinned = knobs.placement === 'pinned';
  const stress = startStress(knobs.stress, { host, ...(pinned && { pinFrom: tasks.length }) });
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
    const failure = firstDeath(settled) ?? watcher.startFailure();
    if (failure) throw failure;
    const results = settled.map((s) => (s as PromiseFulfilledResult<CpuResult>).value);
    hooks.onProgress?.(results[0]!.instances, settings.runs);
    const wallMs = () => performance.now() - start;
    // A thread's failure in the test (a lock never released, a register that holds no address)
    // ends the run with what every thread had counted: its own report, not the others' "aborted".
    const failed = firstStop(results);
    if (failed) return { results, stoppedBy: 'error', failed, wallMs: wallMs() };
    // A stop that came during the last batch stopped nothing.
    const stoppedBy = results[0]!.instances >= settings.runs ? 'done' : watcher.stoppedBy();
    return { results, stoppedBy, wallMs: wallMs() };
  } finally {
    watcher.close();
    const stopped = stress.stop();
    await pool.close();
    // A stress worker that failed (it could not be pinned) fails the run, as a CPU would.
    await stopped;
  }
}

/** The stop that ends the run: a thread's own rather than the "another thread failed" of the rest. */
function firstStop(results: CpuResult[]): PoolRun['failed'] {
  const stops = results.flatMap((r, thread) => (r.stop ? [{ thread, stop: r.stop }] : []));
  return stops.find((s) => s.stop.kind !== 'aborted') ?? stops[0];
}

/**
 * The main thread's watch, every POLL_MS: progress, the time budget, workers that never start.
 * The signal and the budget set STOP_CELL; the threads read it at their next start barrier.
 * The budget counts from when every CPU has started: starting workers on a busy machine may
 * take longer than a short budget (the tuner's trials), which must still run.
 */
function watchRun(m: Int32Array, task: CpuTask, hooks: HwHooks) {
  const { runs, time } = task.settings;
  const { threads, layout } = task.run;
  const start = performance.now();
  let running: number | undefined;
  let stoppedBy: StoppedBy = 'done';
  let startFailure: Error | undefined;
  const stop = (why: StoppedBy) => {
    if (stoppedBy === 'done') stoppedBy = why;
    Atomics.store(m, STOP_CELL, 1);
  };
  const onAbort = () => stop('signal');
  if (hooks.signal?.aborted) stop('signal');
  hooks.signal?.addEventListener('abort', onAbort);
  const timer = setInterval(() => {
    const now = performance.now();
    const elapsed = now - start;
    const started = Atomics.load(m, STARTED_CELL);
    if (started >= threads) running ??= now;
    if (started < threads && elapsed > START_TIMEOUT_MS && !startFailure) {
      startFailure = new Error(
        `only ${started} of ${threads} CPU workers started in ${START_TIMEOUT_MS / 1000} s`,
      );
      abortAll(m);
    }
    hooks.onProgress?.(Math.min(runs, Atomics.load(m, PROGRESS_CELL) * layout.size), runs);
    if (time !== undefined && running !== undefined && now - running > time * 1000) stop('time');
  }, POLL_MS);
  return {
    stoppedBy: () => stoppedBy,
    startFailure: () => startFailure,
    close: () => {
      clearInterval(timer);
      hooks.signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * A worker that died (process.exit, out of memory) or could not load: its task is rejected
 * (batch.ts never throws; it returns how it stopped). The first such thread, by its name.
 */
function firstDeath(settled: PromiseSettledResult<CpuResult>[]): Error | undefined {
  const thread = settled.findIndex((s) => s.status === 'rejected');
  if (thread < 0) return undefined;
  const reason = (settled[thread] as PromiseRejectedResult).reason;
  const why = reason instanceof Error ? reason.message : String(reason);
  return new Error(`P${thread}: its CPU worker failed: ${why}`);
}
