// What herd7 reads, smplab reads, and means the same by: each fixture of
// test/fixtures/litmus/herd7/ (its README says where they come from and how herd7 ran) gets
// herd7's observation, Positive/Negative counts and final states from the lkmm model.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';
import { herdOut } from './herd-out.ts';
import { REPO_ROOT } from './kernel-tests.ts';

const DIR = join(REPO_ROOT, 'test', 'fixtures', 'litmus', 'herd7');

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.litmus'));

test('the fixtures are there', (t) => {
  t.deepEqual(fixtures.sort(), [
    'LB+casts.litmus',
    'MP+locations-unused-register.litmus',
    'MP+pointer-to-pointer.litmus',
    'MP+void-pointers.litmus',
    'SB+not.litmus',
  ]);
});

for (const f of fixtures) {
  test(`${f}: read as herd7 reads it, with herd7's verdict and states`, (t) => {
    const v = checkModel(loadLitmus(join(DIR, f)), 'lkmm');
    const herd = herdOut(readFileSync(join(DIR, `${f}.out`), 'utf8'));
    t.deepEqual(
      {
        states: [...v.states.keys()].sort(),
        counts: `${v.positive}/${v.negative}`,
        observation: v.observation,
      },
      herd,
    );
  });
}
