// printLitmus: IR back to litmus text that parses to the same Test (modulo pos, file, hash),
// on every kernel test, every corpus test and a file using every construct.

import { basename, join } from 'node:path';
import test from 'ava';
import type { Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { printLitmus } from '../../src/litmus/print.ts';
import {
  CORPUS_DIR,
  KERNEL_SKIP_REASON,
  KERNEL_TESTS_DIR,
  litmusFiles,
  REPO_ROOT,
  withoutPositions,
} from './kernel-tests.ts';

function roundTrips(t: import('ava').ExecutionContext, file: string): void {
  const lit = loadLitmus(file);
  const printed = printLitmus(lit);
  const again = parseLitmus(printed, `${basename(file)} (printed)`);
  t.deepEqual(withoutPositions(again), withoutPositions(lit));
  // Printing is a fixed point after one round.
  t.is(printLitmus(again), printed);
}

const kernelFiles = litmusFiles(KERNEL_TESTS_DIR);
if (kernelFiles.length === 0) {
  test.skip(`print/parse round-trips every kernel test — skipped: ${KERNEL_SKIP_REASON}`, () => {});
} else {
  test('print/parse round-trips every kernel test', (t) => {
    for (const file of kernelFiles) roundTrips(t, file);
    t.is(kernelFiles.length, 35);
  });
}

test('print/parse round-trips every corpus test', (t) => {
  const files = litmusFiles(CORPUS_DIR);
  t.true(files.length >= 26);
  for (const file of files) roundTrips(t, file);
});

test('print/parse round-trips a file with every construct', (t) => {
  roundTrips(t, join(REPO_ROOT, 'test', 'fixtures', 'litmus', 'all-features.litmus'));
});

test('the printed text of a small test, exactly', (t) => {
  const lit = parseLitmus(
    `C MP+dep
(* Result: Never *)
{ int *p = &y; atomic_t v; }
P0(int *x, int **p, atomic_t *v) { WRITE_ONCE(*x, 1); rcu_assign_pointer(*p, x); atomic_inc(v); }
P1(int **p, spinlock_t *s) {
  int *r0; int r1;
  r0 = rcu_dereference(*p);
  if (spin_trylock(s) && r0 != 0) r1 = READ_ONCE(*r0) + *r0; else spin_unlock(s);
}
exists (1:r0=x /\\ 1:r1=0)`,
    'MP+dep.litmus',
  );
  t.is(
    printLitmus(lit),
    `C MP+dep

(* Result: Never *)

{
  int *p = y;
  atomic_t v = 0;
  int y = 0;
  int x = 0;
  spinlock_t s;
}

P0(int *x, int **p, atomic_t *v)
{
  WRITE_ONCE(*x, 1);
  smp_store_release(p, x);
  atomic_inc(v);
}

P1(int **p, spinlock_t *s)
{
  int *r0;
  int r1;
  r0 = READ_ONCE(*p);
  if (spin_trylock(s) && (r0 != 0)) {
    r1 = READ_ONCE(*r0) + *r0;
  } else {
    spin_unlock(s);
  }
}

exists (1:r0=x /\\ 1:r1=0)
`,
  );
});

test('a variant built by editing the IR prints as the edited test', (t) => {
  // What an ablation does: drop P0's smp_mb() from SB+fencembonceonces.
  const lit = loadLitmus(join(CORPUS_DIR, 'SB+fencembonceonces.litmus'));
  const variant: Test = structuredClone(lit);
  variant.name = 'SB+fencembonceonces-P0';
  variant.threads[0]!.body = variant.threads[0]!.body.filter((i) => i.kind !== 'fence');
  const printed = printLitmus(variant);
  t.regex(
    printed,
    /P0\(int \*x, int \*y\)\n\{\n {2}int r0;\n {2}WRITE_ONCE\(\*x, 1\);\n {2}r0 = READ_ONCE\(\*y\);\n\}/,
  );
  t.deepEqual(withoutPositions(parseLitmus(printed, 'variant')), withoutPositions(variant));
});

test('a chain of one operator prints flat; other groupings keep their parentheses', (t) => {
  const lit = loadLitmus(join(CORPUS_DIR, 'SB+fencembonceonces.litmus'));
  const key = (thread: number) => ({ kind: 'reg', thread, reg: 'r0' }) as const;
  const eq = (thread: number) => ({ kind: 'eq', key: key(thread), value: 0 }) as const;
  const chains: [Test['condition']['prop'], string][] = [
    [
      { kind: 'and', left: { kind: 'and', left: eq(0), right: eq(1) }, right: eq(0) },
      '0:r0=0 /\\ 1:r0=0 /\\ 0:r0=0',
    ],
    [
      { kind: 'and', left: eq(0), right: { kind: 'and', left: eq(1), right: eq(0) } },
      '0:r0=0 /\\ (1:r0=0 /\\ 0:r0=0)',
    ],
    [
      { kind: 'or', left: { kind: 'and', left: eq(0), right: eq(1) }, right: eq(0) },
      '(0:r0=0 /\\ 1:r0=0) \\/ 0:r0=0',
    ],
  ];
  for (const [prop, text] of chains) {
    const variant: Test = { ...lit, condition: { quantifier: 'exists', prop } };
    const printed = printLitmus(variant);
    t.true(printed.includes(`exists (${text})`), printed);
    t.deepEqual(withoutPositions(parseLitmus(printed, 'chain')), withoutPositions(variant));
  }
});

test('printing refuses IR the lowering never makes, as our bug', (t) => {
  const lit = parseLitmus(
    'C T\n{}\nP0(int *x) { int r0; r0 = READ_ONCE(*x) + 1; }\nexists (x=0)',
    'T.litmus',
  );
  const broken: Test = structuredClone(lit);
  broken.threads[0]!.body.shift(); // the load that sets %t0 is gone, its read remains
  t.throws(() => printLitmus(broken), { message: /temporary %t0 is read before it is set/ });
});
