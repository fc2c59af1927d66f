// The lowering: what each construct becomes in the IR (events, annotations, addresses,
// hoisted temporaries), checked on small tests written for the purpose.

import test from 'ava';
import { addressOf, type Instr, observedKeys, type Test } from '../../src/litmus/ir.ts';
import { MACROS, macroReturns } from '../../src/litmus/macros.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { printLitmus } from '../../src/litmus/print.ts';
import { withoutPositions } from './kernel-tests.ts';

/** Instructions without their positions. */
function body(lit: Test, thread = 0): unknown[] {
  return JSON.parse(
    JSON.stringify(lit.threads[thread]!.body, (k, v) => (k === 'pos' ? undefined : v)),
  );
}

const parse = (text: string) => parseLitmus(text, 'T.litmus');
const loc = (l: string) => ({ kind: 'loc', loc: l }) as const;
const reg = (r: string) => ({ kind: 'reg', reg: r }) as const;
const num = (value: number) => ({ kind: 'const', value }) as const;
const branch = (cond: unknown, thenArm: unknown[], elseArm: unknown[]) => ({
  kind: 'branch',
  cond,
  // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
  then: thenArm,
  else: elseArm,
});

test('plain accesses inside expressions are hoisted into temporaries in evaluation order', (t) => {
  // The shape of the kernel's dep+plain.
  const lit = parse(`C dep
{}
P0(int *x, int *y, int *z1, int *z2) {
  int a = READ_ONCE(*x);
  *z1 = a;
  *z2 = *z1;
  if (*z2 == 1)
    WRITE_ONCE(*y, 1);
}
exists (y=1)`);
  t.deepEqual(body(lit), [
    { kind: 'load', annot: 'once', addr: loc('x'), dst: 'a' },
    { kind: 'store', annot: 'plain', addr: loc('z1'), value: reg('a') },
    { kind: 'load', annot: 'plain', addr: loc('z1'), dst: '%t0' },
    { kind: 'store', annot: 'plain', addr: loc('z2'), value: reg('%t0') },
    { kind: 'load', annot: 'plain', addr: loc('z2'), dst: '%t1' },
    branch(
      { kind: 'binary', op: '==', left: reg('%t1'), right: num(1) },
      [{ kind: 'store', annot: 'once', addr: loc('y'), value: num(1) }],
      [],
    ),
  ]);
  t.deepEqual(lit.threads[0]!.registers, [
    { name: 'a', type: 'int' },
    { name: '%t0', type: 'int', temporary: true },
    { name: '%t1', type: 'int', temporary: true },
  ]);
});

test('nested calls: arguments are read before the call, left before right', (t) => {
  const lit = parse(`C nest
{}
P0(int *x, int *y, int *z, int *w) {
  int r0;
  WRITE_ONCE(*y, READ_ONCE(*x) + xchg(z, READ_ONCE(*w)));
  if (READ_ONCE(*x)) r0 = 1; else r0 = 2;
}
exists (0:r0=1)`);
  t.deepEqual(body(lit), [
    { kind: 'load', annot: 'once', addr: loc('x'), dst: '%t0' },
    { kind: 'load', annot: 'once', addr: loc('w'), dst: '%t1' },
    {
      kind: 'rmw',
      op: 'xchg',
      annot: 'mb',
      addr: loc('z'),
      operand: reg('%t1'),
      result: 'old',
      dst: '%t2',
    },
    {
      kind: 'store',
      annot: 'once',
      addr: loc('y'),
      value: { kind: 'binary', op: '+', left: reg('%t0'), right: reg('%t2') },
    },
    { kind: 'load', annot: 'once', addr: loc('x'), dst: '%t3' },
    branch(
      reg('%t3'),
      [{ kind: 'assign', dst: 'r0', value: num(1) }],
      [{ kind: 'assign', dst: 'r0', value: num(2) }],
    ),
  ]);
});

