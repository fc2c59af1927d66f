// The orders a weak CPU may run a thread in (src/memory/weak/reorder.ts): program order first; a store
// moves earlier only past plain/ONCE accesses of other named locations it does not depend on;
// fences, release/acquire, rmws, locks, branches and register addresses are walls.

import test from 'ava';
import type { Instr, Test } from '../../../src/litmus/ir.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import { threadOrders, withDependencyFences } from '../../../src/memory/weak/reorder.ts';

function thread0(body: string): Test {
  return parseLitmus(
    `C t\n{}\nP0(int *x, int *y, int *z) {\n  int r0;\n  int r1;\n${body}\n}\nexists (0:r0=0)\n`,
    't.litmus',
  );
}

/** Each order as a line of `kind:location` words (assignments and fences by kind). */
function shapes(t: Test): string[] {
  const word = (i: Instr): string =>
    i.kind === 'load' || i.kind === 'store'
      ? `${i.kind === 'load' ? 'R' : 'W'}${i.addr.kind === 'loc' ? i.addr.loc : `*${i.addr.reg}`}`
      : i.kind === 'fence'
        ? i.annot
        : i.kind;
  return threadOrders(t.threads[0]!, 1, 64).map((body) => body.map(word).join(' '));
}

test('program order first; independent stores to other locations move earlier', (t) => {
  const orders = shapes(
    thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*y, 1);\n  WRITE_ONCE(*z, 1);'),
  );
  t.is(orders[0], 'Rx Wy Wz');
  t.deepEqual([...orders].sort(), [
    'Rx Wy Wz',
    'Rx Wz Wy',
    'Wy Rx Wz',
    'Wy Wz Rx',
    'Wz Rx Wy',
    'Wz Wy Rx',
  ]);
});

test('never past a load of the same location, a data dependency, or a fence', (t) => {
  t.deepEqual(shapes(thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*x, 1);')), ['Rx Wx']);
  t.deepEqual(shapes(thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*y, r0);')), ['Rx Wy']);
  t.deepEqual(shapes(thread0('  WRITE_ONCE(*x, 1);\n  smp_wmb();\n  WRITE_ONCE(*y, 1);')), [
    'Wx wmb Wy',
  ]);
  t.deepEqual(shapes(thread0('  r0 = smp_load_acquire(x);\n  WRITE_ONCE(*y, 1);')), ['Rx Wy']);
  t.deepEqual(shapes(thread0('  WRITE_ONCE(*x, 1);\n  smp_store_release(y, 1);')), ['Wx Wy']);
});

test('an access through a register gets an smp_rmb() before it and stays in place', (t) => {
  const test0 = parseLitmus(
    'C t\n{ y=x; }\nP0(int *x, int **y) {\n  int *r0;\n  int r1;\n  r0 = READ_ONCE(*y);\n  r1 = READ_ONCE(*r0);\n}\nexists (0:r1=0)\n',
    't.litmus',
  );
  const body = withDependencyFences(test0.threads[0]!).body;
  t.deepEqual(
    body.map((i) => (i.kind === 'fence' ? i.annot : i.kind)),
    ['load', 'rmb', 'load'],
  );
});
