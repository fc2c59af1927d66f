import test from 'ava';
import { compileThread, observedRegisters } from '../../src/litmus/compile.ts';
import { type Expr, evalExpr, type Test } from '../../src/litmus/ir.ts';
import { computeLayout, FENCE_CELL } from '../../src/memory/layout.ts';
import { litmusOps } from '../../src/memory/litmus-ops.ts';
import { x86Ops } from '../../src/memory/x86.ts';
import {
  and,
  eq,
  load,
  loc,
  makeTest,
  regKey,
  sb,
  store,
  thread,
  val,
} from '../runtime/fixtures.ts';

const layoutFor = (t: Test, size = 100) =>
  computeLayout({
    size,
    variables: t.locations.length,
    observedRegisters: t.threads.map((th) => observedRegisters(t, th.id).length),
    packed: false,
  });

const SB_P0 = `// P0, compiled by smplab: registers are numbered, locations are cell offsets
'use strict';
const { load_once, start_instance, store_once } = ops;
return function P0(n) {
  for (let k = 0, c = 1168, o = 4496; k < n; k++, c += 32, o += 1) {
    start_instance(k, c);
    let reg0 = 0;
    store_once(c + 0, 1);
    reg0 = load_once(c + 16);
    mem[o + 0] = reg0;
  }
};
`;

test('the code generated for SB+poonceonces P0 is pinned', (t) => {
  const sbTest = sb(false);
  t.is(compileThread(sbTest, sbTest.threads[0]!, layoutFor(sbTest)).source, SB_P0);
});

test('SB P1 differs from P0 only in its offsets and out cells', (t) => {
  const sbTest = sb(false);
  const p1 = compileThread(sbTest, sbTest.threads[1]!, layoutFor(sbTest)).source;
  t.true(p1.includes('store_once(c + 16, 1);\n    reg0 = load_once(c + 0);'));
  t.true(p1.includes('o = 4608;'));
});

test('no name from the test reaches the generated code', (t) => {
  const names = [
    'constructor',
    '__proto__',
    'process$exit',
    'x);process.exit(1);(',
    'globalThis',
    'r_evil',
  ];
  const [x, y, , , , r] = names;
  const weird = sb(false, x!, y!, r!);
  weird.locations.push(
    { name: names[2]!, type: 'int', init: 5 },
    { name: names[3]!, type: 'int', init: 0 },
  );
  weird.threads[0]!.body.push(store(loc(names[3]!), 2), load(names[4]!, loc(names[2]!)));
  weird.threads[0]!.registers.push({ name: names[4]!, type: 'int' });
  for (const th of weird.threads) {
    const src = compileThread(weird, th, layoutFor(weird)).source;
    for (const n of names) t.false(src.includes(n), `${n} appears in the code of P${th.id}`);
    t.regex(src, /^[\w\s'(){},;=+<.\-/:[\]]*$/, 'only identifiers, integers and punctuation');
  }
});

/** Run a compiled single thread once, in this process, and return its observed registers. */
function runOnce(t: Test): number[] {
  const layout = layoutFor(t, 1);
  const m = new Int32Array(layout.cells);
  t.locations.forEach((l, v) => {
    m[layout.dataBase + layout.offsets[v]!] = l.init;
  });
  const mem = x86Ops({ m, fence: FENCE_CELL, cpu: 0, cpus: 1, seed: 1, relax: () => {} });
  const ops = litmusOps(mem, {
    offsets: layout.offsets,
    startInstance: () => undefined,
  });
  new Function('ops', 'mem', compileThread(t, t.threads[0]!, layout).source)(ops, m)(1);
  return observedRegisters(t, 0).map((_, j) => m[layout.outBase[0]! + j]!);
}

test('compiled expressions compute what evalExpr computes', (t) => {
  const r = (reg: string): Expr => ({ kind: 'reg', reg });
  const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({
    kind: 'binary',
    op,
    left,
    right,
  });
  const exprs: Expr[] = [
    bin('+', val(0x7fffffff), val(1)),
    bin('-', val(-5), r('a')),
    bin('*', val(65537), val(65537)),
    bin('^', bin('&', val(12), val(10)), bin('|', val(1), val(4))),
    bin('&&', val(3), bin('<=', r('a'), val(2))),
    bin('||', val(0), bin('!=', r('a'), val(3))),
    { kind: 'unary', op: '!', arg: r('a') },
    { kind: 'unary', op: '-', arg: val(-0x80000000) },
    { kind: 'unary', op: '~', arg: r('a') },
    { kind: 'addr', loc: 'x' },
  ];
  for (const e of exprs) {
    const th = thread(
      0,
      ['x'],
      ['a', 'out'],
      [{ kind: 'assign', dst: 'out', value: e, pos: { line: 1, col: 1 } }],
    );
    th.registerInit = new Map([['a', 3]]);
    const one = makeTest('E', ['x'], [th], eq(regKey(0, 'out'), 0));
    const expected = evalExpr(
      e,
      (n) => (n === 'a' ? 3 : 0),
      () => 0x4000_0000,
    );
    t.deepEqual(runOnce(one), [expected], JSON.stringify(e));
  }
});

test('rmw results: old, new, tested, add_unless', (t) => {
  const pos = { line: 1, col: 1 };
  const x = loc('x');
  const rmw = (
    dst: string,
    op: 'xchg' | 'cmpxchg' | 'add' | 'sub' | 'add_unless',
    operand: number,
    result: 'old' | 'new' | 'added',
    extra: object = {},
  ) =>
    ({
      kind: 'rmw',
      op,
      annot: 'mb',
      addr: x,
      operand: val(operand),
      result,
      dst,
      pos,
      ...extra,
    }) as const;
  const body = [
    rmw('a', 'xchg', 7, 'old'), // x: 1 → 7, a = 1
    rmw('b', 'cmpxchg', 9, 'old', { compare: val(7) }), // x: 7 → 9, b = 7
    rmw('c', 'add', 1, 'new'), // x: 10, c = 10
    rmw('d', 'sub', 10, 'new', { test: '==0' }), // x: 0, d = 1
    rmw('e', 'add_unless', 5, 'added', { compare: val(0) }), // x stays 0, e = 0
    rmw('f', 'add_unless', 5, 'added', { compare: val(3) }), // x: 5, f = 1
    load('g', x),
  ];
  const regs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const one = makeTest(
    'R',
    ['x'],
    [thread(0, ['x'], regs, body)],
    and(...regs.map((n) => eq(regKey(0, n), 0))),
  );
  one.locations[0]!.init = 1;
  t.deepEqual(runOnce(one), [7 - 6, 7, 10, 1, 0, 1, 5]);
});
