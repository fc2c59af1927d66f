// Agreement of the explorer with the litmus model: a litmus test's compiled code, run on the
// exploring memory (src/explore/litmus.ts), gives exactly the final states, with the same
// witness counts, that checkModel gives for its IR, under sc, tso and lkmm. On every test of
// scenarios/litmus, ../shared/lkmm (35) and ../shared/lkmm-luc (1,876; skipped, saying so,
// where ../shared is absent), and on tests made here: the weak soundness generator's random
// tests and `smplab gen` families. A disagreement is a bug in one of the two.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { exploreLitmus } from '../../src/explore/litmus.ts';
import { FAMILY_KEYS } from '../../src/gen/families.ts';
import { familyCycles } from '../../src/gen/family.ts';
import { generate } from '../../src/gen/generate.ts';
import type { Test } from '../../src/litmus/ir.ts';
import { litmusFilesUnder, loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel, MODELS } from '../../src/model/index.ts';
import { generatedTest } from '../memory/weak/generate.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KERNEL = `${ROOT}../shared/lkmm/litmus-tests`;
const LUC = `${ROOT}../shared/lkmm-luc/litmus-tests`;

/** How the explorer differs from the model on one test and model; undefined when it agrees. */
function difference(t: Test, model: (typeof MODELS)[number]): string | undefined {
  const v = checkModel(t, model);
  const e = exploreLitmus(t, model);
  const states = (m: Map<string, unknown>) => [...m.keys()].sort().join(' | ');
  if (states(v.states) !== states(e.states))
    return `${t.name} under ${model}: states ${states(e.states)}, model ${states(v.states)}`;
  if (v.positive !== e.positive || v.negative !== e.negative)
    return `${t.name} under ${model}: counts ${e.positive}/${e.negative}, model ${v.positive}/${v.negative}`;
  return undefined;
}

/** Differences over a set of tests; tests the explorer refuses (no compiled form) are listed apart. */
function differences(tests: Test[]): { differ: string[]; refused: string[] } {
  const differ: string[] = [];
  const refused: string[] = [];
  for (const t of tests)
    for (const m of MODELS) {
      try {
        const d = difference(t, m);
        if (d) differ.push(d);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        if (m === 'sc') refused.push(`${t.name}: ${e.message}`);
      }
    }
  return { differ, refused };
}

test('explorer = model on every test of scenarios/litmus', (t) => {
  const { differ, refused } = differences(
    litmusFilesUnder(`${ROOT}scenarios/litmus`).map(loadLitmus),
  );
  t.deepEqual(differ, []);
  // Only grace periods have no compiled form (the threads backends refuse them too).
  t.true(
    refused.every((r) => /synchronize_rcu|SRCU/.test(r)),
    refused.join('\n'),
  );
});

if (!existsSync(KERNEL)) {
  test.skip(`explorer = model on the kernel's tests: ${KERNEL} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  test("explorer = model on the kernel's litmus tests", (t) => {
    const files = litmusFilesUnder(KERNEL);
    t.is(files.length, 35);
    const { differ, refused } = differences(files.map(loadLitmus));
    t.deepEqual(differ, []);
    t.true(
      refused.every((r) => /synchronize_rcu|SRCU/.test(r)),
      refused.join('\n'),
    );
  });
}

if (!existsSync(LUC)) {
  test.skip(`explorer = model on the luc set: ${LUC} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  const folders = readdirSync(LUC).sort();
  for (const folder of folders)
    test(`explorer = model on every luc test of ${folder}`, (t) => {
      const { differ, refused } = differences(litmusFilesUnder(join(LUC, folder)).map(loadLitmus));
      t.deepEqual(differ, []);
      t.deepEqual(refused, []);
    });
}

test('explorer = model on 400 generated tests (the weak soundness generator)', (t) => {
  const tests = Array.from({ length: 400 }, (_, i) => generatedTest(i + 1));
  const { differ, refused } = differences(tests);
  t.deepEqual(differ, []);
  t.deepEqual(refused, []);
});

test('explorer = model on the smplab gen families MP, SB, LB, WRC', (t) => {
  const tests = ['MP', 'SB', 'LB', 'WRC'].flatMap((p) =>
    familyCycles(FAMILY_KEYS[p]!).map((c) => {
      const g = generate(c);
      return parseLitmus(g.text, `${g.name}.litmus`);
    }),
  );
  t.true(tests.length > 100, `${tests.length} tests`);
  const { differ, refused } = differences(tests);
  t.deepEqual(differ, []);
  t.deepEqual(refused, []);
});
