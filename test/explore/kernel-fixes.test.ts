// Regression tests for the explorer's kernel API (issue 15, xrev3's findings fixed by xfix):
// F1 the non-returning 64-bit atomics (atomic64_add, atomic64_inc) are unordered, as their
// 32-bit twins (herd7's Noreturn), not fully ordered; the value-returning ones stay fully ordered.
// F2 an await that a finished CPU's last write leaves blocked is a deadlock even where an
// earlier write of that CPU would have let it out.

import test from 'ava';
import { exploreVariant } from '../../src/explore/scenario.ts';
import { bindCpu } from '../../src/kernel/cpu.ts';
import {
  atomic64_add,
  atomic64_add_return,
  atomic64_inc,
  atomic64_read,
  atomic64_xchg,
  defineScenario,
  READ_ONCE,
  read_seqcount_begin,
  type Scenario,
  smp_cond_load_acquire,
  smp_mb__after_atomic,
  smp_rmb,
  WRITE_ONCE,
  write_seqcount_begin,
  write_seqcount_end,
} from '../../src/kernel/index.ts';
import { bindMemory } from '../../src/kernel/memory.ts';
import { layoutMemory, resetMemory, wordLocations } from '../../src/memory/cells.ts';
import { MEMORY_KIND_NAMES, memoryKind } from '../../src/memory/kinds.ts';
import { CELL_BYTES, FENCE_CELL, MEMORY_BASE } from '../../src/memory/layout.ts';
import type { ModelName } from '../../src/model/core/base.ts';

/** What exploreVariant says of `outcome` under lkmm: reachable (executions > 0) or not, and whether exhaustively. */
function lkmm(s: Scenario, variant: string, outcome: string): { reached: boolean; extent: string } {
  const v = exploreVariant(s, variant, { model: 'lkmm', timeoutMs: 60_000 });
  const o = v.outcomes.find((r) => r.outcome === outcome);
  return { reached: (o?.executions ?? 0) > 0, extent: v.extent.kind };
}

/**
 * SB through atomic64_t: each CPU adds to its own counter and reads the other's. The variants
 * say what the add is: atomic64_add (unordered), atomic64_inc (unordered), atomic64_add
 * followed by smp_mb__after_atomic() (fully ordered), atomic64_add_return (fully ordered).
 */
const SB64: Scenario = defineScenario({
  name: 'sb-atomic64',
  description: 'store buffering through atomic64_t adds',
  kind: 'iterations',
  memory: { x: 'atomic64_t', y: 'atomic64_t' },
  variants: {
    add: 'atomic64_add',
    inc: 'atomic64_inc',
    'add-mb': 'atomic64_add; smp_mb__after_atomic',
    'add-return': 'atomic64_add_return',
    xchg: 'atomic64_xchg',
  },
  threads: {
    p0(_cpu, m, variant) {
      bump(m.x, variant);
      return Number(atomic64_read(m.y));
    },
    p1(_cpu, m, variant) {
      bump(m.y, variant);
      return Number(atomic64_read(m.x));
    },
  },
  arbiter: (_m, r) => (r.p0![0] === 0 && r.p1![0] === 0 ? 'both0' : 'other'),
  outcomes: { both0: 'acceptable', other: 'acceptable' },
});

function bump(v: Parameters<typeof atomic64_add>[1], variant: string): void {
  if (variant === 'add') atomic64_add(1n, v);
  else if (variant === 'inc') atomic64_inc(v);
  else if (variant === 'add-mb') {
    atomic64_add(1n, v);
    smp_mb__after_atomic();
  } else if (variant === 'add-return') atomic64_add_return(1n, v);
  else atomic64_xchg(v, 1n);
}

for (const variant of ['add', 'inc'])
  test(`SB with atomic64_${variant}: both read 0 is reachable under lkmm (unordered, as atomic_${variant})`, (t) => {
    t.true(lkmm(SB64, variant, 'both0').reached);
  });

for (const variant of ['add-mb', 'add-return', 'xchg'])
  test(`SB with ${variant}: both read 0 is never, exhaustively, under lkmm (fully ordered)`, (t) => {
    t.deepEqual(lkmm(SB64, variant, 'both0'), { reached: false, extent: 'exhaustive' });
  });

/**
 * MP whose flag is an atomic64_t: WRITE_ONCE(x, 1); atomic64_add(1, y) || atomic64_read(y);
 * smp_rmb(); READ_ONCE(x). The add orders nothing: the reader may see the flag and a stale x;
 * with atomic64_add_return (fully ordered) it may not.
 */
const MP64: Scenario = defineScenario({
  name: 'mp-atomic64',
  description: 'message passing through an atomic64_add flag',
  kind: 'iterations',
  memory: { x: 'int', y: 'atomic64_t' },
  variants: { add: 'atomic64_add', 'add-return': 'atomic64_add_return' },
  threads: {
    writer(_cpu, m, variant) {
      WRITE_ONCE(m.x, 1);
      if (variant === 'add') atomic64_add(1n, m.y);
      else atomic64_add_return(1n, m.y);
    },
    reader(_cpu, m) {
      const flag = Number(atomic64_read(m.y));
      smp_rmb();
      return [flag, READ_ONCE(m.x)];
    },
  },
  arbiter: (_m, r) => (r.reader![0] === 1 && r.reader![1] === 0 ? 'stale' : 'other'),
  outcomes: { stale: 'acceptable', other: 'acceptable' },
});

