// The README's backend table is the registry's: one row per backend, its description word for word.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { BACKENDS } from '../../src/backends/registry.ts';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

test("the README's backend table lists every registered backend with its description", (t) => {
  const table = /<!-- backends:[^\n]*\n([\s\S]*?)<!-- end backends -->/.exec(README)?.[1];
  t.truthy(table, 'the README has its backend table between the markers');
  const rows = table!
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => l.split('|').map((c) => c.trim()));
  t.deepEqual(
    rows.map(([, name, description]) => [name, description]),
    BACKENDS.map((b) => [`\`${b.name}\``, b.description]),
  );
});
