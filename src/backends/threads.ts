// Backends that run the compiled test on real worker threads, one per test thread, each CPU
// with a memory object (src/memory/kinds.ts): hw gets this host's mapping, weak the
// emulated weak CPU. Same compiler, same batch loop, same counting; only the memory differs.

import { type EngineChoice, runOnEngine } from '../engines/run.ts';
import type { Test } from '../litmus/ir.ts';
import { threadsRefusal } from '../litmus/threads-refusal.ts';
import { type MemoryKindName, memoryKind } from '../memory/kinds.ts';
import { asArrays, layoutProblem } from '../memory/layout.ts';
import type { ModelName } from '../model/index.ts';
import type { HwHooks } from '../runtime/litmus/cpus.ts';
import { locationWidth, type RunsResult } from '../runtime/litmus/run.ts';
import { knobsOf, type ThreadsSettings } from '../runtime/litmus/settings.ts';
import type { Backend, Refusal } from './backend.ts';

export interface ThreadsBackendSpec {
  name: string;
  description: string;
  memory: MemoryKindName;
  /** The models bounding what it shows with memory object `memory` (Backend.bounds). */
  bounds(memory: MemoryKindName | undefined): readonly ModelName[];
  byDefault?: boolean;
  /** Runs program scenarios too (on the same memory object). */
  scenarios?: boolean;
  /** What this memory object cannot do beyond what every threads backend refuses. */
  refuse?: (test: Test) => Refusal | undefined;
  /**
   * Without --engine, run the test in this thread, stepped by a seeded scheduler (the same
   * answer at any load) instead of on worker threads; --engine (node included) runs threads.
   */
  stepped?: (test: Test, settings: ThreadsSettings, hooks: HwHooks) => Promise<RunsResult>;
}

/**
 * What no threads backend runs: a test without threads, a grace period that could not end, a
 * spinlock also accessed as data (litmus/threads-refusal.ts).
 */
export function refuseOnThreads(name: string, test: Test): Refusal | undefined {
  return threadsRefusal(name, test);
}

/**
 * Knobs (runtime/litmus/knobs.ts) this run cannot take: a layout without room for a spinlock,
 * one array per location for a memory object that keeps per-instance side memory (weak's
 * histories), placement pinned anywhere but Node's worker threads.
 */
function refuseKnobs(
  memory: MemoryKindName,
  test: Test,
  settings: ThreadsSettings,
  engine: EngineChoice | undefined,
): Refusal | undefined {
  const knobs = knobsOf(settings);
  const width = locationWidth(test);
  const problem = layoutProblem(knobs, width);
  if (problem) return { reason: problem };
  if (memoryKind(memory).sideCells && asArrays(knobs, test.locations.length, width))
    return {
      reason: `--stride ${knobs.stride} lays each location out as an array, and ${memory} keeps its memory per instance: use --stride 0, or at least ${(test.locations.length - 1) * knobs.pad + width}`,
    };
  const where = engine && (engine.at.remote ? `a browser at ${engine.at.path}` : engine.label);
  if (knobs.placement === 'pinned' && where && engine?.engine.name !== 'node')
    return {
      reason: `placement pinned binds Node's worker threads to CPUs (taskset): ${where} cannot; use --placement os`,
    };
  return undefined;
}

/** What the backend's memory object cannot run (MemoryKind.refuse), as a refusal. */
function refuseOnMemory(memory: MemoryKindName, test: Test): Refusal | undefined {
  const e = memoryKind(memory).refuse?.(test);
  return e ? { reason: e.message, ...(e.pos && { pos: e.pos }) } : undefined;
}

export function threadsBackend(spec: ThreadsBackendSpec): Backend {
  const refuse = (test: Test) =>
    refuseOnThreads(spec.name, test) ?? spec.refuse?.(test) ?? refuseOnMemory(spec.memory, test);
  return {
    name: spec.name,
    description: spec.description,
    bounds: spec.bounds,
    produces: 'runs',
    byDefault: spec.byDefault ?? true,
    scenarioMemory: spec.scenarios ? spec.memory : undefined,
    refuse,
    run: async (test, settings, hooks, engine) => {
      // The one refusal of a run: the runner below takes the job as accepted.
      const refusal = refuse(test) ?? refuseKnobs(spec.memory, test, settings, engine);
      if (refusal) return { tag: 'refused', backend: spec.name, ...refusal };
      const hwHooks = {
        signal: hooks.signal,
        onProgress: (done: number, total: number) =>
          hooks.onProgress?.(done / total, `${done} runs`),
      };
      // Stepped in this thread (without --engine, where the backend can), on --engine's
      // engine, or in this process (runOnEngine with no engine): the plan's settings as they
      // are; the runner there picks what they leave to it.
      const runs =
        spec.stepped && !engine
          ? await spec.stepped(test, settings, hwHooks)
          : await runOnEngine(engine, { test, settings, memory: spec.memory }, hwHooks);
      return { tag: runs.partial ? 'interrupted' : 'ran', backend: spec.name, runs };
    },
  };
}
