// The weak CPU in one thread: every thread of a litmus test compiled as a generator that
// yields before each memory access, interleaved by a seeded scheduler over the same WeakCpu
// objects and histories the worker threads use. Deterministic (same seed, same histogram) and
// cheap, so the soundness tests can cover thousands of tests; the real-thread runner is
// src/weak/run.ts. This module neither parses nor grades.

import { compileThread, observedRegisters } from '../litmus/compile.ts';
import { observedKeys, type Test } from '../litmus/ir.ts';
import { addToHistogram, formatState, type Histogram, stateSatisfies } from '../litmus/state.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../kernel/random.ts';
import { cellOf, computeLayout, outCellOf } from '../runtime/layout.ts';
import { WeakCpu } from './cpu.ts';
import { historyGeometry, resetLocation } from './history.ts';
import { weakLitmusOps } from './litmus-ops.ts';
import { threadOrders } from './reorder.ts';

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
  const L = test.locations.length;
  const layout = computeLayout({
    size: 1,
    variables: L,
    observedRegisters: test.threads.map((t) => observedRegisters(test, t.id).length),
    packed: true,
  });
  const m = new Int32Array(layout.cells);
  const g = historyGeometry(L);
  const h = new Int32Array(g.stride);
  const offsets = test.locations.map((_, v) => v * layout.varStride);
  const threads: ThreadFn[] = test.threads.map((t) => {
    const cpu = new WeakCpu({
      m,
      h,
      cells: { ...layout, variables: L },
      cpu: t.id,
      seed: opts.seed,
      relax: () => {},
    });
    const ops = weakLitmusOps(cpu, {
      offsets,
      startInstance: () => undefined,
      badAddress: (v, site) => new Error(`P${t.id}: site ${site}: ${v} is not an address`),
    });
    const code = compileThread(test, t, layout, {
      orders: threadOrders(t, opts.seed),
      stepwise: true,
    });
    return new Function('ops', 'mem', code.source)(ops, m) as ThreadFn;
  });
  const keys = observedKeys(test);
  const keyCells = keys.map((k) =>
    k.kind === 'reg'
      ? outCellOf(layout, k.thread, 0, observedRegisters(test, k.thread).indexOf(k.reg))
      : cellOf(layout, 0, test.locations.findIndex((l) => l.name === k.loc)),
  );
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, opts.seed);
  const histogram: Histogram = new Map();
  for (let run = 0; run < opts.runs; run++) {
    test.locations.forEach((l, x) => {
      resetLocation(h, g, 0, x, l.init);
      m[cellOf(layout, 0, x)] = l.init;
    });
    const live = threads.map((fn, t) => fn(layout.dataBase, layout.outBase[t]!));
    interleave(live, () => prandom_u32_state(rnd), test.name);
    const state = formatState(test, keyCells.map((c) => m[c]!), keys);
    if (!test.filter || stateSatisfies(test, state, test.filter)) addToHistogram(histogram, state);
  }
  return histogram;
}

/**
 * Step the threads to completion: each step resumes one live thread up to its next access.
 * Half the time the previous thread goes on (runs of one thread make the sequential outcomes
 * as likely as the racy ones).
 */
function interleave(live: Step[], next: () => number, name: string): void {
  let last = 0;
  for (let steps = 0; live.length > 0; steps++) {
    if (steps > MAX_STEPS)
      throw new Error(`${name}: no thread finished after ${MAX_STEPS} steps (a lock never released?)`);
    const r = next();
    const j = (r & 1) === 0 && last < live.length ? last : (r >>> 1) % live.length;
    if (live[j]!.next().done) live.splice(j, 1);
    last = j;
  }
}
