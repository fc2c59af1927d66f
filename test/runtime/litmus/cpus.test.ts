// A worker that dies (not a thread that throws: the worker itself ends) must still end the run
// with its thread's name, the others released from the barrier and the pool closed.

import test from 'ava';
import { computeLayout } from '../../../src/memory/layout.ts';
import type { CpuTask } from '../../../src/runtime/litmus/batch.ts';
import { runOnCpus } from '../../../src/runtime/litmus/cpus.ts';

test.serial('a worker that exits ends the run with its thread named, nothing hangs', async (t) => {
  const layout = computeLayout({
    size: 100,
    variables: 1,
    observedRegisters: [0, 0],
    packed: false,
  });
  const sab = new SharedArrayBuffer(layout.cells * 4);
  const base = {
    settings: { runs: 1_000_000, seed: 1 },
    run: {
      sab,
      layout,
      memory: 'x86' as const,
      barrier: 'spin' as const,
      threads: 2,
      init: [0],
      clockOrigin: performance.timeOrigin,
      keyCells: [],
      keyStrides: [],
      keyInMemory: [],
      waits: false,
      rcu: false,
    },
  };
  // Thread 1's body ends its worker thread at the first instance; thread 0 runs a normal body.
  const ok = `return function (n) { for (let k = 0; k < n; k++) ops.start_instance(k); };`;
  const dies = `return function (n) { process.exit(3); };`;
  const tasks: CpuTask[] = [
    { ...base, thread: 0, source: ok },
    { ...base, thread: 1, source: dies },
  ];
  const err = await t.throwsAsync(runOnCpus(tasks, {}));
  t.log(err!.message);
  t.regex(err!.message, /^P1: its CPU worker failed: worker exited with code: 3$/);
});
