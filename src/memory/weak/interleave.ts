// The weak CPU in one thread: every thread of a litmus test compiled as a generator that
// yields before each memory access, interleaved by a seeded scheduler over the same WeakCpu
// objects and histories the worker threads use. Deterministic (same seed, same histogram) and
// cheap, so the soundness tests can cover thousands of tests; the real-thread runner is
// src/runtime/litmus/run.ts. This module neither parses nor grades.

import { compileThread, observedRegisters } from '../../litmus/compile.ts';
import { observedKeys, type Test } from '../../litmus/ir.ts';
import { addToHistogram, type Histogram, satisfies } from '../../litmus/state.ts';
import { CELL_BYTES, cellOf, FENCE_CELL, oneInstance, outCellOf } from '../layout.ts';
import { litmusOps } from '../litmus-ops.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../random.ts';
import { WEAK_MEMORY } from './memory.ts';

/** Scheduler steps in one instance before it is called a deadlock (a lock never released). */
export const MAX_STEPS = 100_000;

export interface InterleaveOptions {
  runs: number;
  seed: number;
}

type Step = Generator<undefined, void, undefined>;
type ThreadFn = (c: number, o: number) => Step;

/** Run `runs` instances of the test in process; the histogram of their final states. */
export function runWeakInProcess(test: Test, opts: InterleaveOptions): Histogram {
  const refusal = WEAK_MEMORY.refuse?.(test);
  if (refusal) throw refusal;
  const variables = test.locations.length;
  const { layout, offsets } = oneInstance(test);
  const m = new Int32Array(layout.cells);
  const side = new SharedArrayBuffer((WEAK_MEMORY.sideCells?.(variables, 1) ?? 0) * CELL_BYTES);
  const instances = { ...layout, variables, size: 1, side };
  const mems = test.threads.map((t) =>
    WEAK_MEMORY.create({
      m,
      fence: FENCE_CELL,
      cpu: t.id,
      cpus: test.threads.length,
      seed: opts.seed,
      relax: () => {},
      instances,
    }),
  );
  const threads: ThreadFn[] = test.threads.map((t) => {
    const ops = litmusOps(mems[t.id]!, {
      offsets,
      startInstance: () => undefined,
      seed: opts.seed,
      cpu: t.id,
    });
    const code = compileThread(test, t, layout, {
      orders: WEAK_MEMORY.threadOrders?.(t, opts.seed),
      stepwise: true,
    });
    return new Function('ops', 'mem', code.source)(ops, m) as ThreadFn;
  });
  const keys = observedKeys(test);
  const keyCells = keys.map((k) =>
    k.kind === 'reg'
      ? outCellOf(layout, k.thread, 0, observedRegisters(test, k.thread).indexOf(k.reg))
      : cellOf(
          layout,
          0,
          test.locations.findIndex((l) => l.name === k.loc),
        ),
  );
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, opts.seed);
  const histogram: Histogram = new Map();
  const reset = mems[0]!;
  for (let run = 0; run < opts.runs; run++) {
    test.locations.forEach((l, x) => {
      reset.init(cellOf(layout, 0, x), l.init);
    });
    const live = threads.map((fn, t) => fn(layout.dataBase, layout.outBase[t]!));
    interleave(live, () => prandom_u32_state(rnd), test.name);
    const values = keyCells.map((c) => m[c]!);
    if (!test.filter || satisfies(test, values, test.filter, keys))
      addToHistogram(test, histogram, values, 1, keys);
  }
  return histogram;
}

/**
 * Step the threads to completion: each step resumes one live thread up to its next access.
 * How often the previous thread goes on is drawn per instance (never, half the time, 15 times
 * in 16): long runs of one thread make the outcomes that need whole threads in some order
 * (LB's cycle) as likely as the fine-grained races.
 */
function interleave(live: Step[], next: () => number, name: string): void {
  const stay = [0, 8, 15][next() % 3]!;
  let last = next() % live.length;
  for (let steps = 0; live.length > 0; steps++) {
    if (steps > MAX_STEPS)
      throw new Error(
        `${name}: no thread finished after ${MAX_STEPS} steps (a lock never released?)`,
      );
    const r = next();
    const j = (r & 15) < stay && last < live.length ? last : (r >>> 4) % live.length;
    if (live[j]!.next().done) live.splice(j, 1);
    last = j;
  }
}
