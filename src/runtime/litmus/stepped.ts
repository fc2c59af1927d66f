// A litmus test on the weak CPU in this thread (src/memory/weak/interleave.ts: the same memory
// object and compiled code as on the workers, every CPU stepped by one seeded scheduler): the
// answer to "can this happen on a weak CPU?" that does not depend on the machine's load — the
// same seed gives the same histogram on an idle laptop and on a CI box at load 60. The run is
// cut in chunks so that Ctrl-C, the time budget and the progress bar work as on threads; its
// result is a RunsResult like the threads runner's, marked barrier 'stepped'.
// What real threads add (the engines' compilers, speed, the OS's interleavings) is run.ts's.

import type { Test } from '../../litmus/ir.ts';
import { histogramRuns } from '../../litmus/state.ts';
import { ThreadFault } from '../../memory/faults.ts';
import { steppedRunner } from '../../memory/weak/interleave.ts';
import { hostInfo } from '../host.ts';
import type { HwHooks } from './cpus.ts';
import { type RunFault, type RunsResult, runFault } from './run.ts';
import { knobsOf, type ThreadsSettings } from './settings.ts';

/** Instances between two looks at the signal, the clock and the progress bar. */
const CHUNK = 5_000;

export async function runLitmusStepped(
  test: Test,
  settings: ThreadsSettings,
  hooks: HwHooks = {},
): Promise<RunsResult> {
  const { seed, runs, time } = settings;
  const start = performance.now();
  const runner = steppedRunner(test, seed);
  let done = 0;
  let stoppedBy: RunsResult['stoppedBy'] = 'done';
  let fault: RunFault | undefined;
  while (done < runs) {
    if (hooks.signal?.aborted) {
      stoppedBy = 'signal';
      break;
    }
    if (time !== undefined && performance.now() - start > time * 1000) {
      stoppedBy = 'time';
      break;
    }
    const n = Math.min(CHUNK, runs - done);
    try {
      runner.run(n);
    } catch (e) {
      // a fault of the test at run time: what was collected, partial, as on threads
      if (!(e instanceof ThreadFault)) throw e;
      const stop =
        e.site === undefined
          ? { kind: 'error' as const, message: e.message }
          : { kind: 'site' as const, site: e.site, message: e.message };
      fault = runFault(e.thread, stop, runner.sites[e.thread] ?? [], test.file);
      stoppedBy = 'error';
      break;
    }
    done += n;
    hooks.onProgress?.(done, runs);
    // let the event loop deliver Ctrl-C and draw the progress bar
    await new Promise((resolve) => setImmediate(resolve));
  }
  const elapsedMs = performance.now() - start;
  return {
    histogram: runner.histogram,
    runs: histogramRuns(runner.histogram),
    elapsedMs,
    wallMs: elapsedMs,
    stoppedBy,
    ...(fault && { fault }),
    partial: stoppedBy === 'signal' || stoppedBy === 'error',
    stuck: runner.stuck,
    threads: test.threads.length,
    workers: 0,
    barrier: 'stepped',
    lostMeetings: 0,
    size: CHUNK,
    memory: 'weak',
    seed,
    // the knobs act on real threads only; recorded as asked
    knobs: knobsOf(settings),
    host: hostInfo(),
  };
}