test('a pointer register gives an address dependency; a pointer location its initial address', (t) => {
  // The shape of the kernel's MP+onceassign+derefonce.
  const lit = parse(`C MP+onceassign+derefonce
{
  int *p=y;
  int x;
  int y=0;
}
P0(int *x, int **p) { WRITE_ONCE(*x, 1); rcu_assign_pointer(*p, x); }
P1(int *x, int **p) {
  int *r0;
  int r1;
  rcu_read_lock();
  r0 = rcu_dereference(*p);
  r1 = READ_ONCE(*r0);
  r1 = smp_load_acquire(r0);
  rcu_read_unlock();
}
exists (1:r0=x /\\ 1:r1=0)`);
  t.deepEqual(
    lit.locations.map((l) => [l.name, l.type, l.init]),
    [
      ['p', 'pointer', addressOf(2)],
      ['x', 'int', 0],
      ['y', 'int', 0],
    ],
  );
  t.deepEqual(body(lit, 0)[1], {
    kind: 'store',
    annot: 'release',
    addr: loc('p'),
    value: { kind: 'addr', loc: 'x' },
  });
  t.deepEqual(body(lit, 1), [
    { kind: 'fence', annot: 'rcu-lock' },
    { kind: 'load', annot: 'once', addr: loc('p'), dst: 'r0' },
    { kind: 'load', annot: 'once', addr: reg('r0'), dst: 'r1' },
    { kind: 'load', annot: 'acquire', addr: reg('r0'), dst: 'r1' },
    { kind: 'fence', annot: 'rcu-unlock' },
  ]);
  t.deepEqual(lit.threads[1]!.registers, [
    { name: 'r0', type: 'pointer' },
    { name: 'r1', type: 'int' },
  ]);
  t.deepEqual(lit.condition.prop, {
    kind: 'and',
    left: { kind: 'eq', key: { kind: 'reg', thread: 1, reg: 'r0' }, value: addressOf(1) },
    right: { kind: 'eq', key: { kind: 'reg', thread: 1, reg: 'r1' }, value: 0 },
  });
});

test('rmw macros follow their rows: operands, compare values, results and tests', (t) => {
  const lit = parse(`C rmw
{ atomic_t v = 1; }
P0(atomic_t *v, int *x) {
  int r0; int r1; int r2; int r3;
  r0 = atomic_dec_and_test(v);
  r1 = cmpxchg_relaxed(x, 1, 2);
  r2 = atomic_add_unless(v, 5, 0);
  atomic_inc(v);
  r3 = atomic_fetch_sub_acquire(r0 + 1, v);
  r3 = atomic_add_negative(-4, v);
}
exists (0:r0=1)`);
  t.deepEqual(body(lit), [
    {
      kind: 'rmw',
      op: 'sub',
      annot: 'mb',
      addr: loc('v'),
      operand: num(1),
      result: 'new',
      test: '==0',
      dst: 'r0',
    },
    {
      kind: 'rmw',
      op: 'cmpxchg',
      annot: 'once',
      addr: loc('x'),
      operand: num(2),
      compare: num(1),
      result: 'old',
      dst: 'r1',
    },
    {
      kind: 'rmw',
      op: 'add_unless',
      annot: 'mb',
      addr: loc('v'),
      operand: num(5),
      compare: num(0),
      result: 'added',
      dst: 'r2',
    },
    { kind: 'rmw', op: 'add', annot: 'noreturn', addr: loc('v'), operand: num(1), result: 'none' },
    {
      kind: 'rmw',
      op: 'sub',
      annot: 'acquire',
      addr: loc('v'),
      operand: { kind: 'binary', op: '+', left: reg('r0'), right: num(1) },
      result: 'old',
      dst: 'r3',
    },
    {
      kind: 'rmw',
      op: 'add',
      annot: 'mb',
      addr: loc('v'),
      operand: num(-4),
      result: 'new',
      test: '<0',
      dst: 'r3',
    },
  ]);
  t.deepEqual(lit.locations[0], { name: 'v', type: 'int', init: 1, atomic: true });
});

