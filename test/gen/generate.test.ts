// Generated tests: the text of one in full, the values and conditions diy7's rules give, and
// the round trip every generated file must make — parse it back and the lkmm model's verdict
// is its own Result: line — for every pattern and for whole families.

import test from 'ava';
import { CTRL_NOTE } from '../../src/gen/build.ts';
import { checkCycle, parseCycle } from '../../src/gen/check.ts';
import { FAMILY_KEYS, FAMILY_NAMES, skeletonEdges } from '../../src/gen/families.ts';
import { familyCycles } from '../../src/gen/family.ts';
import { GEN_MODEL, type Generated, generate } from '../../src/gen/generate.ts';
import { cycleOfName } from '../../src/gen/parse-name.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel } from '../../src/model/index.ts';

const gen = (cycle: string): Generated => generate(parseCycle(cycle));

/** The file's Result: line against the model's verdict on the file as parsed back. */
function roundTrip(g: Generated): { written: string | undefined; model: string; name: string } {
  const parsed = parseLitmus(g.text, `${g.name}.litmus`);
  return {
    written: parsed.expected,
    model: checkModel(parsed, GEN_MODEL).observation,
    name: parsed.name,
  };
}

test('SB from its cycle, in full', (t) => {
  t.is(
    gen('Fre PodWR Fre PodWR').text,
    `C SB+poonceonces
"PodWROnceOnce FreOnceOnce PodWROnceOnce FreOnceOnce"
Cycle=FreOnceOnce PodWROnceOnce FreOnceOnce PodWROnceOnce
Relax=
Safe=FreOnceOnce PodWROnceOnce
Prefetch=0:x=F,0:y=T,1:y=F,1:x=T
Com=Fr Fr
Orig=PodWROnceOnce FreOnceOnce PodWROnceOnce FreOnceOnce
(* Result: Sometimes *)

{}

P0(int *x, int *y)
{
  int r0;
  WRITE_ONCE(*x, 1);
  r0 = READ_ONCE(*y);
}

P1(int *y, int *x)
{
  int r0;
  WRITE_ONCE(*y, 1);
  r0 = READ_ONCE(*x);
}

exists (0:r0=0 /\\ 1:r0=0)
`,
  );
});

test('coherence edges order the values written, and the condition names the last', (t) => {
  const w2 = gen('PodWW Wse PodWW Wse');
  t.is(w2.name, '2+2W+poonceonces');
  t.regex(
    w2.text,
    /P0\(int \*x, int \*y\)\n\{\n {2}WRITE_ONCE\(\*x, 2\);\n {2}WRITE_ONCE\(\*y, 1\);/,
  );
  t.regex(w2.text, /exists \(\[x\]=2 \/\\ \[y\]=2\)/);
  const s = gen('PodWW Rfe PodRW Wse');
  t.regex(s.text, /WRITE_ONCE\(\*x, 2\);\n {2}WRITE_ONCE\(\*y, 1\);/);
  t.regex(s.text, /exists \(\[x\]=2 \/\\ 1:r0=1\)/);
});

test('fences and dependencies as the kernel writes them', (t) => {
  const mp = gen('FenceWmbdWW Rfe DpAddrdRAcquireOnce Fre');
  t.is(mp.name, 'MP+fencewmbonceonce+addracquireonce');
  t.regex(mp.text, /WRITE_ONCE\(\*x, 1\);\n {2}smp_wmb\(\);\n {2}WRITE_ONCE\(\*y, 1\);/);
  t.regex(
    mp.text,
    /r0 = smp_load_acquire\(y\);\n {2}r1 = READ_ONCE\(\*\(x \+ \(r0 & 128\)\)\);\n\}/,
  );
  t.is(mp.expected, 'Never');
  const lb = gen('DpDatadW Rfe DpCtrldWOnceRelease Rfe');
  t.is(lb.name, 'LB+dataonceonce+ctrloncerelease');
  t.regex(lb.text, /if \(r0 == 1\) \{\n {4}smp_store_release\(x, 1\);\n {2}\}/);
  // A real control dependency, unlike the archive's older diy7 tests (`r1 = (r0 != 0);`): the file says so.
  t.true(lb.text.includes(CTRL_NOTE));
  t.false(mp.text.includes(CTRL_NOTE));
  t.regex(lb.text, /WRITE_ONCE\(\*y, 1 \+ \(r0 & 128\)\);/);
  t.is(lb.expected, 'Never');
});

test('a dependency matters: MP with smp_wmb and a ctrl dependency to a read is allowed, with addr it is not', (t) => {
  t.is(gen('FenceWmbdWW Rfe DpCtrldR Fre').expected, 'Sometimes');
  t.is(gen('FenceWmbdWW Rfe DpAddrdR Fre').expected, 'Never');
});

test('every family round-trips: parsed back, the model gives its Result: line', (t) => {
  for (const p of FAMILY_NAMES) {
    const g = generate(checkCycle(skeletonEdges(FAMILY_KEYS[p]!)));
    const back = roundTrip(g);
    t.is(back.written, g.expected, p);
    t.is(back.model, g.expected, p);
    t.is(back.name, g.name, p);
    t.true(g.name.startsWith(`${p}+`), g.name);
  }
});

test('families round-trip, name distinct tests, and read back from their names', (t) => {
  for (const [p, size] of [
    ['SB', 3],
    ['MP', 24],
    ['LB', 36],
    ['IRIW', 21],
  ] as const) {
    const family = familyCycles(FAMILY_KEYS[p]!).map((c) => generate(c));
    t.is(family.length, size, p);
    t.is(new Set(family.map((g) => g.name)).size, size, p);
    for (const g of family) {
      const back = roundTrip(g);
      t.is(back.model, g.expected, g.name);
      t.is(back.written, g.expected, g.name);
      t.is(generate(cycleOfName(g.name)).text, g.text, g.name);
    }
  }
});

test('the MP family is the barrier map: release/acquire, wmb/rmb, and wmb with addr forbid; no ordering on one side allows', (t) => {
  const verdicts = new Map(
    familyCycles(FAMILY_KEYS.MP!)
      .map((c) => generate(c))
      .map((g) => [g.name, g.expected]),
  );
  t.is(verdicts.get('MP+poonceonces'), 'Sometimes');
  t.is(verdicts.get('MP+pooncerelease+poacquireonce'), 'Never');
  t.is(verdicts.get('MP+fencewmbonceonce+fencermbonceonce'), 'Never');
  t.is(verdicts.get('MP+fencewmbonceonce+addronceonce'), 'Never');
  t.is(verdicts.get('MP+fencewmbonceonce+ctrlonceonce'), 'Sometimes');
  t.is(verdicts.get('MP+poonceonce+fencermbonceonce'), 'Sometimes');
});
