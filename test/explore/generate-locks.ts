// Random small litmus tests in the shapes a lock is made of, for the explorer's agreement with
// herd7 (test/explore/herd7.test.ts). Two shapes, chosen per test:
//
//   - a hand-over (what read_lock's slow path does with write_unlock): one thread writes data
//     and then releases the counter c (a release store, or a release rmw of some kind); another
//     runs a chain of rmws on c of every flavour (relaxed, acquire, fully ordered, xchg, cmpxchg,
//     atomic_add with no return value), each reading what the one before wrote, perhaps inside
//     a spinlock, ends with an acquire load of c, a READ_ONCE and smp_rmb(), or nothing, and
//     reads the data; a third thread sometimes adds to c too;
//   - a free mix: two or three threads of rmws, acquire loads and release stores of c, data
//     accesses, fences, and a spinlock around part of a thread.
//
// Over x, y (data), c (the counter) and s (a spinlock). Seeded: the n-th test is always the same
// text, so herd7's answers are recorded once (test/explore/data/locks.tsv).

import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/memory/random.ts';

/** rmws on the counter per free-mix test at most: each one multiplies the values reads may see. */
const MAX_RMWS = 3;
/** Accesses of the counter per free-mix test at most (herd7 and the model enumerate its orders). */
const MAX_COUNTER = 5;

const FLAVOURS = ['', '_relaxed', '_acquire', '_release'];

interface Gen {
  pick(n: number): number;
  /** A fresh register of the current thread. */
  reg(): string;
}

/** An rmw on c of a random kind and flavour, adding or storing k. */
function rmwOnC(g: Gen, k: number): string {
  const flavour = FLAVOURS[g.pick(4)]!;
  switch (g.pick(4)) {
    case 0:
      return `${g.reg()} = atomic_fetch_add${flavour}(${k}, c);`;
    case 1:
      return `atomic_add(${k}, c);`;
    case 2:
      return `${g.reg()} = xchg${flavour}(c, ${k});`;
    default:
      return `${g.reg()} = cmpxchg${flavour}(c, ${g.pick(3)}, ${k});`;
  }
}

/** The hand-over shape: P0 publishes and releases c, P1 takes c through a chain of rmws. */
function handOver(g: Gen, thread: number): string[] {
  if (thread === 0) {
    const release = [
      () => 'smp_store_release(c, 4);',
      () => `${g.reg()} = atomic_fetch_add_release(4, c);`,
      () => `${g.reg()} = xchg_release(c, 4);`,
      () => `${g.reg()} = cmpxchg_release(c, 0, 4);`,
    ][g.pick(4)]!();
    return ['WRITE_ONCE(*x, 1);', ...(g.pick(2) ? ['WRITE_ONCE(*y, 1);'] : []), release];
  }
  if (thread === 2) return [rmwOnC(g, 8)];
  const chain = Array.from({ length: 1 + g.pick(3) }, () => rmwOnC(g, 1 + g.pick(2)));
  const end = [
    () => [`${g.reg()} = smp_load_acquire(c);`],
    () => [`${g.reg()} = READ_ONCE(*c);`, 'smp_rmb();'],
    () => [`${g.reg()} = READ_ONCE(*c);`],
    () => [],
  ][g.pick(4)]!();
  const locked = g.pick(2)
    ? ['spin_lock(s);', ...chain, ...end, 'spin_unlock(s);']
    : [...chain, ...end];
  return [...locked, `${g.reg()} = READ_ONCE(*x);`];
}

/** One thread of the free mix; `counter` counts the test's accesses of c so far. */
function freeMix(g: Gen, thread: number, threads: number, counter: { n: number; rmws: number }) {
  const ops: string[] = [];
  for (let n = 3 + g.pick(threads === 2 ? 4 : 2); n > 0; n--) {
    const k = 1 + g.pick(2);
    const data = ['x', 'y'][g.pick(2)]!;
    let choice = g.pick(12);
    // The counter's accesses: rmws (0-3), acquire loads (4), release stores (5), READ_ONCE (10, 11).
    const onCounter = choice < 6 || choice >= 10;
    if (onCounter && counter.n >= MAX_COUNTER) choice = 6 + g.pick(4);
    else if (onCounter) counter.n++;
    if (choice < 4 && counter.rmws < MAX_RMWS) {
      counter.rmws++;
      ops.push(rmwOnC(g, k));
      continue;
    }
    if (choice === 4) ops.push(`${g.reg()} = smp_load_acquire(c);`);
    else if (choice === 5) ops.push(`smp_store_release(c, ${k});`);
    else if (choice === 6) ops.push(`WRITE_ONCE(*${data}, ${thread + 1});`);
    else if (choice === 7) ops.push(`${g.reg()} = READ_ONCE(*${data});`);
    else if (choice === 8)
      ops.push(
        g.pick(2)
          ? `smp_store_release(${data}, ${thread + 1});`
          : `${g.reg()} = smp_load_acquire(${data});`,
      );
    else if (choice === 9)
      ops.push(['smp_rmb();', 'smp_wmb();', 'smp_mb();', 'smp_mb__after_atomic();'][g.pick(4)]!);
    else ops.push(`${g.reg()} = READ_ONCE(*c);`);
  }
  // A spinlock around a run of the thread's operations, a third of the time.
  if (g.pick(3) === 0) {
    const from = g.pick(ops.length);
    const to = from + 1 + g.pick(ops.length - from);
    ops.splice(to, 0, 'spin_unlock(s);');
    ops.splice(from, 0, 'spin_lock(s);');
  }
  return ops;
}

/** The seed-th generated test, as C-litmus text. */
export function lockTestText(seed: number): string {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed);
  const pick = (n: number) => prandom_u32_state(rnd) % n;
  const shape = pick(2) === 0 ? 'hand-over' : 'free mix';
  const threads = pick(4) === 0 ? 3 : 2;
  const counter = { n: 0, rmws: 0 };
  const regs: string[] = [];
  const bodies: string[] = [];
  for (let p = 0; p < threads; p++) {
    let r = 0;
    const g: Gen = { pick, reg: () => `r${r++}` };
    const ops = shape === 'hand-over' ? handOver(g, p) : freeMix(g, p, threads, counter);
    for (let i = 0; i < r; i++) regs.push(`${p}:r${i}=0`);
    const decl = Array.from({ length: r }, (_, i) => `\tint r${i};`);
    bodies.push(
      `P${p}(int *x, int *y, int *c, spinlock_t *s)\n{\n${[...decl, ...ops.map((l) => `\t${l}`)].join('\n')}\n}\n`,
    );
  }
  const cond = regs.length ? regs.join(' /\\ ') : 'x=0';
  return `C locks-${seed}\n(* ${shape} *)\n\n{}\n\n${bodies.join('\n')}\nlocations [x; y; c]\nexists (${cond})\n`;
}