test('MP with an atomic64_add flag: the stale read is reachable under lkmm', (t) => {
  t.true(lkmm(MP64, 'add', 'stale').reached);
});

test('MP with an atomic64_add_return flag: the stale read is never, exhaustively, under lkmm', (t) => {
  t.deepEqual(lkmm(MP64, 'add-return', 'stale'), { reached: false, extent: 'exhaustive' });
});

test('atomic64_add/inc add on every memory object (the 64-bit atomic_add), 64-bit carries included', (t) => {
  for (const kind of MEMORY_KIND_NAMES) {
    const spec = { a: { type: 'atomic64_t', init: 0xffff_ffffn } } as const;
    const layout = layoutMemory(spec, 1);
    const { locations, locationOf } = wordLocations(layout);
    const m = new Int32Array(layout.bytes / CELL_BYTES);
    resetMemory(layout, 0, (i, v) => {
      m[i] = v;
    });
    const k = memoryKind(kind);
    const side = k.sideCells?.(locations, 1);
    const cfg = {
      m,
      fence: FENCE_CELL,
      cpu: 0,
      cpus: 1,
      seed: 1,
      relax: () => {},
      ...(side !== undefined && {
        instances: {
          dataBase: MEMORY_BASE,
          instanceStride: layout.stride,
          varStride: 1,
          variables: locations,
          locationOf,
          size: 1,
          side: new SharedArrayBuffer(side * CELL_BYTES),
        },
      }),
    };
    const mem = k.create(cfg);
    const mem64 = k.create64(cfg, mem);
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
    const h = bindMemory(layout, 0, mem, mem64) as { a: Parameters<typeof atomic64_inc>[0] };
    atomic64_inc(h.a);
    t.is(atomic64_read(h.a), 1n << 32n, kind);
    atomic64_add(-(1n << 33n), h.a);
    t.is(atomic64_read(h.a), -(1n << 32n), kind);
  }
});

// F2: an await a finished thread's writes leave blocked, where an earlier write of theirs
// would have let it out (a window the waiter may miss), is a deadlock: the waiter may read the
// location's last write, and then it waits for good.

/** p0 waits for f == 1; p1 sets f to 1 and back to 0 (window), or only to 1 (set). */
const WINDOW: Scenario = defineScenario({
  name: 'await-window',
  description: 'an await on a flag set and reset by a CPU that finishes',
  kind: 'iterations',
  memory: { f: 'int' },
  variants: { window: 'set then reset', set: 'set only', reset: 'reset, then set' },
  threads: {
    waiter(_cpu, m) {
      smp_cond_load_acquire(m.f, (v) => v === 1);
    },
    setter(_cpu, m, variant) {
      if (variant === 'reset') WRITE_ONCE(m.f, 0);
      WRITE_ONCE(m.f, 1);
      if (variant === 'window') WRITE_ONCE(m.f, 0);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

/** A seqcount writer that never ends its write (sequence left odd) and a reader. */
const SEQ_ODD: Scenario = defineScenario({
  name: 'seqcount-odd',
  description: 'a seqcount write section never ended',
  kind: 'iterations',
  memory: { s: 'seqcount_t', a: 'int' },
  variants: { odd: 'no write_seqcount_end', ended: 'write_seqcount_end' },
  threads: {
    writer(_cpu, m, variant) {
      write_seqcount_begin(m.s);
      WRITE_ONCE(m.a, 1);
      if (variant === 'ended') write_seqcount_end(m.s);
    },
    reader(_cpu, m) {
      const seq = read_seqcount_begin(m.s);
      return [seq, READ_ONCE(m.a)];
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

const MODELS: ModelName[] = ['sc', 'tso', 'lkmm'];

for (const model of MODELS)
  test(`an await a finished CPU set then reset is a deadlock under ${model}; set only is not`, (t) => {
    const w = exploreVariant(WINDOW, 'window', { model, timeoutMs: 60_000 });
    t.deepEqual(
      w.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind, b.value]),
      [[0, 'read', 0]],
    );
    t.deepEqual(w.stats.deadlock?.finished, [1]);
    // the waiter that catches the window still finishes
    t.true(w.outcomes[0]!.executions > 0);
    for (const variant of ['set', 'reset']) {
      const v = exploreVariant(WINDOW, variant, { model, timeoutMs: 60_000 });
      t.is(v.stats.deadlock, undefined, variant);
      t.true(v.outcomes[0]!.executions > 0, variant);
      t.is(v.extent.kind, 'exhaustive', variant);
    }
  });

for (const model of MODELS)
  test(`a seqcount reader after a write section never ended waits for good under ${model}`, (t) => {
    const odd = exploreVariant(SEQ_ODD, 'odd', { model, timeoutMs: 60_000 });
    t.deepEqual(
      odd.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind, b.value]),
      [[1, 'read', 1]],
    );
    t.deepEqual(odd.stats.deadlock?.finished, [0]);
    const ended = exploreVariant(SEQ_ODD, 'ended', { model, timeoutMs: 60_000 });
    t.is(ended.stats.deadlock, undefined);
    t.is(ended.extent.kind, 'exhaustive');
  });
