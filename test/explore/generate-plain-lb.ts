// Random load-buffering tests through plain accesses, the shape where lkmm's guesses cannot
// come from the accepted executions (docs/explore.md "The guesses' domain of a litmus test"): a
// cycle closed by a control or data dependency through a plain read or a plain write is no
// cycle of happens-before, so lkmm allows it (flagging the data race), and a value or a count
// of writes it produces exists only inside it (test/explore/data/adversarial-guesses/
// plain-thin-air/). 2 to 4 threads over x, y (and z), each reading first (plain, READ_ONCE, an
// acquire load, xchg_relaxed, atomic_fetch_add_relaxed) and then writing (plain, WRITE_ONCE, a
// release store, xchg_relaxed) a constant or a value computed from a read (`r0`, `r0 + 1`:
// a self-feeding cycle of the latter has no solution, and herd7 and the model drop it), some
// writes under `if (rK == v)`, part of some threads inside spin_lock(s). Printed as C-litmus
// text.

import type { Test } from '../../src/litmus/ir.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

/** The seed-th test. */
export function plainLbTest(seed: number): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0x9a1d);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const either = <T>(xs: readonly T[]): T => xs[pick(xs.length)]!;
  const threads = either([2, 2, 2, 3, 3, 4]);
  const locs = threads > 2 ? ['x', 'y', 'z'] : ['x', 'y'];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    // a 4-thread test keeps each thread short: the model enumerates every rf and co choice
    const n = threads === 4 ? 2 + pick(2) : 2 + pick(3);
    const reads = 1 + (n > 2 ? pick(2) : 0);
    const ops: string[] = [];
    for (let i = 0; i < n; i++) {
      const loc = either(locs);
      const k = 1 + pick(2);
      if (i < reads) {
        ops.push(
          either([
            `r${i} = *${loc};`,
            `r${i} = *${loc};`,
            `r${i} = READ_ONCE(*${loc});`,
            `r${i} = smp_load_acquire(${loc});`,
            `r${i} = xchg_relaxed(${loc}, ${k});`,
            `r${i} = atomic_fetch_add_relaxed(${k}, ${loc});`,
          ]),
        );
        continue;
      }
      const r = `r${pick(reads)}`;
      const value = either([`${k}`, `${k}`, r, `${r} + 1`]);
      const write = either([
        `*${loc} = ${value};`,
        `*${loc} = ${value};`,
        `WRITE_ONCE(*${loc}, ${value});`,
        `smp_store_release(${loc}, ${value});`,
        `r9 = xchg_relaxed(${loc}, ${value});`,
      ]);
      ops.push(pick(2) ? `if (${r} == ${1 + pick(2)}) ${write}` : write);
    }
    if (pick(4) === 0) {
      const from = pick(ops.length);
      ops.splice(from + 1 + pick(ops.length - from), 0, 'spin_unlock(s);');
      ops.splice(from, 0, 'spin_lock(s);');
    }
    const regs = [...Array.from({ length: reads }, (_, i) => `r${i}`), 'r9'];
    const decls = regs.map((r) => `\tint ${r};`);
    const params = [...locs.map((l) => `int *${l}`), 'spinlock_t *s'].join(', ');
    bodies.push(`P${p}(${params})\n{\n${[...decls, ...ops.map((l) => `\t${l}`)].join('\n')}\n}\n`);
  }
  const name = `plain-lb-${seed}`;
  const text = [
    `C ${name}`,
    '',
    '{}',
    '',
    ...bodies,
    `locations [${locs.join('; ')}]`,
    'exists (x=0)',
  ].join('\n');
  return parseLitmus(text, `${name}.litmus`);
}
