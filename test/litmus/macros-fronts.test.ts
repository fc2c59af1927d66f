// One semantics per primitive: every macro of the macro table, run once on one thread through
// both fronts — the code compiled from a litmus test, and the kernel API of program scenarios
// (src/kernel/index.ts; a macro it does not export runs as the memory-object primitive its row
// names, which is what such a kernel function would call) — on every registered memory object,
// from two initial values. Both fronts must leave the same value in memory and return the same
// value. Single-threaded, so deterministic: it checks what each primitive computes, not how it
// orders (ordering is the model's and the soundness tests' business).

import test from 'ava';
import * as kernel from '../../src/kernel/index.ts';
import { compileThread, observedRegisters } from '../../src/litmus/compile.ts';
import { MACROS, type MacroRow, macroReturns } from '../../src/litmus/macros.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { MEMORY_KIND_NAMES, type MemoryKindName } from '../../src/memory/kinds.ts';
import { computeLayout, FENCE_CELL } from '../../src/memory/layout.ts';
import { litmusOps } from '../../src/memory/litmus-ops.ts';
import type { MemoryOps, MemoryOps64 } from '../../src/memory/ops.ts';
import { bindCpu0, kindMemory } from '../kernel/cpu-fixture.ts';

/** The values the macro's `value` arguments take, in order (the second is cmpxchg's new value). */
const VALUES = [3, 9];

interface Outcome {
  x: number;
  r?: number;
}

function args(row: MacroRow): string[] {
  let next = 0;
  return row.args.map((k) =>
    k === 'lvalue' ? '*x' : k === 'pointer' ? 'x' : String(VALUES[next++]),
  );
}

/** A row's initial values: VALUES[0] (cmpxchg succeeds), VALUES[1] (add_unless refuses), and neither. */
function inits(row: MacroRow): number[] {
  if (row.event === 'lock' || row.event === 'unlock') return [row.event === 'lock' ? 0 : 1];
  if (row.event === 'trylock' || row.event === 'islocked') return [0, 1];
  return [VALUES[0]!, VALUES[1]!, 7];
}

/** The memory object of `kind` over m, and its 64-bit one; `x` is the one variable's cell (a kind with side memory, weak, sees one instance of one variable there). */
const makeMems = (kind: MemoryKindName, m: Int32Array, x: number): [MemoryOps, MemoryOps64] =>
  kindMemory(kind, m, { dataBase: x, instanceStride: 16, varStride: 16, variables: 1 });

const makeMem = (kind: MemoryKindName, m: Int32Array, x: number): MemoryOps =>
  makeMems(kind, m, x)[0];

function viaLitmus(name: string, row: MacroRow, init: number, kind: MemoryKindName): Outcome {
  const type =
    row.event === 'fence' || row.event === 'load' || row.event === 'store'
      ? 'int'
      : row.event === 'rmw'
        ? 'atomic_t'
        : 'spinlock_t';
  const call = `${name}(${args(row).join(', ')})`;
  const ret = macroReturns(row);
  const text = `C ${name}\n{ x=${init}; }\nP0(${type} *x) {\n  int r0;\n  ${ret ? `r0 = ${call}` : call};\n}\nexists (0:r0=0 /\\ x=0)\n`;
  const t = parseLitmus(text, `${name}.litmus`);
  const layout = computeLayout({
    size: 1,
    variables: t.locations.length,
    observedRegisters: [observedRegisters(t, 0).length],
    packed: false,
  });
  const m = new Int32Array(layout.cells);
  const mem = makeMem(kind, m, layout.dataBase);
  mem.init(layout.dataBase, init);
  const ops = litmusOps(mem, { offsets: [0], startInstance: () => undefined });
  new Function('ops', 'mem', compileThread(t, t.threads[0]!, layout).source)(ops, m)(1);
  mem.drain();
  const x = mem.final(layout.dataBase);
  return ret ? { x, r: m[layout.outBase[0]!]! } : { x };
}

function viaKernel(name: string, row: MacroRow, init: number, kind: MemoryKindName): Outcome {
  const m = new Int32Array(2 * FENCE_CELL);
  const i = 16;
  const [mem, mem64] = makeMems(kind, m, i);
  mem.init(i, init);
  bindCpu0(mem, mem64);
  const handle = { type: 'int', mem, i, waiters: i + 1 };
  let next = 0;
  const values = row.args.map((k) => (k === 'value' ? VALUES[next++]! : handle));
  const fn = (kernel as Record<string, unknown>)[name];
  const r = typeof fn === 'function' ? fn(...values) : viaMemoryObject(row, mem, i);
  mem.drain();
  return macroReturns(row) ? { x: mem.final(i), r: Number(r) } : { x: mem.final(i) };
}

