// Random load-buffering-heavy litmus tests for the explorer's guesses (docs/explore.md "lkmm's
// load buffering: guesses"): 2 to 4 threads over four locations, each thread first reading
// two or three locations and then writing one or two, so that an execution in which the reads
// take the other threads' later writes has po;rf cycles through several reads of one thread
// (several guesses on one search path). Values are distinct per thread and write, so the
// guessed values are many; annotations and fences vary (some cycles lkmm forbids, some it
// allows). Printed as C-litmus text, so they pass through the real front end.

import type { Test } from '../../src/litmus/ir.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

const LOCS = ['x', 'y', 'z', 'w'];

/** The seed-th LB-heavy test. */
export function lbTest(seed: number): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0x1b1b);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = 2 + pick(3);
  const regs: string[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    const lines: string[] = [];
    const reads = threads === 2 ? 2 + pick(2) : 2;
    for (let r = 0; r < reads; r++) {
      const loc = LOCS[pick(LOCS.length)]!;
      lines.push(
        pick(5) === 0 ? `r${r} = smp_load_acquire(${loc});` : `r${r} = READ_ONCE(*${loc});`,
      );
      regs.push(`${p}:r${r}`);
    }
    if (pick(4) === 0) lines.push(['smp_mb();', 'smp_rmb();', 'smp_wmb();'][pick(3)]!);
    const writes = threads === 4 ? 1 : threads === 3 ? 1 + pick(2) : 2;
    for (let w = 0; w < writes; w++) {
      const loc = LOCS[pick(LOCS.length)]!;
      const v = 1 + p * 2 + w;
      lines.push(pick(5) === 0 ? `smp_store_release(${loc}, ${v});` : `WRITE_ONCE(*${loc}, ${v});`);
    }
    const decls = Array.from({ length: reads }, (_, r) => `  int r${r};`).join('\n');
    bodies.push(
      `P${p}(${LOCS.map((l) => `int *${l}`).join(', ')})\n{\n${decls}\n  ${lines.join('\n  ')}\n}`,
    );
  }
  const text = [
    `C lb-${seed}`,
    '',
    `{\n${LOCS.map((l) => `  int ${l} = 0;`).join('\n')}\n}`,
    '',
    ...bodies.flatMap((b) => [b, '']),
    `locations [${LOCS.join('; ')}]`,
    `exists (${regs.map((r) => `${r}=0`).join(' /\\ ')})`,
  ].join('\n');
  return parseLitmus(text, `lb-${seed}.litmus`);
}
