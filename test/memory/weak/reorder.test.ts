// The orders a weak CPU may run a thread in (src/memory/weak/reorder.ts, after rewrite.ts): program order first;
// an access moves earlier past what LKMM does not order it after, and never past a dependency,
// the same location, a fence of its kind, an acquire, a wall; a branch is a unit.

import test from 'ava';
import type { Instr, Test } from '../../../src/litmus/ir.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import { threadOrders } from '../../../src/memory/weak/reorder.ts';
import { placeAtomicFences, withDependencyFences } from '../../../src/memory/weak/rewrite.ts';

function thread0(body: string, init = '', params = 'int *x, int *y, int *z'): Test {
  return parseLitmus(
    `C t\n{${init}}\nP0(${params}) {\n  int r0;\n  int r1;\n${body}\n}\nexists (0:r0=0)\n`,
    't.litmus',
  );
}

/** An instruction as a word: Rx, Wy, Rx:r0 for an rmw, fences by annotation, if(...) for a branch. */
function word(i: Instr): string {
  if (i.kind === 'load' || i.kind === 'store')
    return `${i.kind === 'load' ? 'R' : 'W'}${i.addr.kind === 'loc' ? i.addr.loc : `*${i.addr.reg}`}`;
  if (i.kind === 'rmw') return `U${i.addr.kind === 'loc' ? i.addr.loc : '*'}`;
  if (i.kind === 'fence') return i.annot;
  if (i.kind === 'branch') return `if(${i.then.map(word).join(' ')})`;
  return i.kind;
}

/** Every order of P0 (up to 64), as lines of words, sorted. */
function shapes(t: Test): string[] {
  return threadOrders(t, t.threads[0]!, 1, 64).map((body) => body.map(word).join(' '));
}

test('program order first; independent accesses to other locations change places', (t) => {
  const orders = threadOrders(
    thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*y, 1);\n  WRITE_ONCE(*z, 1);'),
    thread0('').threads[0]!,
    1,
  );
  t.is(orders.length, 1, 'an empty thread has one order');
  const all = shapes(thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*y, 1);\n  WRITE_ONCE(*z, 1);'));
  t.is(all[0], 'Rx Wy Wz');
  t.deepEqual([...all].sort(), [
    'Rx Wy Wz',
    'Rx Wz Wy',
    'Wy Rx Wz',
    'Wy Wz Rx',
    'Wz Rx Wy',
    'Wz Wy Rx',
  ]);
});

