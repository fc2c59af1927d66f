// Generated litmus tests with the shapes the weak CPU used to miss (issue 17): a store after
// an `if`, RCU read-side sections against grace periods, smp_rmb() then a store, accesses
// program-ordered after a dependency, a read then a write overwriting it then more (fri; po),
// chains of relaxed rmws, accesses around rmws and locks, lone smp_mb__before/after_atomic(),
// a cmpxchg that fails. Each thread is one or two shape fragments over x, y, z (and a
// spinlock l); two or three threads. The seed-th test is always the same (printed as C-litmus
// text, so it passes through the real front end).
//
// Its condition is chosen from the model: a final state lkmm allows and sc does not (a relaxed
// outcome: what the weak CPU is for), when there is one; otherwise every register 0. So "the
// test is Sometimes and weak witnessed it" means weak showed a relaxation LKMM allows.

import type { Test } from '../../../src/litmus/ir.ts';
import { parseLitmus } from '../../../src/litmus/parse.ts';
import {
  prandom_seed_state,
  prandom_u32_state,
  type rnd_state,
} from '../../../src/memory/random.ts';
import { checkModel } from '../../../src/model/index.ts';

/** The shape families, by name (what a fragment shows). */
export const SHAPES = [
  'store-after-if',
  'rcu',
  'rmb-store',
  'po-after-dep',
  'fri-po',
  'rmw-chain',
  'around-rmw',
  'around-lock',
  'lone-atomic-fence',
  'cmpxchg-fail',
] as const;
export type Shape = (typeof SHAPES)[number];

const LOCS = ['x', 'y', 'z'];

interface Fragment {
  lines: string[];
  regs: number;
}

/** One thread's fragment of a shape; `r` is the next free register number, `v` the value to write. */
function fragment(shape: Shape, pick: (n: number) => number, r: number, v: number): Fragment {
  // three locations, different (a fragment's shape is about accesses to different ones; the
  // same location meets itself across fragments and threads)
  const first = pick(3);
  const step = 1 + pick(2);
  const [a, b, c] = [0, 1, 2].map((k) => LOCS[(first + k * step) % 3]!) as [string, string, string];
  const once = (l: string) => `WRITE_ONCE(*${l}, ${v});`;
  const read = (k: number, l: string) => `r${k} = READ_ONCE(*${l});`;
  switch (shape) {
    case 'store-after-if':
      return {
        lines: [read(r, a), `if (r${r} == ${v}) {`, `  ${once(b)}`, '}', once(c)],
        regs: 1,
      };
    case 'rcu':
      return pick(2) === 0
        ? {
            lines: ['rcu_read_lock();', read(r, a), read(r + 1, b), 'rcu_read_unlock();'],
            regs: 2,
          }
        : {
            lines: [
              pick(2) === 0 ? once(a) : read(r, a),
              'synchronize_rcu();',
              pick(2) === 0 ? once(b) : read(r, b),
            ],
            regs: 1,
          };
    case 'rmb-store':
      return { lines: [read(r, a), 'smp_rmb();', once(b)], regs: 1 };
    case 'po-after-dep':
      return pick(2) === 0
        ? { lines: [read(r, a), `WRITE_ONCE(*${b}, r${r} + ${v});`, once(c)], regs: 1 }
        : { lines: [read(r, a), `WRITE_ONCE(*${b}, r${r} + ${v});`, read(r + 1, c)], regs: 2 };
    case 'fri-po':
      return pick(2) === 0
        ? { lines: [read(r, a), once(a), once(b)], regs: 1 }
        : { lines: [read(r, a), once(a), read(r + 1, b)], regs: 2 };
    case 'rmw-chain': {
      const f = ['xchg_relaxed', 'xchg_acquire', 'xchg_release', 'xchg_relaxed'];
      return {
        lines: [`r${r} = ${f[pick(4)]}(${a}, ${v});`, `r${r + 1} = ${f[pick(4)]}(${b}, ${v});`],
        regs: 2,
      };
    }
    case 'around-rmw': {
      const f = ['', '_relaxed', '_acquire', '_release'][pick(4)];
      return {
        lines: [once(a), `r${r} = atomic_fetch_add${f}(1, ${b});`, read(r + 1, c)],
        regs: 2,
      };
    }
    case 'around-lock':
      return pick(2) === 0
        ? { lines: [once(a), 'spin_lock(l);', read(r, b), 'spin_unlock(l);'], regs: 1 }
        : { lines: ['spin_lock(l);', once(a), 'spin_unlock(l);', read(r, b)], regs: 1 };
    case 'lone-atomic-fence':
      return {
        lines: [
          once(a),
          pick(2) === 0 ? 'smp_mb__before_atomic();' : 'smp_mb__after_atomic();',
          read(r, b),
        ],
        regs: 1,
      };
    case 'cmpxchg-fail':
      return {
        lines: [
          `r${r} = cmpxchg${['', '_relaxed', '_acquire'][pick(3)]}(${a}, 5, ${v});`,
          read(r + 1, b),
        ],
        regs: 2,
      };
  }
}

/** The seed-th test of `shape` (with a second fragment of any shape now and then). */
export function shapeTest(shape: Shape, seed: number): Test {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed * 7919 + SHAPES.indexOf(shape));
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = 2 + (pick(3) === 0 ? 1 : 0);
  // two fragments on one thread of a two-thread test, now and then (bigger tests take the
  // model seconds and have hundreds of final states)
  const twice = threads === 2 && pick(3) === 0 ? pick(2) : -1;
  const bodies: string[] = [];
  const keys: string[] = [];
  for (let p = 0; p < threads; p++) {
    const lines: string[] = [];
    let regs = 0;
    const first = p === 0 ? shape : SHAPES[pick(SHAPES.length)]!;
    const more = p === twice ? [SHAPES[pick(SHAPES.length)]!] : [];
    for (const s of [first, ...more]) {
      const f = fragment(s, pick, regs, p + 1);
      lines.push(...f.lines);
      regs += f.regs;
    }
    for (let k = 0; k < regs; k++) keys.push(`${p}:r${k}`);
    const decl = Array.from({ length: regs }, (_, k) => `\tint r${k};`);
    bodies.push(
      `P${p}(int *x, int *y, int *z, spinlock_t *l)\n{\n${[...decl, ...lines.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const name = `${shape}-${seed}`;
  const text = (cond: string) => `C ${name}\n\n{}\n\n${bodies.join('\n')}\nexists (${cond})\n`;
  const draft = parseLitmus(
    text(keys.length ? keys.map((k) => `${k}=0`).join(' /\\ ') : 'x=0'),
    `${name}.litmus`,
  );
  return parseLitmus(text(relaxedCondition(draft, pick) ?? 'x=0'), `${name}.litmus`);
}

/** A final state lkmm allows and sc does not, as a condition (or undefined when none). */
function relaxedCondition(t: Test, pick: (n: number) => number): string | undefined {
  const sc = checkModel(t, 'sc');
  const relaxed = [...checkModel(t, 'lkmm').states.keys()].filter((s) => !sc.states.has(s)).sort();
  if (relaxed.length === 0) return undefined;
  const state = relaxed[pick(relaxed.length)]!;
  // `0:r0=1; x=2;` → `0:r0=1 /\ x=2`
  return state
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .join(' /\\ ');
}
