// Conformance with herd7 running the kernel's own model: for every kernel litmus test in
// ../shared/lkmm/litmus-tests, and every diy7 test of ../shared/lkmm-luc/litmus-tests (1,876,
// in subfolders), checkModel(…, 'lkmm') gives the same Observation, the same Positive/Negative
// execution counts and the same set of final states as herd7's output in herd7-out/ beside
// them. Skipped, saying so, where ../shared is absent (a user's clone).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';
import { herdOut } from '../litmus/herd-out.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = `${ROOT}../shared/lkmm`;
const LUC = `${ROOT}../shared/lkmm-luc`;

/** How checkModel differs from herd7's output on one test; undefined when it agrees. */
function difference(litmus: string, out: string): string | undefined {
  const herd = herdOut(readFileSync(out, 'utf8'));
  // pruneMin 1: every prefix is checked, the most pruning there is (the default checks a
  // subset of those prefixes), so agreeing with herd7 here shows every cut was sound.
  const v = checkModel(loadLitmus(litmus), 'lkmm', { pruneMin: 1 });
  const states = [...v.states.keys()].sort();
  if (v.observation !== herd.observation)
    return `observation ${v.observation}, herd7 ${herd.observation}`;
  if (`${v.positive}/${v.negative}` !== herd.counts)
    return `counts ${v.positive}/${v.negative}, herd7 ${herd.counts}`;
  const extra = states.filter((x) => !herd.states.includes(x));
  const missing = herd.states.filter((x) => !states.includes(x));
  if (extra.length > 0 || missing.length > 0)
    return `states: extra ${extra.join(' | ') || '-'}, missing ${missing.join(' | ') || '-'}`;
  return undefined;
}

const litmusIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .sort();

if (!existsSync(`${SHARED}/litmus-tests`)) {
  test.skip(`conformance with herd7: ${SHARED} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  for (const file of litmusIn(`${SHARED}/litmus-tests`)) {
    test(`lkmm = herd7 on ${file}`, (t) => {
      t.is(
        difference(`${SHARED}/litmus-tests/${file}`, `${SHARED}/herd7-out/${file}.out`),
        undefined,
      );
    });
  }
}

if (!existsSync(`${LUC}/litmus-tests`)) {
  test.skip(`conformance with herd7 on the luc set: ${LUC} is absent (it ships with the lab machine, not the repo)`, () => {});
} else {
  // One test per subfolder (a test per file would make ava's overhead the cost), each listing
  // every file that differs.
  const folders = readdirSync(`${LUC}/litmus-tests`).sort();
  test('the luc set holds the 1,876 tests herd7-verdicts.tsv lists', (t) => {
    const rows = readFileSync(`${LUC}/herd7-verdicts.tsv`, 'utf8').trim().split('\n').length - 1;
    const files = folders.reduce((n, d) => n + litmusIn(`${LUC}/litmus-tests/${d}`).length, 0);
    t.deepEqual([files, rows], [1876, 1876]);
  });
  for (const folder of folders) {
    test(`lkmm = herd7 on every luc test of ${folder}`, (t) => {
      const differ: string[] = [];
      const files = litmusIn(`${LUC}/litmus-tests/${folder}`);
      for (const file of files) {
        const d = difference(
          `${LUC}/litmus-tests/${folder}/${file}`,
          `${LUC}/herd7-out/${folder}/${file}.out`,
        );
        if (d !== undefined) differ.push(`${file}: ${d}`);
      }
      t.deepEqual(differ, [], `${differ.length} of ${files.length} differ`);
    });
  }
}
