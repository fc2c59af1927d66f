// Random load-buffering tests closed by control dependencies, the shape that tries lkmm's guess
// prunings hardest (docs/explore.md "Writes left", "A lock waited for past a pending guess"):
// 2 or 3 threads, each reading x or y first (READ_ONCE, an acquire load, an xchg_relaxed) and
// then writing, some writes under `if (rK == v)` on a read, values mostly 1 so that a thread's
// count of writes of one value matters, part of some threads inside spin_lock(s). `plain`: reads
// and writes may be plain too (then a cycle through a plain access is no hb cycle: lkmm allows
// it, and the explorer misses it, adversarial-guesses.test.ts). Printed as C-litmus text.

import type { Test } from '../../src/litmus/ir.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

/** The seed-th test. */
export function ctrlLbTest(seed: number, plain = false): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0xc7b1);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = pick(4) === 0 ? 3 : 2;
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    const n = 3 + pick(2);
    const reads = 1 + (n > 3 ? pick(2) : 0);
    const ops: string[] = [];
    for (let i = 0; i < n; i++) {
      const loc = ['x', 'y'][pick(2)]!;
      const v = pick(3) > 0 ? 1 : 2;
      const either = (kinds: string[]) => kinds[pick(kinds.length)]!;
      if (i < reads) {
        ops.push(
          either([
            `r${i} = READ_ONCE(*${loc});`,
            `r${i} = smp_load_acquire(${loc});`,
            `r${i} = xchg_relaxed(${loc}, ${v});`,
            ...(plain ? [`r${i} = *${loc};`] : []),
          ]),
        );
        continue;
      }
      const write = either([
        `WRITE_ONCE(*${loc}, ${v});`,
        `smp_store_release(${loc}, ${v});`,
        ...(plain ? [`*${loc} = ${v};`] : []),
      ]);
      ops.push(pick(2) ? `if (r${pick(reads)} == ${1 + pick(2)}) ${write}` : write);
    }
    if (pick(3) === 0) {
      const from = pick(ops.length);
      ops.splice(from + 1 + pick(ops.length - from), 0, 'spin_unlock(s);');
      ops.splice(from, 0, 'spin_lock(s);');
    }
    const decls = Array.from({ length: reads }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, spinlock_t *s)\n{\n${[...decls, ...ops.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const name = `ctrl-lb-${plain ? 'plain-' : ''}${seed}`;
  const text = [`C ${name}`, '', '{}', '', ...bodies, 'locations [x; y]', 'exists (x=0)'].join(
    '\n',
  );
  return parseLitmus(text, `${name}.litmus`);
}
