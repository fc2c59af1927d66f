// Out-of-order execution for the weak CPU: a few orders of one thread's instructions in which
// stores run earlier than the program says, as a CPU whose store buffer drains out of order,
// or that performs a store before a load it does not depend on, would make them visible.
//
// Only stores move, and only earlier; a load never moves (its staleness comes from the memory
// object: weak/cpu.ts). A store S may move before an earlier instruction I only when LKMM keeps
// no order between them (its "preserved program order" has no edge I → S):
//   - I is a plain or ONCE load or store, S a plain or ONCE store;
//   - both name a location directly (an access through a register could be to the same one)
//     and the locations differ (coherence keeps same-location accesses in order);
//   - S's value does not use a register I writes (data dependency; assignments in between
//     count as I too, so a dependency through a computed register is kept).
// Everything else is a wall nothing crosses: fences of every kind, acquire loads, release
// stores, rmws, lock operations, and branches (control dependencies: a store inside a branch
// stays inside it, and nothing moves across the branch; the branch's blocks are reordered
// within themselves).
//
// The orders are drawn from a seeded generator: order 0 is program order, the others random
// topological orders of "must stay before" with stores pulled early. This module rewrites IR;
// it neither runs code nor knows the memory object.

import type { Expr, Instr, Thread } from '../../litmus/ir.ts';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../random.ts';

/** How many orders of a thread the weak CPU picks from at most (program order included). */
export const MAX_ORDERS = 8;

/** Up to `max` distinct bodies for `thread`: program order first, then seeded reorderings. */
export function threadOrders(thread: Thread, seed: number, max = MAX_ORDERS): Instr[][] {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, (seed * 31 + thread.id) >>> 0);
  const orders: Instr[][] = [thread.body];
  const seen = new Set([key(thread.body)]);
  for (let tries = 0; orders.length < max && tries < max * 4; tries++) {
    const body = reorderBlock(thread.body, () => prandom_u32_state(rnd));
    const k = key(body);
    if (!seen.has(k)) {
      seen.add(k);
      orders.push(body);
    }
  }
  return orders;
}

/**
 * The thread with smp_rmb() before every access through a register: an address dependency
 * orders the load that produced the address before the access, and the weak CPU keeps that by
 * applying every earlier load's pending views (stronger than the one dependency; sound).
 */
export function withDependencyFences(thread: Thread): Thread {
  const walk = (block: Instr[]): Instr[] =>
    block.flatMap((ins): Instr[] => {
      if (ins.kind === 'branch')
        // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
        return [{ ...ins, then: walk(ins.then), else: walk(ins.else) }];
      const addr = 'addr' in ins ? ins.addr : undefined;
      return addr?.kind === 'reg' ? [{ kind: 'fence', annot: 'rmb', pos: ins.pos }, ins] : [ins];
    });
  return { ...thread, body: walk(thread.body) };
}

const key = (body: Instr[]): string =>
  JSON.stringify(body, (k, v) => (k === 'pos' ? undefined : v));

/** One random reordering of a block: walls split it into runs reordered independently. */
export function reorderBlock(block: Instr[], next: () => number): Instr[] {
  const out: Instr[] = [];
  let run: Instr[] = [];
  const flush = () => {
    out.push(...reorderRun(run, next));
    run = [];
  };
  for (const ins of block) {
    if (ins.kind === 'branch') {
      flush();
      // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
      out.push({ ...ins, then: reorderBlock(ins.then, next), else: reorderBlock(ins.else, next) });
    } else if (isWall(ins)) {
      flush();
      out.push(ins);
    } else {
      run.push(ins);
    }
  }
  flush();
  return out;
}

/** Instructions nothing may cross (see the header). */
function isWall(ins: Instr): boolean {
  switch (ins.kind) {
    case 'load':
    case 'store':
      return ins.addr.kind !== 'loc' || (ins.annot !== 'plain' && ins.annot !== 'once');
    case 'assign':
      return false;
    default:
      return true;
  }
}

/**
 * A random order of a run (loads, stores and assignments to named locations) that keeps every
 * pair LKMM orders: each step picks among the instructions whose predecessors are all placed,
 * preferring a store when one is ready (a store performed early is what the run is for).
 */
function reorderRun(run: Instr[], next: () => number): Instr[] {
  if (run.length < 2) return run;
  const before = run.map((s, j) => run.slice(0, j).flatMap((i, ii) => (mayPass(s, i) ? [] : [ii])));
  const placed = new Array<boolean>(run.length).fill(false);
  const out: Instr[] = [];
  while (out.length < run.length) {
    const ready = run.flatMap((_, j) =>
      !placed[j] && before[j]!.every((p) => placed[p]) ? [j] : [],
    );
    const stores = ready.filter((j) => run[j]!.kind === 'store');
    const pool = stores.length && next() % 4 !== 0 ? stores : ready;
    const j = pool[next() % pool.length]!;
    placed[j] = true;
    out.push(run[j]!);
  }
  return out;
}

/** May `later` (a store, to move earlier) be performed before `earlier`? */
function mayPass(later: Instr, earlier: Instr): boolean {
  if (later.kind !== 'store') return false;
  if (later.addr.kind !== 'loc') return false;
  const uses = exprRegs(later.value);
  if (earlier.kind === 'assign') return !uses.has(earlier.dst);
  if (earlier.kind === 'load')
    return (
      earlier.addr.kind === 'loc' && earlier.addr.loc !== later.addr.loc && !uses.has(earlier.dst)
    );
  if (earlier.kind === 'store')
    return earlier.addr.kind === 'loc' && earlier.addr.loc !== later.addr.loc;
  return false;
}

function exprRegs(e: Expr, into = new Set<string>()): Set<string> {
  if (e.kind === 'reg') into.add(e.reg);
  else if (e.kind === 'unary') exprRegs(e.arg, into);
  else if (e.kind === 'binary') {
    exprRegs(e.left, into);
    exprRegs(e.right, into);
  }
  return into;
}
