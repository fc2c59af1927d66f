// The sets of litmus tests the weak-coverage bench measures weak on: the kernel's tests, the
// luc set (both in ../shared, absent on a user's clone), and generated ones — the shapes weak
// used to miss (test/memory/weak/shapes.ts) and every variant of smplab gen's patterns over
// the kernel's orderings (src/gen/family.ts) — plus the tests its scale figures use (1,000
// registers, 10,000 locations). Each set is a name and a list of tests; nothing here runs them.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FAMILY_KEYS } from '../src/gen/families.ts';
import { familyCycles } from '../src/gen/family.ts';
import { generate } from '../src/gen/generate.ts';
import { KERNEL_LITMUS_DIR, REPO_ROOT } from '../src/lab/paths.ts';
import type { Test } from '../src/litmus/ir.ts';
import { loadLitmus } from '../src/litmus/load.ts';
import { parseLitmus } from '../src/litmus/parse.ts';
import { SHAPES, shapeTest } from '../test/memory/weak/shapes.ts';

export const LUC_DIR = join(REPO_ROOT, '../shared/lkmm-luc/litmus-tests');

/** Every .litmus file under dir (recursively), loaded; none when dir is absent. */
export function testsIn(dir: string): Test[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => loadLitmus(join(dir, f)));
}

export const kernelTests = (): Test[] => testsIn(KERNEL_LITMUS_DIR);
export const lucTests = (): Test[] => testsIn(LUC_DIR);

/** `perShape` generated tests of each shape weak used to miss, seeds from `seed`. */
export function shapeTests(perShape: number, seed: number): Test[] {
  return SHAPES.flatMap((shape) =>
    Array.from({ length: perShape }, (_, k) => shapeTest(shape, seed + k)),
  );
}

/** Every variant of every family smplab gen knows (gen --family F for each F). */
export function familyTests(): Test[] {
  const keys = Object.values(FAMILY_KEYS);
  return keys.flatMap((key) =>
    familyCycles(key).map((c) => {
      const g = generate(c);
      return parseLitmus(g.text, `${g.name}.litmus`);
    }),
  );
}

/** MP-like: P0 declares `regs` registers and loads x and y into each in turn (`accesses`: all of them, or two). */
export function registersTest(regs: number, accesses: 'all' | 'two'): Test {
  const decls = Array.from({ length: regs }, (_, i) => `\tint r${i};`);
  const loads =
    accesses === 'all'
      ? Array.from({ length: regs }, (_, i) => `\tr${i} = READ_ONCE(*${i % 2 ? 'y' : 'x'});`)
      : ['\tr0 = READ_ONCE(*x);', `\tr${regs - 1} = READ_ONCE(*y);`];
  const name = `regs${regs}-${accesses}`;
  return parseLitmus(
    `C ${name}\n{}\nP0(int *x, int *y)\n{\n${[...decls, ...loads].join('\n')}\n}\nP1(int *x, int *y)\n{\n\tWRITE_ONCE(*y, 1);\n\tWRITE_ONCE(*x, 1);\n}\nexists (0:r0=1 /\\ 0:r${regs - 1}=0)\n`,
    `${name}.litmus`,
  );
}

/** SB over the first and last of `locations` locations that both threads are passed. */
export function locationsTest(locations: number): Test {
  const params = Array.from({ length: locations }, (_, i) => `int *v${i}`).join(', ');
  const last = `v${locations - 1}`;
  const name = `locs${locations}`;
  return parseLitmus(
    `C ${name}\n{}\nP0(${params})\n{\n\tint r0;\n\tWRITE_ONCE(*v0, 1);\n\tr0 = READ_ONCE(*${last});\n}\nP1(${params})\n{\n\tint r0;\n\tWRITE_ONCE(*${last}, 1);\n\tr0 = READ_ONCE(*v0);\n}\nexists (0:r0=0 /\\ 1:r0=0)\n`,
    `${name}.litmus`,
  );
}
