// Generated tests against the kernel's own: a kernel test name read as a cycle and generated
// gives the same name back and a test the lkmm model judges as it judges the kernel's file;
// and against diy7's (../shared/lkmm-luc), a sample of whose names and herd7 verdicts the
// generator must reproduce. Skipped, saying so, where ../shared is absent.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { generate } from '../../src/gen/generate.ts';
import { cycleOfName } from '../../src/gen/parse-name.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const KERNEL = `${SHARED}lkmm/litmus-tests`;
const LUC = `${SHARED}lkmm-luc`;

/** Kernel tests of the families and edges gen knows (the rest use locks, RCU, one location …). */
const KERNEL_GENERATED = [
  'IRIW+fencembonceonces+OnceOnce',
  'IRIW+poonceonces+OnceOnce',
  'ISA2+poonceonces',
  'ISA2+pooncerelease+poacquirerelease+poacquireonce',
  'LB+fencembonceonce+ctrlonceonce',
  'LB+poacquireonce+pooncerelease',
  'LB+poonceonces',
  'MP+fencewmbonceonce+fencermbonceonce',
  'MP+poonceonces',
  'MP+pooncerelease+poacquireonce',
  'R+fencembonceonces',
  'R+poonceonces',
  'S+fencewmbonceonce+poacquireonce',
  'S+poonceonces',
  'SB+fencembonceonces',
  'SB+poonceonces',
  'SB+rfionceonce-poonceonces',
  'WRC+poonceonces+Once',
  'WRC+pooncerelease+fencermbonceonce+Once',
  'Z6.0+pooncerelease+poacquirerelease+fencembonceonce',
];

if (!existsSync(KERNEL)) {
  test.skip(`kernel test names: ${KERNEL} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  test('kernel tests of known patterns: same name, same verdict as the kernel file', (t) => {
    const readable = readdirSync(KERNEL)
      .map((f) => f.replace(/\.litmus$/, ''))
      .filter((name) => {
        try {
          cycleOfName(name);
          return true;
        } catch {
          return false; // a lock, RCU or coherence test: not a cycle of gen's edges
        }
      });
    t.deepEqual(readable.sort(), [...KERNEL_GENERATED].sort());
    for (const name of KERNEL_GENERATED) {
      const g = generate(cycleOfName(name));
      t.is(g.name, name);
      const kernel = loadLitmus(`${KERNEL}/${name}.litmus`);
      t.is(kernel.expected, g.expected, name);
      t.is(g.expected, checkModel(kernel, 'lkmm').observation, name);
    }
  });
}

if (!existsSync(`${LUC}/herd7-verdicts.tsv`)) {
  test.skip(`diy7 test names: ${LUC} is absent`, () => {});
} else {
  test("every 8th diy7 test: gen gives its name and herd7's verdict", (t) => {
    const rows = readFileSync(`${LUC}/herd7-verdicts.tsv`, 'utf8').trim().split('\n').slice(1);
    let compared = 0;
    for (const [k, row] of rows.entries()) {
      if (k % 8 !== 0) continue;
      const [file, observation] = row.split('\t');
      const name = file!.replace(/^[A-Za-z]+_C-/, '').replace(/\.litmus$/, '');
      // Paul's hand-named chains (RW-rra…) and two odd names (fenceonceonce, wmbs) are not cycles of gen's.
      if (/^RW-|fenceonce|wmbs/.test(name)) continue;
      const g = generate(cycleOfName(name));
      // WeakFence names its families in lower case.
      t.is(g.name.toLowerCase(), name.toLowerCase());
      // diy7's LKMM "ctrl" is `r1 = (r0 != 0)` with no branch, so no dependency: herd7 allows
      // those cycles; gen's ctrl is a real `if`, which the model (rightly) forbids.
      if (!name.includes('ctrl')) t.is(observation, g.expected, name);
      compared++;
    }
    t.true(compared > 200, `${compared} compared`);
  });
}
