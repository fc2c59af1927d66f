// One CPU of a program scenario, inside its worker: import the scenario, bind this CPU (its
// memory object is picked here, once), then run the thread body — once per memory copy per
// batch ('iterations', with the arbiter on CPU 0 between batches) or once for the whole budget
// ('long-running'). Everything it counts goes to the shared stats buffer (buffers.ts).
// The main thread's side (pool, watchdog, totals) is scenario/run.ts.

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { bindCpu, type Cpu, type CpuContext } from '../../kernel/cpu.ts';
import { bindMemory } from '../../kernel/memory.ts';
import {
  MAX_RESULTS,
  type Results,
  type Scenario,
  type ThreadResult,
} from '../../kernel/scenario.ts';
import { cpu_relax, ktime_get_ns } from '../../kernel/sched.ts';
import { instanceBase, type MemoryLayout, resetMemory } from '../../memory/cells.ts';
import { type MemoryKindName, memoryKind } from '../../memory/kinds.ts';
import { FENCE_CELL, STARTED_CELL, STOP_CELL } from '../../memory/layout.ts';
import type { InstanceLayout, MemoryOps } from '../../memory/ops.ts';
import { COMPILED } from '../../own-modules.ts';
import { abortAll, type BarrierKind, StartBarrier } from '../barrier.ts';
import {
  DONE,
  HEARTBEAT,
  metricNames,
  PHASE,
  PHASE_BARRIER,
  PHASE_BODY,
  resultSlot,
  SLEEP_CELL,
  type StatsLayout,
  threadBlock,
} from './buffers.ts';
import { HISTOGRAM_WORDS, record } from './histogram.ts';
import { NoteWriter } from './notes.ts';
import { overlappedCopies, sharedNow } from './overlap.ts';
import { prepareUserModule } from './user-modules.ts';

/** What the main thread sends each worker. */
export interface ScenarioTask {
  file: string;
  exportName: string;
  variant: string;
  thread: number;
  /** The memory object this CPU creates (src/memory/kinds.ts). */
  memory: MemoryKindName;
  seed: number;
  barrier: BarrierKind;
  /** Stop after this many iterations ('iterations' kind), if the time has not run out first. */
  iterations: number | undefined;
  sliceMicros: number;
  memoryLayout: MemoryLayout;
  stats: StatsLayout;
  controlBuffer: SharedArrayBuffer;
  statsBuffer: SharedArrayBuffer;
  memoryBuffer: SharedArrayBuffer;
  /** For a memory object with side memory (weak): the copies as instances. */
  instances?: InstanceLayout;
}

/**
 * Load the scenario a task names, in the module system this worker's src/kernel lives in, so
 * that the scenario gets that same instance — the one bindCpu() binds. From the TypeScript
 * sources, piscina loads this worker's entry with require() (tsx compiles it to CommonJS), so:
 * require(). (A dynamic import() would also miss tsx's ESM loader, which Node 20 does not carry
 * into worker threads.) Compiled, everything is an ES module: import(), after
 * prepareUserModule (tsx for a user's TypeScript, registered by this worker itself: an --import
 * in the worker's execArgv is not carried into worker threads by Node 20).
 */
export async function importScenario(file: string, exportName: string): Promise<Scenario> {
  await prepareUserModule(file);
  const mod = (
    COMPILED ? await import(pathToFileURL(file).href) : createRequire(import.meta.url)(file)
  ) as Record<string, unknown>;
  const s = mod[exportName] as Scenario | undefined;
  if (!s || !Array.isArray(s.threads))
    throw new Error(`${file}: export ${exportName} is not a defineScenario() result`);
  return s;
}

