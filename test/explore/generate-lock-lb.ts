// Random load-buffering tests with a spinlock and a counter of rmws, the shape of a queued
// rwlock's guesses (docs/explore.md "A lock waited for past a pending guess"): 2 or 3 threads,
// each reading before it writes (a READ_ONCE or acquire load of x or y, or an rmw of the
// counter c of some flavour), part of each thread inside spin_lock(s)/spin_unlock(s), so that
// one thread guesses what another writes while that one waits at the lock. Values are distinct
// per thread and write. Printed as C-litmus text, so they pass through the real front end.

import type { Test } from '../../src/litmus/ir.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

const FLAVOURS = ['', '_relaxed', '_acquire', '_release'];

/** The seed-th test. */
export function lockLbTest(seed: number): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0x10cb);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = pick(3) === 0 ? 3 : 2;
  const regs: string[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    let r = 0;
    const reg = () => {
      regs.push(`${p}:r${r}=0`);
      return `r${r++}`;
    };
    const ops: string[] = [];
    const value = (w: number) => 1 + p * 3 + w;
    const rmw = (k: number) => {
      const flavour = FLAVOURS[pick(4)]!;
      return [
        () => `${reg()} = atomic_fetch_add${flavour}(${k}, c);`,
        () => `${reg()} = xchg${flavour}(c, ${k});`,
        () => `${reg()} = cmpxchg${flavour}(c, ${pick(2) ? 0 : value(0)}, ${k});`,
      ][pick(3)]!();
    };
    for (let n = 2 + pick(threads === 2 ? 2 : 1); n > 0; n--) {
      const loc = ['x', 'y'][pick(2)]!;
      ops.push(
        [
          () => `${reg()} = READ_ONCE(*${loc});`,
          () => `${reg()} = smp_load_acquire(${loc});`,
          () => rmw(value(n)),
        ][pick(3)]!(),
      );
    }
    for (let w = threads === 2 ? 2 : 1; w > 0; w--) {
      const loc = ['x', 'y'][pick(2)]!;
      ops.push(
        [
          () => `WRITE_ONCE(*${loc}, ${value(w)});`,
          () => `smp_store_release(${loc}, ${value(w)});`,
          () => rmw(value(w)),
        ][pick(3)]!(),
      );
    }
    // The lock around a run of the operations (most threads), so that a thread waits there.
    if (pick(4) !== 0) {
      const from = pick(ops.length);
      const to = from + 1 + pick(ops.length - from);
      ops.splice(to, 0, 'spin_unlock(s);');
      ops.splice(from, 0, 'spin_lock(s);');
    }
    const decls = Array.from({ length: r }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, int *c, spinlock_t *s)\n{\n${[...decls, ...ops.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const text = [
    `C lock-lb-${seed}`,
    '',
    '{}',
    '',
    ...bodies,
    'locations [x; y; c]',
    `exists (${regs.length ? regs.join(' /\\ ') : 'x=0'})`,
  ].join('\n');
  return parseLitmus(text, `lock-lb-${seed}.litmus`);
}
