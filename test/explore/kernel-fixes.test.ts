// Regression tests for the explorer's kernel API (issue 15, xrev3's findings fixed by xfix):
// F1 the non-returning 64-bit atomics (atomic64_add, atomic64_inc) are unordered, as their
// 32-bit twins (herd7's Noreturn), not fully ordered; the value-returning ones stay fully ordered.
// F2 an await that a finished CPU's last write leaves blocked is a deadlock even where an
// earlier write of that CPU would have let it out.
// F3 an rmw's operands are the int (int64) the cell holds: cmpxchg(x, 0x80000000, …) swaps.

import test from 'ava';
import { exploreVariant } from '../../src/explore/scenario.ts';
import {
  atomic_add_unless,
  atomic_read,
  atomic_set,
  atomic64_add,
  atomic64_add_return,
  atomic64_cmpxchg,
  atomic64_inc,
  atomic64_read,
  atomic64_set,
  atomic64_xchg,
  call_rcu,
  cmpxchg,
  cpu_relax,
  defineScenario,
  poll_state_synchronize_rcu,
  READ_ONCE,
  rcu_barrier,
  read_seqcount_begin,
  type Scenario,
  smp_cond_load_acquire,
  smp_load_acquire,
  smp_mb,
  smp_mb__after_atomic,
  smp_rmb,
  smp_store_release,
  start_poll_synchronize_rcu,
  WRITE_ONCE,
  write_seqcount_begin,
  write_seqcount_end,
} from '../../src/kernel/index.ts';
import { bindMemory, type MemoryOf } from '../../src/kernel/memory.ts';
import { layoutMemory, resetMemory, wordLocations } from '../../src/memory/cells.ts';
import { MEMORY_KIND_NAMES } from '../../src/memory/kinds.ts';
import { CELL_BYTES, MEMORY_BASE } from '../../src/memory/layout.ts';
import { bindCpu0, kindMemory } from '../kernel/cpu-fixture.ts';
import { explore, MODELS, modelText } from './tiny-scenario.ts';

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

test('atomic64_add/inc add, and rmw operands wrap as C, on every memory object', (t) => {
  for (const kind of MEMORY_KIND_NAMES) {
    const spec = {
      a: { type: 'atomic64_t', init: 0xffff_ffffn },
      x: 'int',
      v: 'atomic_t',
    } as const;
    const layout = layoutMemory(spec, 1);
    const { locations, locationOf } = wordLocations(layout);
    const m = new Int32Array(layout.bytes / CELL_BYTES);
    resetMemory(layout, 0, (i, v) => {
      m[i] = v;
    });
    const [mem, mem64] = kindMemory(kind, m, {
      dataBase: MEMORY_BASE,
      instanceStride: layout.stride,
      varStride: 1,
      variables: locations,
      locationOf,
    });
    bindCpu0(mem, mem64);
    const h = bindMemory(layout, 0, mem, mem64) as unknown as MemoryOf<{
      a: 'atomic64_t';
      x: 'int';
      v: 'atomic_t';
    }>;
    atomic64_inc(h.a);
    t.is(atomic64_read(h.a), 1n << 32n, kind);
    atomic64_add(-(1n << 33n), h.a);
    t.is(atomic64_read(h.a), -(1n << 32n), kind);
    // F3: the operands as the cell's int
    WRITE_ONCE(h.x, 0x80000000);
    t.is(cmpxchg(h.x, 0x80000000, 1), -0x80000000, kind);
    t.is(READ_ONCE(h.x), 1, kind);
    atomic_set(h.v, 0x80000000);
    t.false(atomic_add_unless(h.v, 1, 0x80000000), kind);
    t.is(atomic_read(h.v), -0x80000000, kind);
    atomic64_set(h.a, 1n << 63n);
    t.is(atomic64_cmpxchg(h.a, 1n << 63n, 5n), -(1n << 63n), kind);
    t.is(atomic64_read(h.a), 5n, kind);
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

for (const model of MODELS)
  test(`an await a finished CPU set then reset is a deadlock under ${model}; set only is not`, (t) => {
    const w = explore(WINDOW, model, 'window');
    t.deepEqual(
      w.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind, b.value]),
      [[0, 'read', 0]],
    );
    t.deepEqual(w.stats.deadlock?.finished, [1]);
    // the waiter that catches the window still finishes
    t.true(w.outcomes[0]!.executions > 0);
    for (const variant of ['set', 'reset']) {
      const v = explore(WINDOW, model, variant);
      t.is(v.stats.deadlock, undefined, variant);
      t.true(v.outcomes[0]!.executions > 0, variant);
      t.is(v.extent.kind, 'exhaustive', variant);
    }
  });

for (const model of MODELS)
  test(`a seqcount reader after a write section never ended waits for good under ${model}`, (t) => {
    const odd = explore(SEQ_ODD, model, 'odd');
    t.deepEqual(
      odd.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind, b.value]),
      [[1, 'read', 1]],
    );
    t.deepEqual(odd.stats.deadlock?.finished, [0]);
    const ended = explore(SEQ_ODD, model, 'ended');
    t.is(ended.stats.deadlock, undefined);
    t.is(ended.extent.kind, 'exhaustive');
  });

