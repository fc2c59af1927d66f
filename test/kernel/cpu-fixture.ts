// Binds the test's own thread as a CPU over fresh shared memory, for the single-threaded
// semantics tests (what trylock returns, what a retry detects); the contention tests use
// real worker threads through the scenario runner instead.

import { bindCpu, type CpuContext } from '../../src/kernel/cpu.ts';
import { bindMemory, type MemoryOf } from '../../src/kernel/memory.ts';
import { cpu_relax } from '../../src/kernel/sched.ts';
import { layoutMemory, type MemorySpec, resetMemory } from '../../src/memory/cells.ts';
import { hostMemoryKind, type MemoryKindName, memoryKind } from '../../src/memory/kinds.ts';
import { CELL_BYTES, FENCE_CELL } from '../../src/memory/layout.ts';
import type { InstanceLayout, MemoryOps, MemoryOps64 } from '../../src/memory/ops.ts';

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

/**
 * The memory object of `kind` over `m` for CPU 0 of 1, and its 64-bit one; a kind with side
 * memory (weak) sees one instance laid out as `instances` says, and the side cells it asks for.
 */
export function kindMemory(
  kind: MemoryKindName,
  m: Int32Array,
  instances: Omit<InstanceLayout, 'size' | 'side'>,
): [MemoryOps, MemoryOps64] {
  const k = memoryKind(kind);
  const side = k.sideCells?.(instances.variables, 1);
  const cfg = {
    m,
    fence: FENCE_CELL,
    cpu: 0,
    cpus: 1,
    seed: 1,
    relax: () => {},
    ...(side !== undefined && {
      instances: { ...instances, size: 1, side: new SharedArrayBuffer(side * CELL_BYTES) },
    }),
  };
  const mem = k.create(cfg);
  return [mem, k.create64(cfg, mem)];
}

/** Binds the test's own thread as CPU 0 over `mem`: its slice does not end in a test, and it never sleeps. */
export function bindCpu0(mem: MemoryOps, mem64: MemoryOps64): void {
  bindCpu({
    id: 0,
    mem,
    mem64,
    sliceMs: 1000,
    sliceEnd: performance.now() + 1000,
    spins: 0,
    shouldStop: () => false,
    sleep: () => {},
  });
}
