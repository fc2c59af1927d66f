// Every litmus test of the lab's corpus (scenarios/litmus) states its verdict in a `Result:`
// line; the LKMM must agree with each.

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';

const DIR = fileURLToPath(new URL('../../scenarios/litmus', import.meta.url));
const files = existsSync(DIR)
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.litmus'))
      .sort()
  : [];

if (files.length === 0) test.skip('scenarios/litmus has no .litmus files yet', () => {});

for (const file of files) {
  test(`scenarios/litmus/${file}: lkmm agrees with its Result line`, (t) => {
    const litmus = loadLitmus(`${DIR}/${file}`);
    if (!litmus.expected) return t.fail(`${file} has no Result: line`);
    t.is(checkModel(litmus, 'lkmm').observation, litmus.expected);
  });
}
