// The weak CPU in one thread: every thread of a litmus test compiled as a generator that
// yields before each memory access, interleaved by a seeded scheduler over the same WeakCpu
// objects and histories the worker threads use. Deterministic (same seed, same histogram,
// whatever the machine's load) and cheap, so the soundness tests can cover thousands of tests
// and `--ablate`/`compare` get answers that do not depend on the load; the real-thread runner
// is src/runtime/litmus/run.ts. A thread that waits (a lock held, a grace period not over)
// yields 1 at each look; when every live thread of an instance waits, the instance is stuck
// (nobody left could end a wait) and is counted so. This module neither parses nor grades.

import {
  compileThread,
  observedRegisters,
  type Site,
  type STEP_LOAD,
  STEP_WAIT,
} from '../../litmus/compile.ts';
import { observedKeys, type Test } from '../../litmus/ir.ts';
import { addToHistogram, type Histogram, satisfies } from '../../litmus/state.ts';
import { SiteError, ThreadFault } from '../faults.ts';
import {
  CELL_BYTES,
  cellOf,
  computeLayout,
  FENCE_CELL,
  type Layout,
  LINES_LAYOUT,
  outCellOf,
} from '../layout.ts';
import { litmusOps } from '../litmus-ops.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../random.ts';
import { WEAK_MEMORY } from './memory.ts';

/** Scheduler steps in one instance past which a test is broken (no loop runs this long). */
export const MAX_STEPS = 1_000_000;

export interface InterleaveOptions {
  runs: number;
  seed: number;
}

/** What `runs` instances in process produced: the final states, and the instances stuck. */
export interface InProcessRun {
  histogram: Histogram;
  stuck: number;
}

/**
 * A thread's step, and what it stopped before: STEP_WAIT a wait that did not end (a lock held,
 * a grace period), STEP_LOAD a load, undefined any other access (or the end).
 */
type Next = typeof STEP_WAIT | typeof STEP_LOAD | undefined;
type Step = Generator<Next, void, undefined>;
type ThreadFn = (c: number, o: number) => Step;

/** Run `runs` instances of the test in process: the histogram of their final states. */
export function runWeakInProcess(test: Test, opts: InterleaveOptions): InProcessRun {
  const runner = steppedRunner(test, opts.seed);
  runner.run(opts.runs);
  return { histogram: runner.histogram, stuck: runner.stuck };
}

/** A test's instances run in process, a few at a time (so that a caller can stop between). */
export interface SteppedRunner extends InProcessRun {
  /** Run n more instances; the histogram and the stuck count grow. */
  run(n: number): void;
  /** Each thread's compiled sites, to place a ThreadFault. */
  sites: readonly Site[][];
}

/**
 * The test compiled for the in-process driver, with the seed of its choices. Every access is a
 * call to the memory object: the code shared by every test, compiled by the engine once, costs
 * less over a test's few thousand instances than compiling each test's own (compiled.ts: 200
 * luc tests of 3,000 runs took 8.1 s with it, 6.1 s without). `compiled`: true, with the
 * weak CPU's accesses compiled into the threads (as functions); 'inlined', into their bodies,
 * as on real threads — for the test that they give the same histograms as the calls.
 */
