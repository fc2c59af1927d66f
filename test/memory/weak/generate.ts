// Random small litmus tests for the weak CPU's soundness property: two or three threads over
// x, y, z, each a few accesses, fences, rmws, dependencies and branches drawn from a seeded
// generator, printed as C-litmus text (so they pass through the real front end). Every
// register and location is observed, so comparing states compares whole outcomes.

import type { Test } from '../../../src/litmus/ir.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import {
  prandom_seed_state,
  prandom_u32_state,
  type rnd_state,
} from '../../../src/memory/random.ts';

const LOCS = ['x', 'y', 'z'];

/** The seed-th generated test. */
export function generatedTest(seed: number): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = 2 + pick(2);
  const regs: string[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    const lines: string[] = [];
    let r = 0;
    const lastReg = () => (r > 0 ? `r${r - 1}` : undefined);
    for (let n = 2 + pick(threads === 2 ? 3 : 2); n > 0; n--) {
      const loc = LOCS[pick(LOCS.length)]!;
      const v = 1 + p;
      const dep = lastReg();
      switch (pick(14)) {
        case 0:
        case 1:
          lines.push(`r${r++} = READ_ONCE(*${loc});`);
          break;
        case 2:
          lines.push(`r${r++} = smp_load_acquire(${loc});`);
          break;
        case 3:
        case 4:
          lines.push(`WRITE_ONCE(*${loc}, ${v});`);
          break;
        case 5:
          lines.push(`smp_store_release(${loc}, ${v});`);
          break;
        case 6:
          lines.push(['smp_mb();', 'smp_rmb();', 'smp_wmb();'][pick(3)]!);
          break;
        case 7:
          lines.push(
            `r${r++} = ${['xchg', 'xchg_relaxed', 'xchg_acquire', 'xchg_release'][pick(4)]}(${loc}, ${v});`,
          );
          break;
        case 8:
          lines.push(
            `r${r++} = ${['cmpxchg', 'cmpxchg_relaxed', 'cmpxchg_acquire'][pick(3)]}(${loc}, 0, ${v});`,
          );
          break;
        case 9:
          // a data dependency
          lines.push(dep ? `WRITE_ONCE(*${loc}, ${dep} + ${v});` : `WRITE_ONCE(*${loc}, ${v});`);
          break;
        case 10:
          // a control dependency
          lines.push(dep ? `if (${dep}) WRITE_ONCE(*${loc}, ${v});` : `smp_mb();`);
          break;
        case 11:
          lines.push(
            `r${r++} = atomic_fetch_add${['', '_relaxed', '_acquire', '_release'][pick(4)]}(1, ${loc});`,
          );
          break;
        case 12:
          lines.push(
            ['smp_mb__before_atomic();', 'smp_mb__after_atomic();', 'barrier();'][pick(3)]!,
          );
          break;
        default:
          lines.push(`WRITE_ONCE(*${loc}, ${v + 2});`);
      }
    }
    for (let i = 0; i < r; i++) regs.push(`${p}:r${i}=0`);
    const decl = Array.from({ length: r }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, int *z)\n{\n${[...decl, ...lines.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const cond = regs.length ? regs.join(' /\\ ') : 'x=0';
  const text = `C gen-${seed}\n\n{}\n\n${bodies.join('\n')}\nlocations [x; y; z]\nexists (${cond})\n`;
  return parseLitmus(text, `gen-${seed}.litmus`);
}

/**
 * The seed-th generated test in which every location has one writer at most, storing to it
 * three times at most, with no fence but barrier(), no acquire and no release: the tests whose
 * histories the compiled code keeps in the runner's cells on real threads
 * (src/memory/weak/compiled-cells.ts). Two to four threads; loads of any location, stores
 * (plain values, data and control dependencies) to the thread's own; every register and
 * location observed.
 */
export function appendedTest(seed: number): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = 2 + pick(3);
  const owner = LOCS.map(() => pick(threads + 1));
  const stores = LOCS.map(() => 0);
  const regs: string[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    const lines: string[] = [];
    let r = 0;
    for (let n = 2 + pick(4); n > 0; n--) {
      const x = pick(LOCS.length);
      const loc = LOCS[x]!;
      const dep = r > 0 ? `r${pick(r)}` : undefined;
      const v = 1 + 10 * p + stores[x]!;
      const mine = owner[x] === p && stores[x]! < 3;
      const kind = mine ? pick(6) : 0;
      if (kind >= 1 && kind <= 4) stores[x]!++;
      if (kind === 0 || kind === 5) lines.push(`r${r++} = READ_ONCE(*${loc});`);
      else if (kind === 1 || kind === 2) lines.push(`WRITE_ONCE(*${loc}, ${v});`);
      else if (kind === 3)
        lines.push(dep ? `WRITE_ONCE(*${loc}, ${dep} + ${v});` : `WRITE_ONCE(*${loc}, ${v});`);
      else if (dep) lines.push(`if (${dep}) { WRITE_ONCE(*${loc}, ${v}); }`);
      else lines.push(`barrier(); WRITE_ONCE(*${loc}, ${v});`);
    }
    for (let i = 0; i < r; i++) regs.push(`${p}:r${i}=0`);
    const decl = Array.from({ length: r }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, int *z)\n{\n${[...decl, ...lines.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const cond = regs.length ? regs.join(' /\\ ') : 'x=0';
  const init = LOCS.map((l, x) => `${l} = ${x === 2 ? 0 : pick(3)};`).join(' ');
  const text = `C appended-${seed}\n\n{ ${init} }\n\n${bodies.join('\n')}\nlocations [x; y; z]\nexists (${cond})\n`;
  return parseLitmus(text, `appended-${seed}.litmus`);
}