/** Run one thread of one variant; resolves when it has finished (or throws its error). */
export async function runScenarioCpu(task: ScenarioTask): Promise<void> {
  const s = await importScenario(task.file, task.exportName);
  const control = new Int32Array(task.controlBuffer);
  const cpu = new CpuState(s, task, control, new Float64Array(task.statsBuffer));
  const ctx = makeContext(task, control);
  bindCpu(ctx);
  const copies = Array.from({ length: task.memoryLayout.instances }, (_, k) =>
    bindMemory(task.memoryLayout, k, ctx.mem, ctx.mem64),
  );
  const barrier = new StartBarrier(control, s.threads.length, task.barrier);
  const body = s.threads[task.thread]!;
  Atomics.add(control, STARTED_CELL, 1);
  try {
    if (s.kind === 'iterations') {
      runIterations(s, task, cpu, barrier, copies, ctx.mem);
    } else {
      if (cpu.atBarrier(() => barrier.wait()) !== 0) return;
      ctx.sliceEnd = performance.now() + ctx.sliceMs;
      ctx.mem.begin_instance(instanceBase(task.memoryLayout, 0));
      cpu.store(0, body.run(cpu, copies[0]! as never, task.variant));
      ctx.mem.drain();
      Atomics.store(control, cpu.block + DONE, 1);
      cpu.atBarrier(() => barrier.wait());
      if (task.thread === 0 && s.arbiter)
        cpu.observe(s.arbiter(copies[0] as never, cpu.results(0), task.variant, cpu));
    }
  } catch (e) {
    abortAll(control);
    throw e;
  } finally {
    Atomics.store(control, cpu.block + DONE, 1);
  }
}

function makeContext(task: ScenarioTask, control: Int32Array): CpuContext {
  const kind = memoryKind(task.memory);
  const cfg = {
    m: new Int32Array(task.memoryBuffer),
    fence: FENCE_CELL,
    cpu: task.thread,
    cpus: task.stats.threads,
    seed: task.seed,
    // spin_lock()'s wait and a grace period's are the kernel's: cpu_relax() each pass
    relax: () => cpu_relax(),
    ...(task.instances && { instances: task.instances }),
  };
  const mem = kind.create(cfg);
  const mem64 = kind.create64(cfg, mem);
  const sliceMs = task.sliceMicros / 1000;
  return {
    id: task.thread,
    mem,
    mem64,
    sliceMs,
    sliceEnd: performance.now() + sliceMs,
    spins: 0,
    shouldStop: () => Atomics.load(control, STOP_CELL) !== 0,
    sleep: (ms) => {
      // Waits for nothing: SLEEP_CELL stays 0 and nobody notifies it, so this is a timed sleep.
      Atomics.wait(control, SLEEP_CELL, 0, ms);
    },
  };
}

/** The batch loop: start together, run every copy, meet again, CPU 0 judges and resets. */
function runIterations(
  s: Scenario,
  task: ScenarioTask,
  cpu: CpuState,
  barrier: StartBarrier,
  copies: readonly unknown[],
  mem: MemoryOps,
): void {
  const run = s.threads[task.thread]!.run;
  const arbiter = s.arbiter!;
  const l = task.stats;
  const times = cpu.stats.subarray(l.timesAt, l.timesAt + 2 * l.threads);
  let iterations = 0;
  for (let batch = 1; ; batch++) {
    if (cpu.atBarrier(() => barrier.wait()) !== 0) return;
    times[2 * task.thread] = sharedNow();
    for (let k = 0; k < copies.length; k++) {
      mem.begin_instance(instanceBase(task.memoryLayout, k));
      cpu.store(k, run(cpu, copies[k] as never, task.variant));
    }
    times[2 * task.thread + 1] = sharedNow();
    mem.drain();
    cpu.progress(`finished batch ${batch}`);
    cpu.atBarrier(() => barrier.wait());
    if (task.thread !== 0) continue;
    for (let k = 0; k < copies.length; k++) {
      cpu.observe(arbiter(copies[k] as never, cpu.results(k), task.variant, cpu));
      resetMemory(task.memoryLayout, k, mem.init);
    }
    iterations += copies.length;
    cpu.stats[l.iterationsAt] = iterations;
    cpu.stats[l.overlapAt]! += overlappedCopies(times, l.threads, copies.length);
    // The stop decision is taken at the next start barrier, so every thread sees this one.
    if (task.iterations !== undefined && iterations >= task.iterations)
      Atomics.store(cpu.control, STOP_CELL, 1);
  }
}

