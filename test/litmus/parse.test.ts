// The front end on good input: every kernel litmus test, and each construct of the language.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import test from 'ava';
import { evalExpr, type Instr, type Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import {
  CORPUS_DIR,
  KERNEL_SKIP_REASON,
  KERNEL_TESTS_DIR,
  litmusFiles,
  withoutPositions,
} from './kernel-tests.ts';

const kernelFiles = litmusFiles(KERNEL_TESTS_DIR);

/** herd7's verdict per test, from ../shared/lkmm/herd7-verdicts.tsv. */
function herdVerdicts(): Map<string, string> {
  const tsv = readFileSync(join(KERNEL_TESTS_DIR, '..', 'herd7-verdicts.tsv'), 'utf8');
  const rows = tsv.trim().split('\n').slice(1);
  return new Map(rows.map((r) => r.split('\t')).map(([name, , observed]) => [name!, observed!]));
}

if (kernelFiles.length === 0) {
  test.skip(`every kernel litmus test parses — skipped: ${KERNEL_SKIP_REASON}`, () => {});
} else {
  const verdicts = herdVerdicts();
  test('the kernel directory holds its 35 tests', (t) => {
    t.is(kernelFiles.length, 35);
  });
  for (const file of kernelFiles) {
    const name = basename(file, '.litmus');
    test(`kernel test ${name} parses, with herd7's verdict as its Result`, (t) => {
      const lit = loadLitmus(file);
      t.is(lit.name, name);
      t.is(lit.expected, verdicts.get(name) as Test['expected']);
      t.true(lit.threads.length >= 1);
      t.regex(lit.hash, /^[0-9a-f]{64}$/);
    });
  }
}

const parse = (text: string) => parseLitmus(text, 'T.litmus');

test('loadLitmus keeps the path as given and the sha256 of the text', (t) => {
  const file = join(CORPUS_DIR, 'SB+poonceonces.litmus');
  const lit = loadLitmus(file);
  t.is(lit.file, file);
  t.is(lit.hash, createHash('sha256').update(readFileSync(file)).digest('hex'));
  t.is(parseLitmus(readFileSync(file, 'utf8'), 'elsewhere').hash, lit.hash);
});

/** A one-thread test around a body and a condition. */
const one = (body: string, cond = 'exists (0:r0=1)', init = '{}') =>
  parse(`C T\n${init}\nP0(int *x, int *y) {\n int r0;\n ${body}\n}\n${cond}\n`);

test('the Result line is found inside a longer (* *) comment', (t) => {
  const lit = parse(
    'C T\n(*\n * Result: Sometimes\n *\n * Prose.\n *)\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n',
  );
  t.is(lit.expected, 'Sometimes');
  t.is(parse('C T\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n').expected, undefined);
});

test('// and /* */ comments, and (* *) after the condition, are skipped', (t) => {
  const lit = one(
    '// note\n r0 = READ_ONCE(*x); /* two\n lines */',
    'exists (0:r0=1) (* Bad outcome. *)',
  );
  t.is(lit.threads[0]!.body.length, 1);
});

test('(*x) inside a thread is an expression, (* note *) a comment', (t) => {
  const lit = one('(* a herd comment *) r0 = (*x) + 1;');
  t.deepEqual(
    lit.threads[0]!.body.map((i) => i.kind),
    ['load', 'assign'],
  );
});

test('init blocks: {}, an empty line, and every form of declaration', (t) => {
  t.deepEqual(one('r0 = 1;', 'exists (x=0)', '{\n}').locations, [
    { name: 'x', type: 'int', init: 0 },
    { name: 'y', type: 'int', init: 0 },
  ]);
  const lit = one(
    'r0 = 1;',
    'exists (x=0)',
    '{ int x; y = 2; int *p = &x; q = y; atomic_t v = -1; spinlock_t s; 0:r0 = 4; }',
  );
  t.deepEqual(
    lit.locations.map((l) => [l.name, l.type, l.init, l.atomic]),
    [
      ['x', 'int', 0, undefined],
      ['y', 'int', 2, undefined],
      ['p', 'pointer', 0x4000_0000, undefined],
      ['q', 'pointer', 0x4000_0001, undefined],
      ['v', 'int', -1, true],
      // No spin_* takes s: it is an int, as herd7 sees it (lower.test.ts).
      ['s', 'int', 0, undefined],
    ],
  );
  t.deepEqual(lit.threads[0]!.registerInit, new Map([['r0', 4]]));
});

test('the final clause: locations and filter in either order, ~exists, forall, [x], true and false', (t) => {
  const a = one(
    'r0 = READ_ONCE(*x);',
    'filter (x=0) locations [y; 0:r0;] ~exists ([x]=1 \\/ ~0:r0=-3)',
  );
  t.is(a.condition.quantifier, '~exists');
  t.deepEqual(a.filter, { kind: 'eq', key: { kind: 'loc', loc: 'x' }, value: 0 });
  t.deepEqual(a.extraKeys, [
    { kind: 'loc', loc: 'y' },
    { kind: 'reg', thread: 0, reg: 'r0' },
  ]);
  t.deepEqual(a.condition.prop, {
    kind: 'or',
    left: { kind: 'eq', key: { kind: 'loc', loc: 'x' }, value: 1 },
    right: {
      kind: 'not',
      arg: { kind: 'eq', key: { kind: 'reg', thread: 0, reg: 'r0' }, value: -3 },
    },
  });
  const b = one('r0 = 1;', 'forall (true /\\ ~false)');
  t.is(b.condition.quantifier, 'forall');
  t.deepEqual(b.condition.prop, {
    kind: 'and',
    left: { kind: 'true' },
    right: { kind: 'not', arg: { kind: 'not', arg: { kind: 'true' } } },
  });
});

test('/\\ binds tighter than \\/, and parentheses regroup', (t) => {
  const kinds = (cond: string) => {
    const p = one('r0 = 1;', `exists ${cond}`).condition.prop;
    return p.kind === 'and' || p.kind === 'or' ? [p.kind, p.left.kind, p.right.kind] : [p.kind];
  };
  t.deepEqual(kinds('x=1 \\/ x=2 /\\ y=1'), ['or', 'eq', 'and']);
  t.deepEqual(kinds('(x=1 \\/ x=2) /\\ y=1'), ['and', 'or', 'eq']);
});

test('expressions follow C precedence', (t) => {
  const cases: [string, number][] = [
    ['1 + 2 * 3', 7],
    ['1 + 2 * 3 == 7 && 0 | 1', 1],
    ['6 & 3 ^ 1 | 8', 11],
    ['-2 - -3', 1],
    ['!0 + ~0', 0],
    ['1 < 2 == 1', 1],
    ['2 * (3 + 4)', 14],
    ['-2147483648', -2147483648],
    ['0x10 >= 16', 1],
  ];
  for (const [src, expected] of cases) {
    const instr = one(`r0 = ${src};`).threads[0]!.body[0] as Instr & { kind: 'assign' };
    t.is(
      evalExpr(
        instr.value,
        () => 0,
        () => 0,
      ),
      expected,
      src,
    );
  }
});

test('a test name keeps + - and . and the threads their parameters', (t) => {
  const lit = parse(
    'C Z6.0+po-once\n{}\nP0(int *a, spinlock_t *s) { spin_lock(s); }\nP1() { smp_mb(); }\nexists (a=0)\n',
  );
  t.is(lit.name, 'Z6.0+po-once');
  t.deepEqual(
    lit.threads.map((th) => th.params),
    [['a', 's'], []],
  );
});

test("generated tests' idioms: a name with a directory, intptr_t, and casts that change nothing", (t) => {
  // The style of the generated auto/ tests: every value an intptr_t, pointers cast back and
  // forth around rcu_dereference. A cast is skipped; an intptr_t register may be a pointer.
  const lit = parse(`C gen/MP+rel+deref
{
\tintptr_t *head = &a;
}
P0(intptr_t *a, intptr_t **head)
{
\tintptr_t r1 = (intptr_t)rcu_dereference(*(intptr_t **)head);
\tintptr_t r2 = READ_ONCE(*(intptr_t *)r1);
\tsmp_store_release((intptr_t *)r1, (int)r2 + 1);
}
exists (0:r1=a /\\ 0:r2=0)`);
  const plain = parse(`C gen/MP+rel+deref
{
\tint *head = &a;
}
P0(int *a, int **head)
{
\tint *r1 = rcu_dereference(*head);
\tint *r2 = READ_ONCE(*r1);
\tsmp_store_release(r1, r2 + 1);
}
exists (0:r1=a /\\ 0:r2=0)`);
  t.is(lit.name, 'gen/MP+rel+deref');
  t.deepEqual(withoutPositions(lit), withoutPositions(plain));
  t.deepEqual(
    lit.locations.map((l) => [l.name, l.type]),
    [
      ['head', 'pointer'],
      ['a', 'int'],
    ],
  );
});

test('kernel idioms from Documentation/litmus-tests: ATOMIC_INIT(n), (void)call(...), exists on its own line', (t) => {
  const lit = parse(`C Atomic-add-unless
{
\tatomic_t v = ATOMIC_INIT(1);
}
P0(atomic_t *v) { (void)atomic_add_unless(v, 1, 0); }
P1(atomic_t *v) { atomic_set(v, 0); }
exists
(v=2)`);
  t.deepEqual(lit.locations, [{ name: 'v', type: 'int', init: 1, atomic: true }]);
  t.is(lit.threads[0]!.body[0]!.kind, 'rmw');
  t.is((lit.threads[0]!.body[0] as Instr & { kind: 'rmw' }).dst, undefined);
});
