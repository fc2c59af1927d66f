// Backends that run the compiled test on real worker threads, one per test thread, each CPU
// with a memory object (src/runtime/memory-kinds.ts): hw gets this host's mapping, weak the
// emulated weak CPU. Same compiler, same batch loop, same counting; only the memory differs.

import { runOnEngine } from '../engines/run.ts';
import type { Instr, Test } from '../litmus/ir.ts';
import type { ModelName } from '../model/index.ts';
import { defaultHwSize } from '../runtime/litmus/run.ts';
import type { MemoryKindName } from '../runtime/memory-kinds.ts';
import type { Backend, Refusal } from './backend.ts';

export interface ThreadsBackendSpec {
  name: string;
  description: string;
  memory: MemoryKindName;
  bounds: readonly ModelName[];
  byDefault?: boolean;
  /** Runs program scenarios too (on the same memory object). */
  scenarios?: boolean;
  /** What this memory object cannot do beyond what every threads backend refuses. */
  refuse?: (test: Test) => Refusal | undefined;
}

/**
 * What no threads backend runs: a test without threads, synchronize_rcu() and SRCU (no grace
 * periods), a spinlock also accessed as data (the lock word is not the data).
 */
export function refuseOnThreads(name: string, test: Test): Refusal | undefined {
  if (test.threads.length === 0)
    return { reason: `the test has no threads: nothing to run on ${name}` };
  const walk = (instrs: Instr[]): Refusal | undefined => {
    for (const ins of instrs) {
      if (ins.kind === 'fence' && ins.annot === 'sync-rcu')
        return {
          reason: `synchronize_rcu() needs a grace period, which the ${name} backend does not implement; run this test with --on model`,
          pos: ins.pos,
        };
      if (isSrcu(ins))
        return {
          reason: `SRCU (srcu_read_lock, synchronize_srcu, ...) needs grace periods, which the ${name} backend does not implement; run this test with --on model`,
          pos: ins.pos,
        };
      if (dataOnSpinlock(test, ins))
        return {
          reason: `a spinlock accessed as data (herd7 flags it mixed-lock-accesses) has no ${name} mapping: the lock word is not the data; run this test with --on model`,
          pos: ins.pos,
        };
      if (ins.kind === 'branch') {
        const inner = walk(ins.then) ?? walk(ins.else);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  for (const t of test.threads) {
    const r = walk(t.body);
    if (r) return r;
  }
  return undefined;
}

/** An SRCU primitive: its read side, synchronize_srcu(), smp_mb__after_srcu_read_unlock(). */
function isSrcu(ins: Instr): boolean {
  if (ins.kind === 'fence')
    return ins.annot === 'sync-srcu' || ins.annot === 'after-srcu-read-unlock';
  return (ins.kind === 'load' || ins.kind === 'store') && ins.annot.startsWith('srcu-');
}

/** A load, store or rmw of a location that spin_* also take. */
function dataOnSpinlock(test: Test, ins: Instr): boolean {
  if (ins.kind !== 'load' && ins.kind !== 'store' && ins.kind !== 'rmw') return false;
  const addr = ins.addr;
  return (
    addr.kind === 'loc' && test.locations.find((l) => l.name === addr.loc)?.type === 'spinlock'
  );
}

export function threadsBackend(spec: ThreadsBackendSpec): Backend {
  const refuse = (test: Test) => refuseOnThreads(spec.name, test) ?? spec.refuse?.(test);
  return {
    name: spec.name,
    description: spec.description,
    bounds: spec.bounds,
    produces: 'runs',
    byDefault: spec.byDefault ?? true,
    scenarioMemory: spec.scenarios ? spec.memory : undefined,
    refuse,
    run: async (test, opts, hooks) => {
      const refusal = refuse(test);
      if (refusal) return { tag: 'refused', backend: spec.name, ...refusal };
      const hwHooks = {
        signal: hooks.signal,
        onProgress: (done: number, total: number) =>
          hooks.onProgress?.(done / total, `${done} runs`),
      };
      const size = Math.min(opts.size ?? defaultHwSize(test), opts.runs);
      // On --engine's engine, or in this process (runOnEngine with no engine).
      const runs = await runOnEngine(
        opts.engine,
        {
          test,
          runs: opts.runs,
          size,
          time: opts.time,
          memory: spec.memory,
          seed: opts.seed,
          flags: opts.engine?.flags ?? [],
        },
        hwHooks,
      );
      return { tag: runs.partial ? 'interrupted' : 'ran', backend: spec.name, runs };
    },
  };
}
