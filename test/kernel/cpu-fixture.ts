// Binds the test's own thread as a CPU over fresh shared memory, for the single-threaded
// semantics tests (what trylock returns, what a retry detects); the contention tests use
// real worker threads through the scenario runner instead.

import { bindCpu, type CpuContext } from '../../src/kernel/cpu.ts';
import { bindMemory, type MemoryOf } from '../../src/kernel/memory.ts';
import { cpu_relax } from '../../src/kernel/sched.ts';
import { layoutMemory, type MemorySpec, resetMemory } from '../../src/memory/cells.ts';
import { hostMemoryKind, memoryKind } from '../../src/memory/kinds.ts';
import { FENCE_CELL } from '../../src/memory/layout.ts';

export function bindTestCpu<const M extends MemorySpec>(
  spec: M,
  sliceMs = 1000,
): { m: MemoryOf<M>; ctx: CpuContext } {
  const layout = layoutMemory(spec, 1);
  const buf = new SharedArrayBuffer(layout.bytes);
  const m32 = new Int32Array(buf);
  resetMemory(layout, 0, (i, v) => {
    m32[i] = v;
  });
  const kind = memoryKind(hostMemoryKind());
  const cfg = { m: m32, fence: FENCE_CELL, cpu: 3, cpus: 4, seed: 1, relax: () => cpu_relax() };
  const mem = kind.create(cfg);
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const ctx: CpuContext = {
    id: 3,
    mem,
    mem64: kind.create64(cfg, mem),
    sliceMs,
    sliceEnd: performance.now() + sliceMs,
    spins: 0,
    shouldStop: () => false,
    sleep: (ms) => {
      Atomics.wait(sleeper, 0, 0, ms);
    },
  };
  bindCpu(ctx);
  return { m: bindMemory<M>(layout, 0, ctx.mem, ctx.mem64), ctx };
}
