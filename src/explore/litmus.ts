// The explorer fed a litmus test's compiled code: the agreement check between the explorer
// and the model (test/explore/agreement.test.ts), and `--on model` for litmus code run as code.
//
// Each thread is compiled as for hw (src/litmus/compile.ts) and run on the exploring memory
// through the same renames (src/runtime/litmus/ops.ts), under every sequence of read values
// from the model's own value domains. Every run must be one of the traces the model's
// interpreter gives for that thread (same events, values, lock roles, rmw pairs and observed
// registers): a run that is none of them, or a trace no run produces, is a disagreement
// between the compiled code on this memory and the IR, reported as an internal error. The
// trace the model judges is the IR's, because code has no syntactic dependencies: addr, data
// and ctrl come from the IR (judge 'ir'), or are only the exploring memory's own (judge 'code').

import { UserError } from '../errors.ts';
import { compileThread } from '../litmus/compile.ts';
import type { Test, Value } from '../litmus/ir.ts';
import { threadsRefusal } from '../litmus/threads-refusal.ts';
import { exploringOps, type Tracer } from '../memory/explore.ts';
import { oneInstance } from '../memory/layout.ts';
import { litmusOps } from '../memory/litmus-ops.ts';
import { Tally } from '../model/check/tally.ts';
import type { ModelName } from '../model/core/base.ts';
import { Budget, DEFAULT_MODEL_TIMEOUT_MS, type StopFlag } from '../model/core/budget.ts';
import type { EventSpec, Trace } from '../model/core/events.ts';
import type { Verdict } from '../model/core/verdict.ts';
import { threadTraces } from '../model/enumerate/trace.ts';
import { valueDomains } from '../model/enumerate/values.ts';
import { MODEL_TABLE } from '../model/models/registry.ts';
import { explore, type Program } from './explore.ts';
import { marked } from './lock-handover.ts';
import { StaticWrites } from './static-guesses.ts';

export interface LitmusExploreOptions {
  timeoutMs?: number;
  signal?: StopFlag;
  /**
   * Which trace the model judges: 'ir' (default) the IR's, with the test's syntactic
   * dependencies; 'code' the run's own, as for a program scenario: the events the exploring
   * memory made, with the dependencies its primitives carry (an arithmetic rmw's) and no
   * others. 'code' checks the exploring memory itself: on a test whose only dependencies are
   * its rmws' own it must give the model's states exactly, and on any test at least them.
   */
  judge?: 'ir' | 'code';
}

/** Every final state `model` allows for the test, found by running its compiled code. */
export function exploreLitmus(
  test: Test,
  model: ModelName,
  opts: LitmusExploreOptions = {},
): Verdict {
  const refusal = threadsRefusal('explorer', test);
  if (refusal)
    throw new UserError(
      refusal.reason.replace(
        /; run this test with --on model$/,
        ': the explorer runs compiled code',
      ),
      test.file,
      refusal.pos,
    );
  const start = performance.now();
  const budget = new Budget({
    timeoutMs: opts.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    what: `${test.name} explored under ${model}`,
    ...(opts.signal && { signal: opts.signal }),
  });
  const tally = new Tally(test, MODEL_TABLE[model]);
  budget.guard(() => {
    const program = litmusProgram(test, budget.tick, opts.judge ?? 'ir');
    // No cap on guesses: a litmus answer is exhaustive (docs/explore.md).
    explore(program, { model, budget, maxGuesses: Infinity }, (x, _runs, judged) => {
      tally.add(x, judged.result);
    });
  });
  return tally.verdict('all', budget.progress, performance.now() - start);
}

/**
 * The compiled threads of `test` as a Program, each run refined into the IR's trace it is
 * (`judge` 'ir') or kept as the code's own trace with the IR's registers ('code').
 */
export function litmusProgram(
  test: Test,
  tick: () => void,
  judge: 'ir' | 'code' = 'ir',
): Program<Value[]> {
  const variables = test.locations.length;
  const { layout, offsets } = oneInstance(test);
  const out = new Int32Array(layout.cells);
  const code = test.threads.map((t) => {
    const c = compileThread(test, t, layout);
    return { thread: t, source: c.source, observed: c.observed };
  });
  const domains = valueDomains(test, tick);
  const traces = test.threads.map((t) => threadTraces(test, t, domains, tick));
  const irTraces = test.threads.map((t) => indexTraces(traces[t.id]!, code[t.id]!.observed));
  // Known from the IR: whether some trace has a plain access, and every write each thread can
  // make (lkmm's guesses where a plain access makes the accepted executions' writes short).
  const plain = traces.some((ts) =>
    ts.some((t) => t.events.some((e) => e.dir !== 'F' && !marked(e))),
  );
  return {
    plain,
    ...(plain && {
      writes: new StaticWrites(traces, (loc, value) => domains[loc]!.includes(value)),
    }),
    test: () => test,
    threads: test.threads.length,
    space: {
      loc: (cell) => {
        const v = (cell - layout.dataBase) / layout.varStride;
        if (!Number.isInteger(v) || v < 0 || v >= variables)
          throw new Error(`internal: cell ${cell} is no location of ${test.name}`);
        return v;
      },
      loc64: () => {
        throw new Error('internal: a litmus test has no 64-bit accesses');
      },
      init: (loc) => test.locations[loc]!.init,
      isLock: (loc) => test.locations[loc]!.type === 'spinlock',
      wide: () => 0,
      unwide: () => 0n,
    },
    run: (thread, t: Tracer) => {
      const mem = exploringOps(t);
      const ops = litmusOps(mem, { offsets, startInstance: () => undefined });
      const fn = new Function('ops', 'mem', code[thread]!.source)(ops, out) as (n: number) => void;
      fn(1);
      const base = layout.outBase[thread]!;
      return code[thread]!.observed.map((_, j) => out[base + j]!);
    },
    refine: (thread, run) => {
      const key = runKey(run.replay.trace.events, run.replay.result);
      const ir = irTraces[thread]!.get(key);
      // A run reading a value outside herd7's domains (an lkmm guess that no write of an
      // accepted execution can justify) is none of herd7's traces: no candidate to judge.
      const outside = run.replay.trace.events.some(
        (e) => e.dir === 'R' && !e.lock && !domains[e.loc]!.includes(e.value),
      );
      if (!ir && outside) return undefined;
      if (!ir)
        throw new Error(
          `internal: ${test.name} P${thread}: the compiled code ran ${key}, which the model's interpreter does not give`,
        );
      if (judge === 'ir') return ir;
      const own = run.replay.trace;
      return {
        ...own,
        events: own.events.map((e, i) => ({ ...e, instr: ir.events[i]!.instr })),
        regs: ir.regs,
      };
    },
  };
}

/** The model's traces of one thread, by what a run of its code shows of them. */
function indexTraces(traces: Trace[], observed: string[]): Map<string, Trace> {
  const out = new Map<string, Trace>();
  for (const t of traces) {
    if (t.fault) continue;
    out.set(
      runKey(
        t.events,
        observed.map((r) => t.regs.get(r) ?? 0),
      ),
      t,
    );
  }
  return out;
}

/** Events (kind, location, value, lock role, rmw, annotation) and observed registers. */
function runKey(events: EventSpec[], regs: Value[]): string {
  const ev = events.map((e) => {
    return `${e.dir}${e.loc}=${e.value}.${e.annot}.${e.lock ?? ''}.${e.rmw ?? ''}`;
  });
  return `${ev.join(',')} | ${regs.join(',')}`;
}