/** What a kernel function for a row would call: its memory-object primitive. */
function viaMemoryObject(row: MacroRow, mem: MemoryOps, i: number): number | undefined {
  if (row.event !== 'rmw') throw new Error(`the kernel API has no function for a ${row.event} row`);
  const flavour = {
    mb: '',
    once: '_relaxed',
    noreturn: '_relaxed',
    acquire: '_acquire',
    release: '_release',
  }[row.annot as 'mb'];
  const value = (arg: number | undefined) =>
    arg === undefined
      ? undefined
      : VALUES[row.args.slice(0, arg).filter((k) => k === 'value').length]!;
  const a = row.operand ?? value(row.operandArg)!;
  const o = mem as unknown as Record<string, (...x: number[]) => number>;
  let old: number;
  let result: number;
  switch (row.op) {
    case 'xchg':
      old = o[`xchg${flavour}`]!(i, a);
      result = old;
      break;
    case 'cmpxchg':
      old = o[`cmpxchg${flavour}`]!(i, value(row.compareArg)!, a);
      result = old;
      break;
    case 'add':
    case 'sub': {
      const d = row.op === 'add' ? a : -a | 0;
      old = o[`atomic_fetch_add${flavour}`]!(i, d);
      result = row.result === 'new' ? (old + d) | 0 : old;
      break;
    }
    case 'add_unless':
      return mem.atomic_add_unless(i, a, value(row.compareArg)!);
  }
  if (row.test === '==0') return Number(result === 0);
  if (row.test === '<0') return Number(result < 0);
  return row.result === 'none' ? undefined : result;
}

/** What the threads backends refuse (src/backends/threads.ts): grace periods, RCU's and SRCU's. */
const REFUSED_ON_THREADS = new Set([
  'sync-rcu',
  'sync-srcu',
  'after-srcu-read-unlock',
  'srcu-lock',
  'srcu-unlock',
]);

const runnable = Object.entries(MACROS).filter(
  ([, row]) => !('annot' in row && REFUSED_ON_THREADS.has(row.annot)),
);

test('every macro computes the same through compiled litmus code and the kernel API, on every memory object', (t) => {
  const missing = runnable.filter(
    ([name]) => typeof (kernel as Record<string, unknown>)[name] !== 'function',
  );
  t.log(
    `${runnable.length} macros; ${missing.length} without a kernel API function (run as their memory-object primitive)`,
  );
  let compared = 0;
  for (const kind of MEMORY_KIND_NAMES) {
    for (const [name, row] of runnable) {
      for (const init of inits(row)) {
        const lit = viaLitmus(name, row, init, kind);
        const ker = viaKernel(name, row, init, kind);
        t.deepEqual(ker, lit, `${name} from x=${init} on ${kind}`);
        compared++;
      }
    }
  }
  t.true(compared >= runnable.length * MEMORY_KIND_NAMES.length);
});

test('the table rows compute what the kernel says they do (x86, a few by hand)', (t) => {
  const at = (name: string, init: number) => viaLitmus(name, MACROS[name]!, init, 'x86');
  t.deepEqual(at('atomic_fetch_add_relaxed', 7), { x: 10, r: 7 });
  t.deepEqual(at('atomic_sub_return', 7), { x: 4, r: 4 });
  t.deepEqual(at('cmpxchg_acquire', 3), { x: 9, r: 3 });
  t.deepEqual(at('cmpxchg', 7), { x: 7, r: 7 });
  t.deepEqual(at('atomic_add_unless', 9), { x: 9, r: 0 });
  t.deepEqual(at('atomic_add_unless', 7), { x: 10, r: 1 });
  t.deepEqual(at('atomic_dec_and_test', 1), { x: 0, r: 1 });
  t.deepEqual(at('spin_trylock', 1), { x: 1, r: 0 });
  t.deepEqual(at('spin_trylock', 0), { x: 1, r: 1 });
  t.deepEqual(at('spin_unlock', 1), { x: 0 });
});
