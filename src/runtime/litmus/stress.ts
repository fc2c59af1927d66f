// Stress workers: extra workers that hammer lines of memory no test location uses while the
// test's threads run, as GPU litmus testing's memory stress does (Kirkham et al., "Foundations
// of empirical memory consistency testing", 2020): the traffic they make keeps the caches and
// the interconnect busy, so that a test thread's store waits longer in its store buffer and
// more relaxed outcomes show on some CPUs. On a machine with no spare CPU they take time from
// the test's threads instead; `smplab run --tune` finds out which.
//
// The main thread starts them (startStress) and stops them when the run ends; each runs
// runStress in a worker of its own (workers/stress-cpu.ts, -web.ts) over its own
// SharedArrayBuffer: cell 0 is the stop flag, then STRESS_LINES lines of scratch memory shared
// by every stress worker. Nothing of the test's buffer is touched.

import { LINE_CELLS } from '../../memory/layout.ts';
import type { CpuHost } from '../pool/cpu-host.ts';
import { cpuHost } from '../pool/host.ts';

/** Lines of scratch memory the stress workers walk (256 KiB: beyond L1, within L2 or L3). */
export const STRESS_LINES = 4_096;
/** Lines touched between two looks at the stop flag. */
const STRESS_ROUND = 1_024;
/** The stride of the walk, in lines: odd, so that it visits every line of the power-of-two region. */
const STRESS_STEP = 7;

export interface StressTask {
  /** Cell 0: stop flag (non-zero: stop); then STRESS_LINES × LINE_CELLS cells of scratch. */
  sab: SharedArrayBuffer;
  /** Which stress worker this is (each starts its walk elsewhere). */
  worker: number;
  /** With placement pinned: the index of the CPU to bind to (after the test's threads). */
  pinTo?: number;
}

export interface StressResult {
  /** Lines touched. */
  touched: number;
}

/** The worker's loop: a load and a store on each line of a walk over the scratch lines, until told to stop. */
export function runStress(task: StressTask): StressResult {
  const m = new Int32Array(task.sab);
  const mask = STRESS_LINES - 1;
  let line = (task.worker * 997) & mask;
  let touched = 0;
  while (Atomics.load(m, 0) === 0) {
    for (let j = 0; j < STRESS_ROUND; j++) {
      const cell = LINE_CELLS + line * LINE_CELLS;
      m[cell] = m[cell]! + 1;
      line = (line + STRESS_STEP) & mask;
    }
    touched += STRESS_ROUND;
  }
  return { touched };
}

export interface RunningStress {
  /** Stop the workers and wait for them to end. */
  stop(): Promise<StressResult[]>;
}

/** Start `workers` stress workers on `host` (none: nothing starts); `pinFrom` numbers their CPUs. */
export function startStress(
  workers: number,
  opts: { host?: CpuHost; pinFrom?: number } = {},
): RunningStress {
  if (workers === 0) return { stop: async () => [] };
  const sab = new SharedArrayBuffer((1 + STRESS_LINES) * LINE_CELLS * Int32Array.BYTES_PER_ELEMENT);
  const pool = (opts.host ?? cpuHost()).start<StressTask, StressResult>('stress', workers);
  const running = Array.from({ length: workers }, (_, worker) =>
    pool.run({
      sab,
      worker,
      ...(opts.pinFrom !== undefined && { pinTo: opts.pinFrom + worker }),
    }),
  );
  return {
    stop: async () => {
      Atomics.store(new Int32Array(sab), 0, 1);
      try {
        return await Promise.all(running);
      } finally {
        await pool.close();
      }
    },
  };
}