/** The `cpu` a thread body receives: identity and instruments writing to shared memory. */
class CpuState implements Cpu {
  readonly id: number;
  readonly name: string;
  readonly instance = 'stress';
  readonly block: number;
  private readonly outcomeIndex: Map<string, number>;
  private readonly counterIndex: Map<string, number>;
  private readonly latencyIndex: Map<string, number>;
  private readonly statsAt: number;
  private lastNote: string | undefined;
  private readonly note: NoteWriter;

  constructor(
    private readonly s: Scenario,
    private readonly task: ScenarioTask,
    readonly control: Int32Array,
    readonly stats: Float64Array,
  ) {
    this.id = task.thread;
    this.name = s.threads[task.thread]!.name;
    this.block = threadBlock(task.thread);
    this.note = new NoteWriter(control, task.thread);
    this.statsAt = task.thread * task.stats.threadWords;
    this.outcomeIndex = new Map(s.outcomes.map((o, i) => [o.name, i]));
    this.counterIndex = new Map(metricNames(s, 'counter').map((n, i) => [n, i]));
    this.latencyIndex = new Map(metricNames(s, 'latency').map((n, i) => [n, i]));
  }

  progress(note?: string): void {
    Atomics.add(this.control, this.block + HEARTBEAT, 1);
    if (note === undefined || note === this.lastNote) return;
    this.lastNote = note;
    this.note.write(note);
  }

  observe(outcome: string): void {
    const i = this.outcomeIndex.get(outcome);
    if (i === undefined)
      throw this.undeclared(
        'outcome',
        outcome,
        this.s.outcomes.map((o) => o.name),
      );
    this.stats[this.statsAt + this.task.stats.outcomeAt + i]! += 1;
  }

  count(counter: string, n = 1): void {
    const i = this.counterIndex.get(counter);
    if (i === undefined) throw this.undeclared('counter', counter, [...this.counterIndex.keys()]);
    this.stats[this.statsAt + this.task.stats.counterAt + i]! += n;
  }

  latency(histogram: string, ns: number): void {
    const i = this.latencyIndex.get(histogram);
    if (i === undefined)
      throw this.undeclared('latency metric', histogram, [...this.latencyIndex.keys()]);
    record(this.stats, this.statsAt + this.task.stats.latencyAt + i * HISTOGRAM_WORDS, ns);
  }

  /** The lab's latency stamp: ktime_get_ns(), the host's clock here (Cpu.stamp). */
  stamp(): number {
    return ktime_get_ns();
  }

  /** Run a barrier wait with the phase set, so that the watchdog can tell waiting from stuck. */
  atBarrier(wait: () => number): number {
    Atomics.store(this.control, this.block + PHASE, PHASE_BARRIER);
    const decision = wait();
    Atomics.store(this.control, this.block + PHASE, PHASE_BODY);
    return decision;
  }

  /** Keep what the body returned for memory copy k, for the arbiter. */
  store(k: number, r: ThreadResult): void {
    const at = resultSlot(this.task.stats, k, this.id);
    if (r === undefined) {
      this.stats[at] = 0;
    } else if (typeof r === 'number') {
      this.stats[at] = 1;
      this.stats[at + 1] = r;
    } else {
      if (r.length > MAX_RESULTS)
        throw new Error(
          `${this.name}: returned ${r.length} numbers, more than MAX_RESULTS (${MAX_RESULTS})`,
        );
      this.stats[at] = r.length;
      for (let w = 0; w < r.length; w++) this.stats[at + 1 + w] = r[w]!;
    }
  }

  /** What every thread returned for memory copy k, by thread name. */
  results(k: number): Results {
    const out: Record<string, number[]> = {};
    this.s.threads.forEach((t, i) => {
      const at = resultSlot(this.task.stats, k, i);
      out[t.name] = Array.from(this.stats.subarray(at + 1, at + 1 + this.stats[at]!));
    });
    return out;
  }

  private undeclared(what: string, name: string, declared: readonly string[]): Error {
    return new Error(
      `scenario ${this.s.name}: ${this.name} recorded ${what} "${name}", which the scenario does not declare (declared: ${declared.map((d) => `"${d}"`).join(', ') || 'none'})`,
    );
  }
}