export function steppedRunner(
  test: Test,
  seed: number,
  compiled: boolean | 'inlined' = false,
): SteppedRunner {
  const opts = { seed };
  const refusal = WEAK_MEMORY.refuse?.(test);
  if (refusal) throw refusal;
  const variables = test.locations.length;
  const layout = oneInstance(test);
  const { offsets } = layout;
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
      stepped: true,
    }),
  );
  const sites: Site[][] = [];
  const threads: ThreadFn[] = test.threads.map((t) => {
    const ops = litmusOps(mems[t.id]!, {
      offsets,
      startInstance: () => undefined,
      seed: opts.seed,
      cpu: t.id,
    });
    const orders = WEAK_MEMORY.threadOrders?.(test, t, opts.seed) ?? [t.body];
    const inline = compiled
      ? WEAK_MEMORY.compiledAccesses?.(
          test,
          t,
          orders,
          layout,
          true,
          ...(compiled === 'inlined' ? [true] : []),
        )
      : undefined;
    const code = compileThread(test, t, layout, {
      orders,
      stepwise: true,
      ...(inline && { inline }),
    });
    sites.push(code.sites);
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
  const reset = mems[0]!;
  const cells = test.locations.map((_, x) => cellOf(layout, 0, x));
  const inits = test.locations.map((l) => l.init);
  const next = () => prandom_u32_state(rnd);
  const fault = (j: number, e: SiteError) => new ThreadFault(j, e.site, e.message);
  // the final states of a run(n), counted by their values and formatted once each at its end
  const tally = new Map<string, { values: number[]; count: number }>();
  const flush = () => {
    for (const { values, count } of tally.values())
      if (!test.filter || satisfies(test, values, test.filter, keys))
        addToHistogram(test, runner.histogram, values, count, keys);
    tally.clear();
  };
  const runner: SteppedRunner = {
    histogram: new Map(),
    stuck: 0,
    sites,
    run(n) {
      try {
        for (let k = 0; k < n; k++) {
          for (let x = 0; x < cells.length; x++) {
            reset.init(cells[x]!, inits[x]!);
            m[cells[x]! + 1] = 0;
          }
          for (const mem of mems) mem.begin_instance(layout.dataBase);
          const live = threads.map((fn, t) => fn(layout.dataBase, layout.outBase[t]!));
          if (!interleave(live, next, test.name, fault)) {
            runner.stuck++;
            for (const mem of mems) mem.abandon();
            continue;
          }
          const values = keyCells.map((c) => m[c]!);
          const key = values.join(',');
          const seen = tally.get(key);
          if (seen) seen.count++;
          else tally.set(key, { values, count: 1 });
        }
      } finally {
        // a fault ends the run: what it collected is kept
        flush();
      }
    },
  };
  return runner;
}

/**
 * The one instance the driver resets again and again: a line per location, as on real threads,
 * so that the compiled code may keep the histories beside the cells there too
 * (compiled-cells.ts).
 */
function oneInstance(test: Test): Layout {
  return computeLayout({
    size: 1,
    variables: test.locations.length,
    observedRegisters: test.threads.map((t) => observedRegisters(test, t.id).length),
    layout: LINES_LAYOUT,
  });
}

/**
 * How the scheduler picks the thread to resume, drawn per instance: go on with the previous
 * thread never, half the time or 15 times in 16 (long runs of one thread make the outcomes
 * that need whole threads in some order, LB's, as likely as the fine-grained races); or
 * `loadsLast`: a thread stopped before anything but a load while there is one, else any, so
 * that every store and fence is performed as early as its thread's order allows and the loads
 * one at a time, at random, in between. That is the schedule of an LB cycle through n threads,
 * each reading a store performed ahead of another's program order (3.LB, 4.LB with dependencies
 * or fences on all threads but one): the loads in the cycle's order, one in n! instances of
 * this mode, against one in thousands of the others. It cannot give what needs a store held
 * back behind another thread's load (Z6.2 with smp_mb() on two threads): the others do.
 */
const SCHEDULES = [{ stay: 0 }, { stay: 8 }, { stay: 15 }, { stay: 0, loadsLast: true }];

/**
 * Step the threads to completion: each step resumes one live thread up to its next access,
 * as the instance's schedule (SCHEDULES) picks it. False when the instance is stuck: every
 * live thread has looked at its wait since anything else happened.
 */
function interleave(
  live: Step[],
  next: () => number,
  name: string,
  fault: (thread: number, e: SiteError) => Error,
): boolean {
  const ids = live.map((_, j) => j);
  const stopped: Next[] = live.map(() => undefined);
  const { stay, loadsLast } = SCHEDULES[next() % SCHEDULES.length]!;
  let last = next() % live.length;
  const waiting = new Set<Step>();
  for (let steps = 0; live.length > 0; steps++) {
    if (steps > MAX_STEPS)
      throw new Error(`internal: ${name}: no thread finished after ${MAX_STEPS} steps`);
    const r = next();
    const j = loadsLast
      ? pickNotLoad(stopped, r >>> 4)
      : (r & 15) < stay && last < live.length
        ? last
        : (r >>> 4) % live.length;
    const step = live[j]!;
    let s: IteratorResult<Next, void>;
    try {
      s = step.next();
    } catch (e) {
      throw e instanceof SiteError ? fault(ids[j]!, e) : e;
    }
    if (s.done) {
      live.splice(j, 1);
      ids.splice(j, 1);
      stopped.splice(j, 1);
      waiting.clear();
    } else if (s.value === STEP_WAIT) {
      stopped[j] = STEP_WAIT;
      waiting.add(step);
      if (waiting.size === live.length) return false;
    } else {
      stopped[j] = s.value;
      waiting.clear();
    }
    last = j;
  }
  return true;
}

/** The r-th (mod their number) thread stopped before a store, fence or rmw; of all, if none. */
function pickNotLoad(stopped: Next[], r: number): number {
  let ready = 0;
  for (const s of stopped) if (s === undefined) ready++;
  if (ready === 0) return r % stopped.length;
  let k = r % ready;
  for (let j = 0; j < stopped.length; j++) if (stopped[j] === undefined && k-- === 0) return j;
  return r % stopped.length;
}