// F3: an rmw's operands are the int the cell holds, on every memory object: cmpxchg's expected
// value 0x80000000 is the int32 -2147483648 (as C and Atomics.compareExchange convert it), and
// a 64-bit value past 2^63 the int64 it wraps to (as BigInt64Array stores it).

/** One CPU: bit-31 values through cmpxchg and atomic_add_unless; 2^63 through atomic64_t. */
const WRAP: Scenario = defineScenario({
  name: 'rmw-operands-wrap',
  description: 'rmw operands outside int32 / int64',
  kind: 'iterations',
  memory: { x: 'int', v: 'atomic_t', a: 'atomic64_t' },
  variants: { only: 'one CPU' },
  threads: {
    p0(_cpu, m) {
      WRITE_ONCE(m.x, 0x80000000);
      const swapped = cmpxchg(m.x, 0x80000000, 1) === -0x80000000 && READ_ONCE(m.x) === 1;
      atomic_set(m.v, 0x80000000);
      const refused = !atomic_add_unless(m.v, 1, 0x80000000) && atomic_read(m.v) === -0x80000000;
      atomic64_set(m.a, 1n << 63n);
      const wrapped = atomic64_read(m.a) === -(1n << 63n);
      const swapped64 =
        atomic64_cmpxchg(m.a, 1n << 63n, 5n) === -(1n << 63n) && atomic64_read(m.a) === 5n;
      return [swapped, refused, wrapped, swapped64].map(Number);
    },
  },
  arbiter: (_m, r) => (r.p0!.every((x) => x === 1) ? 'as-c' : 'not-as-c'),
  outcomes: { 'as-c': 'acceptable', 'not-as-c': 'acceptable' },
});

for (const model of MODELS)
  test(`rmw operands are the int the cell holds under ${model} (bit 31, 2^63)`, (t) => {
    const v = explore(WRAP, model, 'only');
    t.deepEqual(
      v.outcomes.filter((o) => o.executions > 0).map((o) => o.outcome),
      ['as-c'],
    );
  });

// xrev3 note (c): a variant without a deadlock says `never` in the deadlock row only where the
// search is argued to meet every deadlock (sc, tso); under lkmm it says `none found`.
for (const model of MODELS)
  test(`the deadlock row of a variant without one under ${model}`, (t) => {
    const text = modelText(WINDOW, model, ['window', 'set']);
    const row = text.split('\n').find((l) => l.startsWith('deadlock'));
    const none =
      model === 'lkmm'
        ? /none found — exhaustive, \d+ executions?; not proven complete under lkmm$/
        : /never — exhaustive, \d+ executions?$/;
    t.regex(row ?? '', /DEADLOCK: waiter waits for good/);
    t.regex(row ?? '', none);
  });

