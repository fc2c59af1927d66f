// Random small load-buffering tests mixing what the explorer's guess prunings reason about
// (docs/explore.md "lkmm's load buffering: guesses"), for the adversarial review
// (test/explore/adversarial-lkmm.test.ts): 2 to 4 threads over x and y (int), a (atomic_t) and
// s (a spinlock), each a few operations: ONCE, acquire and release accesses, xchg and cmpxchg of
// every ordering (a cmpxchg may fail: a read alone), atomic_t rmws with and without a return
// value, smp_mb__before_atomic()/smp_mb__after_atomic() around them, fences, a spin_lock()
// section or a spin_trylock() whose section runs only if it succeeds, an RCU read-side section
// or synchronize_rcu(), and writes under `if (rK == v)` or of `rK + 1`. `plain`: some accesses
// are plain. Seeded; printed as C-litmus text, so they pass through the real front end.

import type { Test } from '../../src/litmus/ir.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

const ORDER = ['', '_relaxed', '_acquire', '_release'];

/** The seed-th test. */
export function mixedLbTest(seed: number, plain = false): Test {
  return parseLitmus(mixedLbText(seed, plain), `${testName(seed, plain)}.litmus`);
}

const testName = (seed: number, plain: boolean) => `mixed-lb-${plain ? 'plain-' : ''}${seed}`;

/** The seed-th test's C-litmus text. */
export function mixedLbText(seed: number, plain = false): string {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed ^ 0x3ced);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const either = <T>(xs: readonly T[]) => xs[pick(xs.length)]!;
  const threads = either([2, 2, 3, 3, 4]);
  const bodies: string[] = [];
  const regs: string[] = [];
  for (let p = 0; p < threads; p++) {
    let n = 0;
    const reg = () => {
      regs.push(`${p}:r${n}`);
      return `r${n++}`;
    };
    const old = () => (n > 0 ? `r${pick(n)}` : undefined);
    const value = () => {
      const r = old();
      return r && pick(3) === 0 ? `${r} + 1` : `${1 + pick(2)}`;
    };
    const ops: string[] = [];
    const opsWanted = threads === 4 ? 2 + pick(2) : 2 + pick(3);
    for (let i = 0; i < opsWanted; i++) {
      const loc = either(['x', 'y']);
      const cond = old();
      const k = pick(16);
      const v = value(); // before the register this op may define
      const one = (xs: (() => string)[]) => either(xs)();
      let op: string;
      if (k < 3)
        op =
          plain && pick(3) === 0
            ? `${reg()} = *${loc};`
            : one([
                () => `${reg()} = READ_ONCE(*${loc});`,
                () => `${reg()} = smp_load_acquire(${loc});`,
              ]);
      else if (k < 6)
        op =
          plain && pick(3) === 0
            ? `*${loc} = ${v};`
            : either([`WRITE_ONCE(*${loc}, ${v});`, `smp_store_release(${loc}, ${v});`]);
      else if (k < 8) op = `${reg()} = xchg${either(ORDER)}(${loc}, ${v});`;
      else if (k < 10) op = `${reg()} = cmpxchg${either(ORDER)}(${loc}, ${pick(2)}, ${v});`;
      else if (k < 12) {
        const rmw = one([
          () => 'atomic_inc(a);',
          () => `${reg()} = atomic_add_return${either(ORDER)}(1, a);`,
          () => `${reg()} = atomic_fetch_inc${either(ORDER)}(a);`,
          () => `${reg()} = atomic_cmpxchg${either(ORDER)}(a, ${pick(2)}, ${1 + pick(2)});`,
          () => `${reg()} = atomic_read(a);`,
        ]);
        op =
          pick(3) === 0
            ? `smp_mb__before_atomic(); ${rmw}`
            : pick(2)
              ? rmw
              : `${rmw} smp_mb__after_atomic();`;
      } else if (k < 13) op = either(['smp_mb();', 'smp_wmb();', 'smp_rmb();']);
      else if (k < 14) op = 'SECTION';
      else if (k < 15) op = either(['rcu_read_lock();', 'synchronize_rcu();']);
      else op = 'TRYLOCK';
      if (
        cond &&
        pick(4) === 0 &&
        !op.includes('SECTION') &&
        !op.includes('TRYLOCK') &&
        !op.startsWith('rcu') &&
        !op.startsWith('synchronize')
      )
        op = `if (${cond} == ${pick(3)}) { ${op} }`;
      ops.push(op);
    }
    // balance sections: a spinlock section around the next op, an RCU reader to the end
    const lines: string[] = [];
    let rcu = false;
    const inside = (i: number) => {
      const next = ops[i + 1];
      return next &&
        !['SECTION', 'TRYLOCK', 'rcu_read_lock();', 'synchronize_rcu();'].includes(next)
        ? next
        : 'WRITE_ONCE(*x, 1);';
    };
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (op === 'SECTION') {
        lines.push('spin_lock(s);', inside(i), 'spin_unlock(s);');
        i++;
      } else if (op === 'TRYLOCK') {
        const t = reg();
        lines.push(`${t} = spin_trylock(s);`, `if (${t}) { ${inside(i)} spin_unlock(s); }`);
        i++;
      } else if (op === 'rcu_read_lock();') {
        if (!rcu) lines.push(op);
        rcu = true;
      } else if (op !== 'synchronize_rcu();' || !rcu) lines.push(op);
    }
    if (rcu) lines.push('rcu_read_unlock();');
    const decls = Array.from({ length: n }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, atomic_t *a, spinlock_t *s)\n{\n${[...decls, ...lines.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  return [
    `C ${testName(seed, plain)}`,
    '',
    '{}',
    '',
    ...bodies,
    `locations [${[...regs, 'x', 'y', 'a'].join('; ')}]`,
    'exists (x=0)',
  ].join('\n');
}