test('smp_store_mb is a once store then a full fence; locks, trylock and is_locked', (t) => {
  const lit = parse(`C locks
{}
P0(int *x, spinlock_t *s) {
  int r0; int r1;
  smp_store_mb(*x, 3);
  spin_lock(s);
  spin_unlock(s);
  r0 = spin_trylock(s);
  spin_trylock(s);
  r1 = spin_is_locked(s);
  smp_mb__after_spinlock();
  synchronize_rcu();
}
exists (0:r0=1)`);
  t.deepEqual(body(lit), [
    { kind: 'store', annot: 'once', addr: loc('x'), value: num(3) },
    { kind: 'fence', annot: 'mb' },
    { kind: 'lock', addr: loc('s') },
    { kind: 'unlock', addr: loc('s') },
    { kind: 'trylock', addr: loc('s'), dst: 'r0' },
    { kind: 'trylock', addr: loc('s') },
    { kind: 'islocked', addr: loc('s'), dst: 'r1' },
    { kind: 'fence', annot: 'after-spinlock' },
    { kind: 'fence', annot: 'sync-rcu' },
  ]);
  t.is(lit.locations[1]!.type, 'spinlock');
});

test('a READ_ONCE standing alone still loads, into a temporary', (t) => {
  const lit = parse('C T\n{}\nP0(int *x) { READ_ONCE(*x); }\nexists (x=0)');
  t.deepEqual(body(lit), [{ kind: 'load', annot: 'once', addr: loc('x'), dst: '%t0' }]);
});

test('locations: the init block first, then parameters in thread order, unlisted ones int 0', (t) => {
  const lit = parse(`C order
{ z = 2; 1:r5 = z; }
P0(int *y, int *z) { WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); }
exists (1:r5=z /\\ 1:r0=0)`);
  t.deepEqual(
    lit.locations.map((l) => [l.name, l.init]),
    [
      ['z', 2],
      ['y', 0],
      ['x', 0],
    ],
  );
  t.deepEqual(lit.threads[1]!.registerInit, new Map([['r5', addressOf(0)]]));
  t.deepEqual(lit.threads[1]!.registers, [
    { name: 'r0', type: 'int' },
    { name: 'r5', type: 'pointer' },
  ]);
});

test("observedKeys of SB+rfionceonce-poonceonces: locations [...] and exists, in herd7's order", (t) => {
  const lit = parse(`C SB+rfionceonce-poonceonces
(* Result: Sometimes *)
{}
P0(int *x, int *y) { int r1; int r2; WRITE_ONCE(*x, 1); r1 = READ_ONCE(*x); r2 = READ_ONCE(*y); }
P1(int *x, int *y) { int r3; int r4; WRITE_ONCE(*y, 1); r3 = READ_ONCE(*y); r4 = READ_ONCE(*x); }
locations [0:r1; 1:r3; x; y] (* Debug aid *)
exists (0:r2=0 /\\ 1:r4=0)`);
  t.is(lit.expected, 'Sometimes');
  t.deepEqual(observedKeys(lit), [
    { kind: 'reg', thread: 0, reg: 'r1' },
    { kind: 'reg', thread: 0, reg: 'r2' },
    { kind: 'reg', thread: 1, reg: 'r3' },
    { kind: 'reg', thread: 1, reg: 'r4' },
    { kind: 'loc', loc: 'x' },
    { kind: 'loc', loc: 'y' },
  ]);
});

test('register expressions keep their operators; a bare location or &x is its address', (t) => {
  const lit = parse(
    'C T\n{}\nP0(int *x) { int r0; int *r1; r0 = !(r0 < 3) ^ ~r0; r1 = x; r1 = &x; }\nexists (x=0)',
  );
  const [a, b, c] = body(lit) as Instr[];
  t.deepEqual(a, {
    kind: 'assign',
    dst: 'r0',
    value: {
      kind: 'binary',
      op: '^',
      left: {
        kind: 'unary',
        op: '!',
        arg: { kind: 'binary', op: '<', left: reg('r0'), right: num(3) },
      },
      right: { kind: 'unary', op: '~', arg: reg('r0') },
    },
  });
  t.deepEqual(b, { kind: 'assign', dst: 'r1', value: { kind: 'addr', loc: 'x' } });
  t.deepEqual(c, b);
});

