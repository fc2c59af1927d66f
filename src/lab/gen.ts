// `gen` as a use case: C-litmus tests made from relaxation cycles (src/gen), written to a
// folder. A file already there with other text is not overwritten without `force`, and then
// nothing is written at all.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { parseCycle } from '../gen/check.ts';
import { findFamily } from '../gen/families.ts';
import { familyCycles } from '../gen/family.ts';
import { type Generated, generate } from '../gen/generate.ts';
import { cycleOfName } from '../gen/parse-name.ts';

/** What to make: a family or test name, a diy7 cycle, or a family's every test. */
export type GenRequest =
  | { kind: 'name'; name: string }
  | { kind: 'cycle'; text: string }
  | { kind: 'family'; pattern: string };

/** A family, by diy7's name or key: every ordering of its edges, and its name. */
export function generateFamily(pattern: string): { pattern: string; tests: Generated[] } {
  const { name, key } = findFamily(pattern);
  return { pattern: name, tests: familyCycles(key).map((c) => generate(c)) };
}

export function generateOne(request: Exclude<GenRequest, { kind: 'family' }>): Generated {
  return generate(request.kind === 'cycle' ? parseCycle(request.text) : cycleOfName(request.name));
}

/** Writes every test as DIR/NAME.litmus; refuses, writing none, if one would replace other text. */
export function writeTests(tests: Generated[], dir: string, force: boolean): string[] {
  const paths = tests.map((t) => join(dir, `${t.name}.litmus`));
  const differ = paths.filter(
    (p, i) => existsSync(p) && readFileSync(p, 'utf8') !== tests[i]!.text,
  );
  if (differ.length > 0 && !force) {
    throw new UserError(
      `${differ[0]!}${differ.length > 1 ? ` and ${differ.length - 1} more files` : ''} ` +
        `already ${differ.length > 1 ? 'exist' : 'exists'} with other text; nothing written ` +
        '(--force overwrites, -o DIR writes elsewhere)',
    );
  }
  mkdirSync(dir, { recursive: true });
  for (const [i, t] of tests.entries()) writeFileSync(paths[i]!, t.text);
  return paths;
}