// xrev3 note (d): a counted delay loop whose pass reads nothing is no possible livelock when it
// ends within 64 passes past the loop bound (run on by the search); one that does not is still
// labelled (the label cannot see its counter), as is a loop that spins on nothing for ever.
const DELAY: Scenario = defineScenario({
  name: 'delay-loop',
  description: 'a counted cpu_relax() loop, then a read',
  kind: 'iterations',
  memory: { g: 'int' },
  variants: {
    short: { description: '5 passes', stall: 'expected' },
    long: { description: '100 passes', stall: 'expected' },
  },
  threads: {
    p0(_cpu, m, variant) {
      for (let i = 0; i < (variant === 'short' ? 5 : 100); i++) cpu_relax();
      return READ_ONCE(m.g);
    },
    p1(_cpu, m) {
      WRITE_ONCE(m.g, 1);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

for (const model of MODELS)
  test(`a counted delay loop is no possible livelock under ${model} (within 64 passes past the bound)`, (t) => {
    const short = explore(DELAY, model, 'short');
    t.like(short.extent, { kind: 'bounded', loopBound: 3 });
    t.is(short.stats.livelock, undefined);
    const long = explore(DELAY, model, 'long');
    t.is(long.stats.livelock?.thread, 0);
  });

// xrev4 G1: a call_rcu() callback may run before its CPU's next 64-bit access, as before a
// 32-bit one (the kernel runs it at any interrupt exit after its grace period).
const CB_BEFORE_64: Scenario = defineScenario({
  name: 'call-rcu-then-atomic64',
  description: 'a callback sets f; the updater then sets w (atomic64_t)',
  kind: 'iterations',
  memory: { f: 'int', w: 'atomic64_t' },
  variants: { v: 'as written' },
  threads: {
    up(_cpu, m) {
      call_rcu(m.f, (f) => WRITE_ONCE(f, 1));
      atomic64_set(m.w, 1n);
      rcu_barrier();
    },
    rd(_cpu, m) {
      const f = READ_ONCE(m.f);
      smp_mb();
      return [f, Number(atomic64_read(m.w))];
    },
  },
  arbiter: (_m, r) => (r.rd![0] === 1 && r.rd![1] === 0 ? 'callback-first' : 'other'),
  outcomes: { 'callback-first': 'acceptable', other: 'acceptable' },
});

for (const model of MODELS)
  test(`a call_rcu() callback may run before the caller's next atomic64_set() under ${model}`, (t) => {
    const v = explore(CB_BEFORE_64, model, 'v');
    t.true(v.outcomes.find((o) => o.outcome === 'callback-first')!.executions > 0);
  });

// xrev4 G4: a polled grace period's cookie is global: one handed to another CPU does not name
// that CPU's own grace period (b's having ended says nothing of a's, started later).
const FOREIGN_COOKIE: Scenario = defineScenario({
  name: 'foreign-cookie',
  description: 'a hands its grace-period cookie to b, which polls its own first',
  kind: 'iterations',
  memory: { cookie: 'int' },
  variants: { v: 'as written' },
  threads: {
    a(_cpu, m) {
      const c = start_poll_synchronize_rcu();
      smp_store_release(m.cookie, c + 1);
    },
    b(_cpu, m) {
      const own = start_poll_synchronize_rcu();
      if (!poll_state_synchronize_rcu(own)) return 0;
      const ca = smp_load_acquire(m.cookie);
      if (ca === 0) return 0;
      return poll_state_synchronize_rcu(ca - 1) ? 1 : 2;
    },
  },
  arbiter: (_m, r) => (r.b![0] === 2 ? 'a-not-yet' : 'other'),
  outcomes: { 'a-not-yet': 'acceptable', other: 'acceptable' },
});

for (const model of MODELS)
  test(`another CPU's grace-period cookie is not this CPU's under ${model}`, (t) => {
    const v = explore(FOREIGN_COOKIE, model, 'v');
    t.true(v.outcomes.find((o) => o.outcome === 'a-not-yet')!.executions > 0);
  });
