// The weak memory object over a long-running scenario's memory, in one thread with scripted
// steps and seeded choices (deterministic: no timing): pf-invalidate-race's no-rmb window is
// the MP shape over its declared words (host_pfn[g], then seq++ after the TLB flush's
// smp_mb(); the fault reads seq, then host_pfn[g]). Without smp_rmb() some seeds read the new
// seq and the old pfn; with it none does. The scenario itself on real threads:
// scenarios.test.ts.

import test from 'ava';
import { layoutMemory, resetMemory, wordLocations } from '../../../src/memory/cells.ts';
import { CELL_BYTES, FENCE_CELL, MEMORY_BASE } from '../../../src/memory/layout.ts';
import type { MemoryOps } from '../../../src/memory/ops.ts';
import { WEAK_MEMORY, weakOps } from '../../../src/memory/weak/memory.ts';
import { loadScenario } from '../../../src/runtime/scenario/load.ts';

const SEEDS = 200;
const OLD = 1 << 8;
const NEW = 2 << 8;

/** Two weak CPUs (mm, vcpu) over fresh pf-invalidate-race memory; the cells of seq and host_pfn[2]. */
async function pfMemory(seed: number) {
  const s = await loadScenario('pf-invalidate-race');
  const layout = layoutMemory(s.memory, 1);
  const { locations, locationOf } = wordLocations(layout);
  const m = new Int32Array(layout.bytes / CELL_BYTES);
  resetMemory(layout, 0, (i, v) => {
    m[i] = v;
  });
  const side = new SharedArrayBuffer(WEAK_MEMORY.sideCells!(locations, 1) * CELL_BYTES);
  const instances = {
    dataBase: MEMORY_BASE,
    instanceStride: layout.stride,
    varStride: 1,
    variables: locations,
    locationOf,
    size: 1,
    side,
  };
  const cpu = (id: number): MemoryOps =>
    weakOps({ m, fence: FENCE_CELL, cpu: id, cpus: 2, seed, relax: () => {}, instances });
  const at = (name: string) => MEMORY_BASE + layout.cells.find((c) => c.name === name)!.offset;
  return { mm: cpu(0), vcpu: cpu(1), seq: at('mmu_invalidate_seq'), pfn: at('host_pfn') + 2 };
}

/** Seeds (of SEEDS) in which the fault read the bumped seq and then the old pfn. */
async function staleReads(rmb: boolean): Promise<number> {
  let stale = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const { mm, vcpu, seq, pfn } = await pfMemory(seed);
    mm.WRITE_ONCE(pfn, NEW);
    mm.smp_mb();
    mm.WRITE_ONCE(seq, mm.READ_ONCE(seq) + 1);
    const s = vcpu.READ_ONCE(seq);
    if (rmb) vcpu.smp_rmb();
    const p = vcpu.READ_ONCE(pfn);
    if (s === 1 && p === OLD) stale++;
  }
  return stale;
}

test('pf-invalidate-race memory on weak: the stale pfn read needs the missing smp_rmb()', async (t) => {
  t.is(await staleReads(true), 0, 'with smp_rmb: never the new seq and the old pfn');
  const without = await staleReads(false);
  t.log(`without smp_rmb: ${without} of ${SEEDS} seeds read the new seq and the old pfn`);
  t.true(without > 0, 'without smp_rmb: some seed reads the new seq and the old pfn');
});