test('never past the same location, a dependency, an acquire, a release or a full fence', (t) => {
  t.deepEqual(shapes(thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*x, 1);')), ['Rx Wx']);
  t.deepEqual(shapes(thread0('  r0 = READ_ONCE(*x);\n  WRITE_ONCE(*y, r0);')), ['Rx Wy']);
  t.deepEqual(shapes(thread0('  r0 = smp_load_acquire(x);\n  WRITE_ONCE(*y, 1);')), ['Rx Wy']);
  t.deepEqual(shapes(thread0('  WRITE_ONCE(*x, 1);\n  smp_store_release(y, 1);')), ['Wx Wy']);
  t.deepEqual(shapes(thread0('  WRITE_ONCE(*x, 1);\n  smp_mb();\n  r0 = READ_ONCE(*y);')), [
    'Wx mb Ry',
  ]);
  t.deepEqual(shapes(thread0('  r0 = xchg(x, 1);\n  WRITE_ONCE(*y, 1);')), ['Ux Wy']);
});

test('smp_wmb() keeps stores, smp_rmb() loads: a load passes the one, a store the other', (t) => {
  t.deepEqual(shapes(thread0('  WRITE_ONCE(*x, 1);\n  smp_wmb();\n  WRITE_ONCE(*y, 1);')), [
    'Wx wmb Wy',
  ]);
  t.deepEqual(shapes(thread0('  r0 = READ_ONCE(*x);\n  smp_rmb();\n  r1 = READ_ONCE(*y);')), [
    'Rx rmb Ry',
  ]);
  t.true(
    shapes(thread0('  r0 = READ_ONCE(*x);\n  smp_rmb();\n  WRITE_ONCE(*y, 1);')).includes(
      'Wy Rx rmb',
    ),
    'a store goes before smp_rmb() and the load before it',
  );
  t.true(
    shapes(thread0('  WRITE_ONCE(*x, 1);\n  smp_wmb();\n  r0 = READ_ONCE(*y);')).includes(
      'Ry Wx wmb',
    ),
  );
});

test('a store after an if passes the if; a store inside stays inside, after the load', (t) => {
  const orders = shapes(
    thread0(
      '  r0 = READ_ONCE(*x);\n  if (r0 == 1) {\n    WRITE_ONCE(*y, 1);\n  }\n  WRITE_ONCE(*z, 1);',
    ),
  );
  t.true(orders.includes('Wz Rx if(Wy)'), orders.join(' | '));
  t.false(orders.some((o) => o.startsWith('if')));
  t.false(
    shapes(
      thread0(
        '  r0 = READ_ONCE(*x);\n  if (r0 == 1) {\n    WRITE_ONCE(*z, 1);\n  }\n  WRITE_ONCE(*z, 2);',
      ),
    ).some((o) => o.startsWith('Wz')),
    'not past a branch that writes the same location',
  );
});

test('relaxed rmws move like a load and a store; lock operations keep their order', (t) => {
  t.true(
    shapes(thread0('  r0 = xchg_relaxed(x, 1);\n  r1 = xchg_relaxed(y, 1);')).includes('Uy Ux'),
  );
  t.deepEqual(
    shapes(thread0('  spin_unlock(s);\n  spin_lock(l);', '', 'spinlock_t *s, spinlock_t *l')),
    ['unlock lock'],
  );
  t.true(
    shapes(
      thread0(
        '  spin_lock(l);\n  WRITE_ONCE(*x, 1);\n  spin_unlock(l);\n  WRITE_ONCE(*y, 1);',
        '',
        'spinlock_t *l, int *x, int *y',
      ),
    ).includes('lock Wx Wy unlock'),
    'a store after the unlock moves into the critical section',
  );
});

test('rcu_read_lock() and rcu_read_unlock() order nothing without a grace period; with one, nothing leaves the section', (t) => {
  t.true(
    shapes(
      thread0(
        '  r0 = READ_ONCE(*x);\n  rcu_read_lock();\n  WRITE_ONCE(*y, 1);\n  rcu_read_unlock();',
      ),
    ).includes('rcu-lock Wy Rx rcu-unlock'),
  );
  const withGp = parseLitmus(
    'C t\n{}\nP0(int *x, int *y) {\n  int r0;\n  r0 = READ_ONCE(*x);\n  rcu_read_lock();\n  WRITE_ONCE(*y, 1);\n  rcu_read_unlock();\n  WRITE_ONCE(*x, 2);\n}\nP1(int *x) { synchronize_rcu(); }\nexists (0:r0=0)\n',
    't.litmus',
  );
  const orders = shapes(withGp);
  t.false(
    orders.some((o) => o.indexOf('Wy') < o.indexOf('rcu-lock')),
    orders.join(' | '),
  );
  t.false(orders.some((o) => o.indexOf('Wy') > o.indexOf('rcu-unlock')));
  t.true(
    orders.some((o) => o.indexOf('Wx') < o.indexOf('rcu-unlock')),
    'a store moves into the section',
  );
});

test('an access through a register gets an smp_rmb() fused to it; accesses to locations no register can hold pass it', (t) => {
  const test0 = parseLitmus(
    'C t\n{ y=x; }\nP0(int *x, int **y, int *z) {\n  int *r0;\n  int r1;\n  int r2;\n  r0 = READ_ONCE(*y);\n  r1 = READ_ONCE(*r0);\n  r2 = READ_ONCE(*z);\n}\nexists (0:r1=0)\n',
    't.litmus',
  );
  t.deepEqual(withDependencyFences(test0.threads[0]!.body).map(word), ['Ry', 'rmb', 'R*r0', 'Rz']);
  const orders = shapes(test0);
  t.true(
    orders.includes('Rz Ry rmb R*r0') || orders.includes('Ry Rz rmb R*r0'),
    orders.join(' | '),
  );
  t.false(orders.some((o) => o.indexOf('R*r0') < o.indexOf('Ry')));
  t.false(
    orders.some((o) => o.includes('rmb Rz R*r0')),
    'the fence stays with its access',
  );
});

test('smp_mb__before_atomic() moves to the next rmw, __after_atomic() to the last one; a lone one is dropped', (t) => {
  const body = (s: string) => placeAtomicFences(thread0(s).threads[0]!.body).map(word).join(' ');
  t.is(body('  smp_mb__before_atomic();\n  r0 = READ_ONCE(*x);\n  atomic_inc(y);'), 'Rx mb Uy');
  t.is(body('  atomic_inc(y);\n  r0 = READ_ONCE(*x);\n  smp_mb__after_atomic();'), 'Uy mb Rx');
  t.is(body('  WRITE_ONCE(*x, 1);\n  smp_mb__before_atomic();\n  r0 = READ_ONCE(*y);'), 'Wx Ry');
  t.is(body('  WRITE_ONCE(*x, 1);\n  smp_mb__after_atomic();\n  r0 = READ_ONCE(*y);'), 'Wx Ry');
});