test('every macro of macros.ts parses, lowers to its row, and prints back', (t) => {
  for (const [name, row] of Object.entries(MACROS)) {
    const spin = ['lock', 'unlock', 'trylock', 'islocked'].includes(row.event);
    const args = row.args.map((kind) =>
      kind === 'lvalue' ? '*x' : kind === 'pointer' ? (spin ? 's' : 'x') : '2',
    );
    const call = `${name}(${args.join(', ')})`;
    const use = macroReturns(row) ? `r0 = ${call};` : `${call};`;
    const lit = parse(`C T\n{}\nP0(int *x, spinlock_t *s) { int r0; ${use} }\nexists (x=0)`);
    const [first, ...rest] = lit.threads[0]!.body;
    t.is(first!.kind, row.event, name);
    if (row.event === 'store' && row.fence)
      t.deepEqual(body(lit)[1], { kind: 'fence', annot: row.fence }, name);
    else t.is(rest.length, 0, name);
    if ('annot' in row && 'annot' in first!) t.is(first.annot, row.annot, name);
    if (macroReturns(row)) t.is((first as { dst?: string }).dst, 'r0', name);
    t.deepEqual(withoutPositions(parse(printLitmus(lit))), withoutPositions(lit), name);
  }
});

test('macros without a value are refused as values', (t) => {
  for (const [name, row] of Object.entries(MACROS)) {
    if (macroReturns(row)) continue;
    const args = row.args.map((kind) =>
      kind === 'lvalue' ? '*x' : kind === 'pointer' ? 'x' : '2',
    );
    const text = `C T\n{}\nP0(int *x) { int r0; r0 = ${name}(${args.join(', ')}); }\nexists (x=0)`;
    t.throws(() => parse(text), { message: `${name} returns no value` }, name);
  }
});

test("herd7's description line after the header is skipped", (t) => {
  const lit = parse(
    'C SB\n"Fre PodWR Fre PodWR"\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)',
  );
  t.is(lit.name, 'SB');
  t.is(lit.threads[0]!.body.length, 1);
});

test("herd7's metadata lines after the description are skipped, as diy7 writes them", (t) => {
  const lit = parse(
    [
      'C SB+poonceonces',
      '"Fre PodWR Fre PodWR"',
      'Cycle=Fre PodWR Fre PodWR',
      'Relax=',
      'Safe=Fre PodWR',
      'Prefetch=0:x=F,0:y=T,1:y=F,1:x=T',
      'Com=Fr Fr',
      'Orig=Fre PodWR Fre PodWR',
      '(* Result: Sometimes *)',
      '{',
      '}',
      'P0(int *x) { WRITE_ONCE(*x, 1); }',
      'exists',
      '(x=1)',
    ].join('\n'),
  );
  t.is(lit.name, 'SB+poonceonces');
  t.is(lit.expected, 'Sometimes');
  t.is(lit.threads[0]!.body.length, 1);
  // Only before the init block: `x=1` in a condition is still a condition.
  t.deepEqual(lit.condition.prop, { kind: 'eq', key: { kind: 'loc', loc: 'x' }, value: 1 });
});

test('a register assigned without a declaration is declared there, typed by its first value', (t) => {
  // herd7 needs no declarations: flag, got and seen are never declared here, seen only in an
  // if arm. got comes from a pointer location, so it is a pointer and *got is an address
  // dependency; a register reading itself before any store reads its initial 0.
  const lit = parse(`C T
{ int *head = &a; }
P0(int *a, int *lock, int **head) {
  flag = cmpxchg(lock, 0, 1);
  if (flag == 0) {
    got = rcu_dereference(*head);
    seen = READ_ONCE(*got);
  }
  flag = flag + 1;
}
locations [0:got]
exists (0:flag=1 /\\ 0:seen=0)`);
  t.deepEqual(
    lit.threads[0]!.registers.filter((r) => !r.temporary),
    [
      { name: 'flag', type: 'int' },
      { name: 'got', type: 'pointer' },
      { name: 'seen', type: 'int' },
    ],
  );
  const arm = body(lit)[1] as { then: unknown[] };
  t.deepEqual(arm.then[1], { kind: 'load', annot: 'once', addr: reg('got'), dst: 'seen' });
  t.deepEqual(
    observedKeys(lit).map((k) => (k.kind === 'reg' ? `${k.thread}:${k.reg}` : k.loc)),
    ['0:flag', '0:got', '0:seen'],
  );
});

