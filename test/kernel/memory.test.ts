// Memory layout: every variable on its own cache line, array elements packed, 64-bit cells
// 8-byte aligned, copies disjoint, no two handles sharing a word; reset restores the initial
// values and leaves locks unlocked.

import test from 'ava';
import { bindMemory } from '../../src/kernel/memory.ts';
import { layoutMemory, resetMemory } from '../../src/memory/cells.ts';
import { FENCE_CELL, MEMORY_BASE } from '../../src/memory/layout.ts';
import { ops64 } from '../../src/memory/ops.ts';
import { x86Ops } from '../../src/memory/x86.ts';

const memOf = (m: Int32Array) =>
  x86Ops({ m, fence: FENCE_CELL, cpu: 0, cpus: 1, seed: 1, relax: () => {} });

const spec = {
  flag: 'int',
  lock: 'spinlock_t',
  rw: 'rwlock_t',
  sl: 'seqlock_t',
  v: { type: 'u64', init: -2n },
  refs: { type: 'atomic_t', init: 1 },
  pt: { type: 'int', length: 20, init: 7 },
  locks: { type: 'spinlock_t', length: 3 },
} as const;

/** Every 32-bit word a handle owns. */
function words(h: Record<string, unknown>): number[] {
  switch (h.type) {
    case 'u64':
    case 'atomic64_t':
      return [2 * (h.j as number), 2 * (h.j as number) + 1];
    case 'spinlock_t':
      return [h.i as number, h.waiters as number];
    case 'rwlock_t':
      return [h.cnts as number, ...words(h.wait_lock as Record<string, unknown>)];
    case 'seqlock_t':
      return [
        ...words(h.seqcount as Record<string, unknown>),
        ...words(h.lock as Record<string, unknown>),
      ];
    default:
      return [h.i as number];
  }
}

test('layout: one line per variable, arrays packed, stride a whole number of lines', (t) => {
  const l = layoutMemory(spec, 3);
  t.deepEqual(
    l.cells.map((c) => [c.name, c.offset]),
    [
      ['flag', 0],
      ['lock', 16],
      ['rw', 32],
      ['sl', 48],
      ['v', 64],
      ['refs', 80],
      ['pt', 96],
      ['locks', 128],
    ],
  );
  t.is(l.stride, 144);
  t.is(l.bytes, 4 * (MEMORY_BASE + 3 * 144));
});

test('handles: no word shared, none on the fence line, copies disjoint, u64 cells aligned', (t) => {
  const l = layoutMemory(spec, 2);
  const buf = new SharedArrayBuffer(l.bytes);
  const mem = memOf(new Int32Array(buf));
  const mem64 = ops64(new BigInt64Array(buf), new DataView(buf));
  const all: number[] = [];
  for (const k of [0, 1]) {
    const m = bindMemory<typeof spec>(l, k, mem, mem64);
    for (const h of Object.values(m)) {
      const hs = (Array.isArray(h) ? h : [h]) as Record<string, unknown>[];
      for (const x of hs) all.push(...words(x));
    }
    t.true(Number.isInteger(m.v.j) && m.v.i === 2 * m.v.j);
  }
  t.is(new Set(all).size, all.length, 'no two handles share a word');
  t.true(
    Math.min(...all) >= MEMORY_BASE,
    'the control lines (the fence cell among them) are left alone',
  );
  t.true(Math.max(...all) < l.bytes / 4);
});

test('reset: initial values back, locks unlocked, other copies untouched', (t) => {
  const l = layoutMemory(spec, 2);
  const buf = new SharedArrayBuffer(l.bytes);
  const m32 = new Int32Array(buf);
  const m64 = new BigInt64Array(buf);
  m32.fill(99);
  resetMemory(l, 1, (i, v) => {
    m32[i] = v;
  });
  const m = bindMemory<typeof spec>(l, 1, memOf(m32), ops64(m64, new DataView(buf)));
  t.is(m32[m.flag.i], 0);
  t.deepEqual([m32[m.lock.i], m32[m.lock.waiters], m32[m.rw.cnts], m32[m.sl.lock.i]], [0, 0, 0, 0]);
  t.is(m64[m.v.j], -2n);
  t.is(m32[m.refs.i], 1);
  t.deepEqual(
    m.pt.map((e) => m32[e.i]),
    Array(20).fill(7),
  );
  const m0 = bindMemory<typeof spec>(l, 0, memOf(m32), ops64(m64, new DataView(buf)));
  t.is(m32[m0.flag.i], 99, 'copy 0 not reset');
});
