// Random tests with thin-air cycles, for the model's agreement with herd7 where a value
// nothing determines flows round a cycle of reads-from and data (src/model/solve): 2 or 3
// threads over x, y and z, each reading one or two locations (mostly plain reads, which lkmm
// lets close a load-buffering cycle; also READ_ONCE, xchg_relaxed, cmpxchg_relaxed,
// atomic_add_return_relaxed), maybe computing a register from them, then writing one or two
// locations a value that copies a register (`r0`, `r0 + 0`, `r0 | 0`), computes one
// (`r0 + 1`, `r0 - 0`, `r0 ^ r0`, `r0 * 2`, `r0 + r1`) or is a constant, some writes under a
// branch on a register (`if (r0 == 1)`, `if (r0)`, `if (r0 == r0)`). The condition names
// registers, a location or two registers' equality. Printed as C-litmus text, so they pass
// through the real front end; herd7's answers are recorded in data/thin-air/generated.tsv.

import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

const LOCS = ['x', 'y', 'z'];

export const thinAirName = (seed: number) => `thin-air-${seed}`;

/** The seed-th test's C-litmus text. */
export function thinAirText(seed: number): string {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0x7a1e);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const either = (options: string[]) => options[pick(options.length)]!;
  const threads = 2 + pick(2);
  const bodies: string[] = [];
  const keys: string[] = [];
  for (let p = 0; p < threads; p++) {
    const reads = 1 + pick(2);
    const reg = () => `r${pick(reads)}`;
    const lines: string[] = [];
    for (let i = 0; i < reads; i++) {
      const loc = LOCS[pick(3)]!;
      lines.push(
        either([
          `r${i} = *${loc};`,
          `r${i} = *${loc};`,
          `r${i} = *${loc};`,
          `r${i} = READ_ONCE(*${loc});`,
          `r${i} = xchg_relaxed(${loc}, ${either(['1', reg()])});`,
          `r${i} = cmpxchg_relaxed(${loc}, ${either(['0', '1'])}, ${either(['2', reg()])});`,
          `r${i} = atomic_add_return_relaxed(${either(['0', '1'])}, ${loc});`,
        ]),
      );
      keys.push(`${p}:r${i}`);
    }
    if (pick(3) === 0) {
      lines.push(`r9 = ${either(['r0 + 0', 'r0 * 2', `${reg()} + ${reg()}`, 'r0 ^ r0', '0'])};`);
      keys.push(`${p}:r9`);
    }
    const writes = 1 + pick(2);
    for (let i = 0; i < writes; i++) {
      const loc = LOCS[pick(3)]!;
      const value = either([
        reg(),
        reg(),
        reg(),
        `${reg()} + 0`,
        `${reg()} | 0`,
        `${reg()} + 1`,
        `${reg()} - 0`,
        `${reg()} ^ ${reg()}`,
        `${reg()} * 2`,
        `${reg()} + ${reg()}`,
        `${1 + pick(3)}`,
      ]);
      const write = either([`*${loc} = ${value};`, `WRITE_ONCE(*${loc}, ${value});`]);
      const branch = either([`${reg()} == ${pick(3)}`, reg(), `${reg()} == ${reg()}`]);
      lines.push(pick(4) === 0 ? `if (${branch}) ${write}` : write);
    }
    const decls = [...Array.from({ length: reads }, (_, i) => `r${i}`), 'r9'].map(
      (r) => `\tint ${r};`,
    );
    bodies.push(
      `P${p}(int *x, int *y, int *z)\n{\n${[...decls, ...lines.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const key = () => keys[pick(keys.length)]!;
  const condition = either([
    `${key()}=0`,
    `${key()}=1`,
    `${key()}=0 /\\ ${key()}=0`,
    `${key()}=${key()}`,
    `${LOCS[pick(3)]}=0`,
    `~${key()}=0`,
  ]);
  return [
    `C ${thinAirName(seed)}`,
    '',
    '{}',
    '',
    ...bodies,
    `locations [${keys.join('; ')}; x; y; z]`,
    `exists (${condition})`,
    '',
  ].join('\n');
}