test('a declaration anywhere in the thread wins over the implied type of an assignment', (t) => {
  const lit = parse(`C T
{}
P0(int *x, int **p) {
  r = READ_ONCE(*p);
  int *r;
  q = r;
  n = &x;
}
exists (0:r=x)`);
  t.deepEqual(
    lit.threads[0]!.registers.filter((r) => !r.temporary),
    [
      { name: 'r', type: 'pointer' },
      { name: 'q', type: 'pointer' },
      { name: 'n', type: 'pointer' },
    ],
  );
});

test('a spinlock_t no spin_* touches is an int: a lock built from xchg_acquire and a release', (t) => {
  const lit = parse(`C T
{}
P0(int *x, spinlock_t *real, spinlock_t *homemade) {
  spin_lock(real);
  r0 = xchg_acquire(homemade, 1);
  WRITE_ONCE(*x, r0);
  smp_store_release(homemade, 0);
  spin_unlock(real);
}
exists (homemade=0)`);
  t.deepEqual(
    lit.locations.map((l) => [l.name, l.type]),
    [
      ['x', 'int'],
      ['real', 'spinlock'],
      ['homemade', 'int'],
    ],
  );
  const kinds = lit.threads[0]!.body.map((i) => i.kind);
  t.deepEqual(kinds, ['lock', 'rmw', 'store', 'store', 'unlock']);
});

test('a register only read, never assigned nor declared, is an int that keeps its initial 0', (t) => {
  // herd7 starts every register at 0; its generated tests compare with such a register.
  const lit = parse(`C T
{}
P0(int *x) {
  int r0;
  r0 = READ_ONCE(*x);
  if (r0 != unset)
    WRITE_ONCE(*x, unset + 2);
}
exists (0:unset=0)`);
  t.deepEqual(
    lit.threads[0]!.registers.filter((r) => !r.temporary),
    [
      { name: 'r0', type: 'int' },
      { name: 'unset', type: 'int' },
    ],
  );
  t.deepEqual(lit.threads[0]!.registerInit, new Map());
  t.deepEqual(
    body(lit)[1],
    branch(
      { kind: 'binary', op: '!=', left: reg('r0'), right: reg('unset') },
      [
        {
          kind: 'store',
          annot: 'once',
          addr: loc('x'),
          value: { kind: 'binary', op: '+', left: reg('unset'), right: num(2) },
        },
      ],
      [],
    ),
  );
});

test('a register declared int that is dereferenced holds an address, as herd7 allows', (t) => {
  // herd7 barely types declarations: the address read from p goes through q, an int, and
  // is dereferenced; the lowering makes both pointers, the same test as with int *.
  const loose = parse(`C T
{ int *p = &data; }
P0(int **p, int *data, int *q) {
  int r0;
  int r1;
  r0 = READ_ONCE(*p);
  WRITE_ONCE(*q, r0);
  r1 = xchg(r0, 5);
  *r0 = r1;
}
exists (0:r1=0)`);
  const strict = parse(`C T
{ int *p = &data; }
P0(int **p, int *data, int *q) {
  int *r0;
  int r1;
  r0 = READ_ONCE(*p);
  WRITE_ONCE(*q, r0);
  r1 = xchg(r0, 5);
  *r0 = r1;
}
exists (0:r1=0)`);
  t.deepEqual(withoutPositions(loose), withoutPositions(strict));
  t.deepEqual(
    loose.threads[0]!.registers.map((r) => [r.name, r.type]),
    [
      ['r0', 'pointer'],
      ['r1', 'int'],
    ],
  );
});

