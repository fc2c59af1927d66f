// Our litmus corpus (scenarios/litmus): every file parses, is named after its file, states
// its expected Result and explains itself; the pairs with and without the ordering that
// matters are all there with the verdicts LKMM gives; and where the kernel has a test of
// the same name, ours means exactly the same thing.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import test from 'ava';
import type { Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import {
  CORPUS_DIR,
  KERNEL_SKIP_REASON,
  KERNEL_TESTS_DIR,
  litmusFiles,
  withoutPositions,
} from './kernel-tests.ts';

const files = litmusFiles(CORPUS_DIR);

/** Each pair (or trio): the test without the ordering (Sometimes), then those with it (Never). */
const PAIRS: [weak: string, ...ordered: string[]][] = [
  ['SB+poonceonces', 'SB+fencembonceonces', 'SB+poxchgonces'],
  [
    'MP+poonceonces',
    'MP+fencewmbonceonce+fencermbonceonce',
    'MP+pooncerelease+poacquireonce',
    'MP+lockedonceonces',
  ],
  ['LB+poonceonces', 'LB+poacquireonce+pooncerelease'],
  ['R+poonceonces', 'R+fencembonceonces'],
  ['S+poonceonces', 'S+fencewmbonceonce+poacquireonce'],
  ['2+2W+poonceonces', '2+2W+fencembonceonces'],
  ['IRIW+poonceonces+OnceOnce', 'IRIW+fencembonceonces+OnceOnce'],
  ['WRC+poonceonces+Once', 'WRC+pooncerelease+fencermbonceonce+Once'],
  ['ISA2+poonceonces', 'ISA2+pooncerelease+poacquirerelease+poacquireonce'],
  ['SB+poxchgrelaxedonces'],
  ['counter+onceincs', 'counter+atomicincs'],
  ['SB+cmpxchgfailonces', 'SB+cmpxchgfail-mbafteratomiconces'],
  ['MP+dclonces+ctrlonceonce', 'MP+dclrelease+ctrlacquireonce'],
  ['MP+syncrcu+onceonces', 'MP+syncrcu+rcuonceonces'],
];
/** Coherence, and the atomicity of an RMW: Never under every model. */
const COHERENCE = [
  'CoRR+poonceonce+Once',
  'CoRW+poonceonce+Once',
  'CoWR+poonceonce+Once',
  'CoWW+poonceonce',
  'CoRMW+fetchadd+set',
];

test('the corpus has every pair, the coherence tests, and nothing unlisted', (t) => {
  const names = files.map((f) => basename(f, '.litmus')).sort();
  t.deepEqual(names, [...PAIRS.flat(), ...COHERENCE].sort());
});

for (const file of files) {
  const name = basename(file, '.litmus');
  test(`corpus ${name} parses, is named after its file, and explains its Result`, (t) => {
    const lit = loadLitmus(file);
    t.is(lit.name, name);
    t.not(lit.expected, undefined);
    // The Result comment: `(*`, the Result line, a blank line, then 2 to 4 lines of prose.
    const comment = /\(\*\n \* Result: \w+\n \*\n((?: \* .+\n){2,4}) \*\)/.exec(
      readFileSync(file, 'utf8'),
    );
    t.truthy(comment, 'a (* Result: ... *) comment with a two-to-four-line explanation');
  });
}

test('no corpus test names a location or register `lock`, which herd7 refuses as a name', (t) => {
  // herd7 reads `lock` as a keyword; a corpus file must run unchanged under herd7 too.
  for (const file of files) {
    const lit = loadLitmus(file);
    const names = [
      ...lit.locations.map((l) => l.name),
      ...lit.threads.flatMap((th) => th.registers.map((r) => r.name)),
    ];
    t.false(names.includes('lock'), basename(file));
  }
});

test('each weak test is Sometimes and each ordered counterpart Never; coherence is always Never', (t) => {
  const expected = (name: string): Test['expected'] =>
    loadLitmus(join(CORPUS_DIR, `${name}.litmus`)).expected;
  for (const [weak, ...ordered] of PAIRS) {
    t.is(expected(weak), 'Sometimes', weak);
    for (const o of ordered) t.is(expected(o), 'Never', o);
  }
  for (const c of COHERENCE) t.is(expected(c), 'Never', c);
});

const kernelPresent = existsSync(KERNEL_TESTS_DIR);
(kernelPresent ? test : test.skip)(
  `a corpus test named like a kernel test means the same: locations, threads, condition, Result${kernelPresent ? '' : ` — skipped: ${KERNEL_SKIP_REASON}`}`,
  (t) => {
    const meaning = (lit: Test) =>
      withoutPositions({
        locations: lit.locations,
        threads: lit.threads,
        condition: lit.condition,
        expected: lit.expected,
      });
    let compared = 0;
    for (const file of files) {
      const kernel = join(KERNEL_TESTS_DIR, basename(file));
      if (!existsSync(kernel)) continue;
      t.deepEqual(meaning(loadLitmus(file)), meaning(loadLitmus(kernel)), basename(file));
      compared++;
    }
    t.is(compared, 21);
  },
);
