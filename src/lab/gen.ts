// `gen` as a use case: C-litmus tests made from relaxation cycles (src/gen), written to a
// folder. A file already there with other text is not overwritten without `force`, and then
// nothing is written at all.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { parseCycle } from '../gen/cycle.ts';
import { familyCycles } from '../gen/family.ts';
import { type Generated, generate } from '../gen/generate.ts';
import { cycleOfName } from '../gen/parse-name.ts';
import { patternCycle } from '../gen/patterns.ts';

/** What to make: a pattern or kernel-style name, a diy7 cycle, or a pattern's whole family. */
export type GenRequest =
  | { kind: 'name'; name: string }
  | { kind: 'cycle'; text: string }
  | { kind: 'family'; pattern: string };

/** A family: every ordering of the pattern's edges (its pattern by its canonical name). */
export function generateFamily(pattern: string): { pattern: string; tests: Generated[] } {
  const name = patternCycle(pattern).name;
  return { pattern: name, tests: familyCycles(name).map((c) => generate(c)) };
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