test("conditions compare a register with another register or a location's content, as herd7's do", (t) => {
  const lit = parse(
    `C T\n{}
     P0(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
     P1(int *x, int *y) { int r1; WRITE_ONCE(*x, 1); r1 = READ_ONCE(*y); }
     exists (0:r0=1:r1 /\\ 0:r0=[x] /\\ 1:r1=*y /\\ 1:r1 != 2 /\\ 0:r0 == 1);`,
  );
  const reg = (thread: number, r: string) => ({ kind: 'reg' as const, thread, reg: r });
  const loc = (l: string) => ({ kind: 'loc' as const, loc: l });
  t.deepEqual(lit.condition.prop, {
    kind: 'and',
    left: {
      kind: 'and',
      left: {
        kind: 'and',
        left: {
          kind: 'and',
          left: { kind: 'eqkeys', key: reg(0, 'r0'), other: reg(1, 'r1') },
          right: { kind: 'eqkeys', key: reg(0, 'r0'), other: loc('x') },
        },
        right: { kind: 'eqkeys', key: reg(1, 'r1'), other: loc('y') },
      },
      right: { kind: 'not', arg: { kind: 'eq', key: reg(1, 'r1'), value: 2 } },
    },
    right: { kind: 'eq', key: reg(0, 'r0'), value: 1 },
  });
  // Both sides of each comparison are shown in a final state, as herd7 shows them.
  t.deepEqual(observedKeys(lit), [reg(0, 'r0'), reg(1, 'r1'), loc('x'), loc('y')]);
  // A bare location name is its address (herd7's reading), a value like any other.
  const addr = parse(`C T\n{ 0:r0=x; }\nP0(int *x) { int r0; }\nexists (0:r0=x)`);
  t.deepEqual(addr.condition.prop, { kind: 'eq', key: reg(0, 'r0'), value: addressOf(0) });
  t.deepEqual(withoutPositions(parse(printLitmus(lit))), withoutPositions(lit));
});

test('a test with no final clause is forall (true), as herd7 reads it', (t) => {
  const lit = parse('C T\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\n');
  t.deepEqual(lit.condition, { quantifier: 'forall', prop: { kind: 'true' } });
  const located = parse('C T\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nlocations [x]\n');
  t.deepEqual(located.extraKeys, [{ kind: 'loc', loc: 'x' }]);
});

test("typed register entries in the init block (herd7's int *1:r1; and int 0:r0 = 2;)", (t) => {
  const lit = parse(
    `C T\n{ int *1:r1; int 0:r0 = 2; 1:r2 = x; int *1:r3 = &x; }
     P0(int *x) { int r0; WRITE_ONCE(*x, r0); }
     P1(int *x) { int r5; r5 = READ_ONCE(*x); }
     exists (x=2)`,
  );
  t.deepEqual(lit.threads[0]!.registerInit, new Map([['r0', 2]]));
  t.deepEqual(
    lit.threads[1]!.registerInit,
    new Map([
      ['r1', 0],
      ['r2', addressOf(0)],
      ['r3', addressOf(0)],
    ]),
  );
  t.deepEqual(
    lit.threads[1]!.registers.map((r) => `${r.type} ${r.name}`),
    ['int r5', 'pointer r1', 'pointer r2', 'pointer r3'],
  );
});

test('an int that only spin_* take is a lock, as herd7 (which has no lock type) sees it', (t) => {
  const lit = parse('C T\n{}\nP0(int *s) { spin_lock(s); spin_unlock(s); }\nexists (true)');
  t.is(lit.locations[0]!.type, 'spinlock');
});

test('C integer type words declare an int register (unsigned long r1;), as herd7 takes them', (t) => {
  const lit = parse(
    'C T\n{}\nP0(int *x) { unsigned long r1; long int *r2; unsigned r3 = 2; r1 = READ_ONCE(*x); }\nexists (0:r1=0)',
  );
  t.deepEqual(
    lit.threads[0]!.registers.map((r) => `${r.type} ${r.name}`),
    ['int r1', 'pointer r2', 'int r3'],
  );
});

test('parameters as herd7 takes them: volatile, integer words, pointers to pointers of any depth', (t) => {
  const lit = parse(
    'C T\n{}\nP0(volatile unsigned long *x, int ***p, spinlock_t **q) { int r0; r0 = READ_ONCE(*x); }\nexists (0:r0=0)',
  );
  t.deepEqual(
    lit.locations.map((l) => `${l.type} ${l.name}`),
    ['int x', 'pointer p', 'pointer q'],
  );
});
