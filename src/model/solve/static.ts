// Which reads of a test may return a value nothing determines (thin air), found from its code
// alone, before any execution: a read takes its value from a write of its location, and a
// write's value from the reads its expression uses; a read from which that chain can come
// back to itself, or reach such a cycle, may be left undetermined by some reads-from choice.
// Every other read has a constant value in every execution, so herd7's solving changes
// nothing there and solve.ts need not look (most tests have no such read at all).
//
// Over-approximate on purpose: every branch arm counts, a register is tainted by every read
// that may flow into it on any path, and an access through a pointer may touch any location.

import type { Expr, Instr, Test } from '../../litmus/ir.ts';

type Read = Extract<Instr, { kind: 'load' | 'rmw' }>;
type Write = Extract<Instr, { kind: 'store' | 'rmw' }>;

export interface ThinAirReads {
  /** Read instructions whose value may be left undetermined. */
  reads: Set<Instr>;
  /** Registers (`thread:reg`) that may end holding such a value. */
  registers: Set<string>;
}

export function thinAirReads(test: Test): ThinAirReads {
  const reads: Read[] = [];
  const writes: { instr: Write; from: Set<Read> }[] = [];
  const taints = test.threads.map((t) => {
    const taint = registerTaint(t.body);
    walk(t.body, (i) => {
      if (i.kind === 'load' || i.kind === 'rmw') reads.push(i);
      if (i.kind === 'store') writes.push({ instr: i, from: taintOf(taint, i.value) });
      if (i.kind === 'rmw') {
        const from = taintOf(taint, i.operand);
        if (i.op !== 'xchg' && i.op !== 'cmpxchg') from.add(i);
        writes.push({ instr: i, from });
      }
    });
    return taint;
  });
  // A read is safe when every write it may read from is safe; a write is safe when every read
  // its value uses is. What never becomes safe may depend on a cycle.
  const safeReads = new Set<Instr>();
  const safeWrites = new Set<Write>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const w of writes)
      if (!safeWrites.has(w.instr) && [...w.from].every((r) => safeReads.has(r))) {
        safeWrites.add(w.instr);
        grew = true;
      }
    for (const r of reads)
      if (
        !safeReads.has(r) &&
        writes.every((w) => safeWrites.has(w.instr) || !mayAlias(r.addr, w.instr.addr))
      ) {
        safeReads.add(r);
        grew = true;
      }
  }
  const unsafe = new Set<Instr>(reads.filter((r) => !safeReads.has(r)));
  const registers = new Set<string>();
  taints.forEach((taint, thread) => {
    for (const [reg, from] of taint)
      if ([...from].some((r) => unsafe.has(r))) registers.add(`${thread}:${reg}`);
  });
  return { reads: unsafe, registers };
}

/** For each register, the reads whose values may flow into it on some path. */
function registerTaint(body: Instr[]): Map<string, Set<Read>> {
  const taint = new Map<string, Set<Read>>();
  const add = (reg: string, from: Iterable<Read>): boolean => {
    const set = taint.get(reg) ?? new Set();
    taint.set(reg, set);
    const before = set.size;
    for (const r of from) set.add(r);
    return set.size > before;
  };
  for (let grew = true; grew; ) {
    grew = false;
    walk(body, (i) => {
      if (i.kind === 'load') grew = add(i.dst, [i]) || grew;
      else if (i.kind === 'assign') grew = add(i.dst, taintOf(taint, i.value)) || grew;
      else if (i.kind === 'rmw' && i.dst !== undefined)
        grew = add(i.dst, [i, ...(i.result === 'new' ? taintOf(taint, i.operand) : [])]) || grew;
    });
  }
  return taint;
}

function taintOf(taint: Map<string, Set<Read>>, e: Expr): Set<Read> {
  switch (e.kind) {
    case 'const':
    case 'addr':
      return new Set();
    case 'reg':
      return new Set(taint.get(e.reg));
    case 'unary':
      return taintOf(taint, e.arg);
    case 'binary':
      return new Set([...taintOf(taint, e.left), ...taintOf(taint, e.right)]);
  }
}

/** Whether two accesses may touch one location: through a register, any may be touched. */
function mayAlias(a: Read['addr'], b: Write['addr']): boolean {
  return a.kind === 'reg' || b.kind === 'reg' || a.loc === b.loc;
}

function walk(body: Instr[], visit: (i: Instr) => void): void {
  for (const i of body) {
    visit(i);
    if (i.kind === 'branch') {
      walk(i.then, visit);
      walk(i.else, visit);
    }
  }
}
