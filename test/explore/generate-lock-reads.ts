// Random small litmus tests that read a spinlock's state: spin_is_locked() and spin_trylock()
// beside spin_lock()/spin_unlock() sections, ONCE and acquire/release accesses of x and y, and
// fences, on 2 or 3 threads — for the explorer's agreement with the model
// (test/explore/agreement.test.ts). The explorer answers spin_is_locked() as a read of the
// lock from the lock writes of its state and lets a succeeding spin_trylock() take the lock
// only when it is free there (src/explore/lock-reads.ts, search.ts): these tests are where
// that must give the model's executions exactly, counts included. Seeded: the n-th test is
// always the same text.

import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

/** One thread's operations; `reg` names a fresh register. */
function threadOps(pick: (n: number) => number, reg: () => string): string[] {
  const ops: string[] = [];
  let held = false;
  for (let n = 2 + pick(4); n > 0; n--) {
    const data = ['x', 'y'][pick(2)]!;
    const v = 1 + pick(2);
    const k = pick(20);
    if (k < 4 && !held) {
      ops.push('spin_lock(s);');
      held = true;
    } else if (k < 6 && held) {
      ops.push('spin_unlock(s);');
      held = false;
    } else if (k < 11) ops.push(`${reg()} = spin_is_locked(s);`);
    else if (k < 13 && !held) ops.push(`${reg()} = spin_trylock(s);`);
    else if (k < 16)
      ops.push(pick(2) ? `WRITE_ONCE(*${data}, ${v});` : `smp_store_release(${data}, ${v});`);
    else if (k < 18)
      ops.push(
        pick(2) ? `${reg()} = READ_ONCE(*${data});` : `${reg()} = smp_load_acquire(${data});`,
      );
    else ops.push(['smp_mb();', 'smp_rmb();', 'smp_wmb();'][pick(3)]!);
  }
  // Most sections are closed; an open one is lock.cat's one unmatched lock (or two, rejected).
  if (held && pick(5) !== 0) ops.push('spin_unlock(s);');
  return ops;
}

/** The seed-th generated test, as C-litmus text. */
export function lockReadTestText(seed: number): string {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const threads = pick(3) === 0 ? 3 : 2;
  const observed: string[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    let r = 0;
    const ops = threadOps(pick, () => `r${r++}`);
    for (let i = 0; i < r; i++) observed.push(`${p}:r${i}=0`);
    const decl = Array.from({ length: r }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(spinlock_t *s, int *x, int *y)\n{\n${[...decl, ...ops.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const cond = observed.length ? observed.join(' /\\ ') : 'x=0';
  return `C lock-reads-${seed}\n\n{}\n\n${bodies.join('\n')}\nexists (${cond})\n`;
}
