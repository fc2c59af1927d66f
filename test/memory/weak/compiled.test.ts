// The weak CPU's accesses compiled into a litmus thread (src/memory/weak/compiled.ts) mean what
// the memory object's calls mean: stepped in process with the same seed, a test gives the same
// histogram (the same states, the same counts) either way — every draw the same, in the same
// order — on the kernel's tests, the corpus and generated tests. Which threads are compiled:
// those of loads, stores and fences on named locations; the rest keep the calls. (Soundness on
// real threads, where the compiled code runs too, is soundness.test.ts's.)

import test from 'ava';
import { compileThread } from '../../../src/litmus/compile.ts';
import type { Test } from '../../../src/litmus/ir.ts';
import { loadLitmus } from '../../../src/litmus/load.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import { oneInstance } from '../../../src/memory/layout.ts';
import { steppedRunner } from '../../../src/memory/weak/interleave.ts';
import { refuseOnWeak, WEAK_MEMORY } from '../../../src/memory/weak/memory.ts';
import {
  CORPUS_DIR,
  KERNEL_SKIP_REASON,
  KERNEL_TESTS_DIR,
  litmusFiles,
} from '../../litmus/kernel-tests.ts';
import { generatedTest } from './generate.ts';
import { SHAPES, shapeTest } from './shapes.ts';

const RUNS = 2_000;

/** The tests whose histograms differ between compiled accesses and calls (same seed). */
function differing(tests: Test[], seed: number, how: true | 'inlined' = true): string[] {
  const differ: string[] = [];
  for (const t of tests) {
    if (refuseOnWeak(t)) continue;
    const compiled = steppedRunner(t, seed, how);
    const called = steppedRunner(t, seed, false);
    compiled.run(RUNS);
    called.run(RUNS);
    const a = [...compiled.histogram].sort();
    const b = [...called.histogram].sort();
    if (JSON.stringify(a) !== JSON.stringify(b) || compiled.stuck !== called.stuck)
      differ.push(t.name);
  }
  return differ;
}

/** How many of the tests' threads get compiled accesses (stepped). */
function compiledThreads(tests: Test[]): number {
  let n = 0;
  for (const t of tests) {
    const { layout } = oneInstance(t);
    for (const th of t.threads) {
      const orders = WEAK_MEMORY.threadOrders?.(t, th, 1) ?? [th.body];
      if (WEAK_MEMORY.compiledAccesses?.(t, th, orders, layout, true)) n++;
    }
  }
  return n;
}

const kernel = litmusFiles(KERNEL_TESTS_DIR).map((f) => loadLitmus(f));
const corpus = litmusFiles(CORPUS_DIR).map((f) => loadLitmus(f));

test('compiled accesses and calls give the same histograms: the kernel tests and the corpus', (t) => {
  if (kernel.length === 0) return t.pass(KERNEL_SKIP_REASON);
  const tests = [...kernel, ...corpus];
  // most of them are compiled, or the comparison says little
  t.true(compiledThreads(tests) > tests.length, `${compiledThreads(tests)} compiled threads`);
  t.deepEqual(differing(tests, 1), []);
  // the same code in the threads' bodies, as on real threads
  t.deepEqual(differing(tests, 2, 'inlined'), []);
});

test('compiled accesses and calls give the same histograms: generated tests and shapes', (t) => {
  const tests = [
    ...Array.from({ length: 150 }, (_, k) => generatedTest(7_000 + k)),
    ...SHAPES.flatMap((s) => Array.from({ length: 4 }, (_, k) => shapeTest(s, 300 + k))),
  ];
  t.true(compiledThreads(tests) > tests.length / 2, `${compiledThreads(tests)} compiled threads`);
  t.deepEqual(differing(tests, 5), []);
});

const SB = parseLitmus(
  `C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)
`,
  'SB.litmus',
);

const LOCKED = parseLitmus(
  `C Locked
{}
P0(spinlock_t *s, int *x) { spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s); }
P1(spinlock_t *s, int *x) { int r0; spin_lock(s); r0 = READ_ONCE(*x); spin_unlock(s); }
exists (1:r0=1)
`,
  'Locked.litmus',
);

test('a thread of loads, stores and fences on named locations calls no memory operation', (t) => {
  const { layout } = oneInstance(SB);
  for (const stepped of [true, false]) {
    const th = SB.threads[0]!;
    const orders = WEAK_MEMORY.threadOrders!(SB, th, 1);
    const inline = WEAK_MEMORY.compiledAccesses!(SB, th, orders, layout, stepped);
    t.truthy(inline);
    const src = compileThread(SB, th, layout, { orders, stepwise: stepped, inline }).source;
    t.notRegex(src, /store_once|load_once|fence_mb/);
    // a small thread on real threads: the accesses in its body; in process, functions
    t.is(src.includes('const wval = 1;'), !stepped);
    t.is(src.includes('wst0(1);'), stepped);
    // real threads have locks (smp_mb()'s instance lock); stepped in process nothing else runs meanwhile
    t.is(src.includes('Atomics.compareExchange'), !stepped);
  }
});

test('a thread of many accesses calls a function made once per location and kind of access', (t) => {
  const loads = Array.from({ length: 100 }, (_, i) => `r${i} = READ_ONCE(*${i % 2 ? 'y' : 'x'});`);
  const many = parseLitmus(
    `C Many\n{}\nP0(int *x, int *y) { int ${loads.map((_, i) => `r${i}`).join(', ')}; ${loads.join(' ')} }\nP1(int *x, int *y) { WRITE_ONCE(*y, 1); WRITE_ONCE(*x, 1); }\nexists (0:r0=1)\n`,
    'Many.litmus',
  );
  const { layout } = oneInstance(many);
  const th = many.threads[0]!;
  const inline = WEAK_MEMORY.compiledAccesses!(many, th, [th.body], layout, false);
  const src = compileThread(many, th, layout, { inline }).source;
  t.is(src.match(/function wld\d/g)?.length, 2);
  t.is(src.match(/= wld[01]\(\);/g)?.length, 100);
});

test('a thread with a lock (or an rmw, RCU, an access through a register) keeps the calls', (t) => {
  const { layout } = oneInstance(LOCKED);
  for (const th of LOCKED.threads)
    t.is(WEAK_MEMORY.compiledAccesses!(LOCKED, th, [th.body], layout, true), undefined);
});
