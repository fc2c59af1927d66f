// Random load-buffering tests whose written values are computed from what was read
// (`WRITE_ONCE(*y, r0 + 1)`), for the adversarial review of lkmm's guesses
// (test/explore/adversarial-lkmm.test.ts): 2 to 4 threads over x, y and z, each reading one or
// two locations first (READ_ONCE, an acquire load, an xchg_relaxed or a cmpxchg_relaxed, or a
// plain read when `plain`) and then writing one or two (WRITE_ONCE, a release store, or plain),
// a value that is a constant or a register plus -1, 0 or 1, some writes under `if (rK == v)`,
// some fences between. A value computed inside a load-buffering cycle is written only in that
// cycle: through a plain access lkmm allows the cycle (a data race), and the explorer's guesses
// must still offer that value. Printed as C-litmus text, so they pass through the real front end.

import type { Test } from '../../src/litmus/ir.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

const LOCS = ['x', 'y', 'z'];

/** The seed-th test. */
export function dataLbTest(seed: number, plain = true): Test {
  return parseLitmus(dataLbText(seed, plain), `${testName(seed, plain)}.litmus`);
}

const testName = (seed: number, plain: boolean) => `data-lb-${plain ? 'plain-' : ''}${seed}`;

/** The seed-th test's C-litmus text. */
export function dataLbText(seed: number, plain = true): string {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0xda7a);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const either = (kinds: string[]) => kinds[pick(kinds.length)]!;
  const threads = [2, 2, 3, 3, 4][pick(5)]!;
  const bodies: string[] = [];
  const regs: string[] = [];
  for (let p = 0; p < threads; p++) {
    const reads = threads < 4 ? 1 + pick(2) : 1;
    for (let i = 0; i < reads; i++) regs.push(`${p}:r${i}`);
    const writes = 1 + pick(2);
    const ops: string[] = [];
    const reg = () => `r${pick(reads)}`;
    const value = () =>
      pick(2) ? `${1 + pick(2)}` : `${reg()} ${either(['+ 1', '+ 1', '- 1', '+ 0'])}`;
    for (let i = 0; i < reads; i++) {
      const loc = LOCS[pick(3)]!;
      ops.push(
        either([
          `r${i} = READ_ONCE(*${loc});`,
          `r${i} = READ_ONCE(*${loc});`,
          `r${i} = smp_load_acquire(${loc});`,
          `r${i} = xchg_relaxed(${loc}, ${value()});`,
          `r${i} = cmpxchg_relaxed(${loc}, ${pick(2)}, ${1 + pick(2)});`,
          ...(plain ? [`r${i} = *${loc};`, `r${i} = *${loc};`] : []),
        ]),
      );
    }
    if (pick(4) === 0) ops.push(either(['smp_mb();', 'smp_wmb();', 'smp_rmb();']));
    for (let i = 0; i < writes; i++) {
      const loc = LOCS[pick(3)]!;
      const v = value();
      const write = either([
        `WRITE_ONCE(*${loc}, ${v});`,
        `WRITE_ONCE(*${loc}, ${v});`,
        `smp_store_release(${loc}, ${v});`,
        ...(plain ? [`*${loc} = ${v};`, `*${loc} = ${v};`] : []),
      ]);
      ops.push(pick(3) === 0 ? `if (${reg()} == ${1 + pick(3)}) ${write}` : write);
    }
    const decls = Array.from({ length: reads }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, int *z)\n{\n${[...decls, ...ops.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  return [
    `C ${testName(seed, plain)}`,
    '',
    '{}',
    '',
    ...bodies,
    `locations [${regs.join('; ')}; x; y; z]`,
    'exists (x=0)',
  ].join('\n');
}
