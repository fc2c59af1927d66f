// What no backend running compiled threads can run (hw, weak): a test without threads, a
// grace period that would wait for itself or for a read-side critical section that never ends
// (synchronize_rcu() inside one; rcu_read_lock() left unmatched on some path), a spinlock also
// accessed as data (the lock word is not the data). A reason and, where there is one, the
// place; the backends and the weak memory object (its in-process driver) word their refusals
// from it.

import type { SourcePos } from '../errors.ts';
import { firstInstr, type Instr, type Test } from './ir.ts';

export function threadsRefusal(
  name: string,
  test: Test,
): { reason: string; pos?: SourcePos } | undefined {
  if (test.threads.length === 0)
    return { reason: `the test has no threads: nothing to run on ${name}` };
  const rcu = rcuRefusal(test);
  if (rcu) return rcu;
  const mixed = firstInstr(test, (ins) => dataOnSpinlock(test, ins));
  if (mixed)
    return {
      reason: `a spinlock accessed as data (herd7 flags it mixed-lock-accesses) has no ${name} mapping: the lock word is not the data; run this test with --on model`,
      pos: mixed.pos,
    };
  return undefined;
}

const isFence = (annot: string) => (ins: Instr) => ins.kind === 'fence' && ins.annot === annot;

/**
 * A test with synchronize_rcu() whose grace period could never end on real threads: one
 * called inside a read-side critical section (it waits for itself), or an rcu_read_lock()
 * whose rcu_read_unlock() is missing on some path (every later grace period waits for it).
 */
function rcuRefusal(test: Test): { reason: string; pos?: SourcePos } | undefined {
  if (!firstInstr(test, isFence('sync-rcu'))) return undefined;
  for (const t of test.threads) {
    const r = rcuDepth(t.body, 0);
    if ('inside' in r)
      return {
        reason:
          'synchronize_rcu() inside an RCU read-side critical section waits for itself (a deadlock in the kernel too)',
        pos: r.inside,
      };
    if (r.depth !== 0)
      return {
        reason: `P${t.id}'s rcu_read_lock() has no matching rcu_read_unlock() on every path: a grace period would wait for it forever; run this test with --on model`,
        pos: r.at ?? t.body[0]?.pos,
      };
  }
  return undefined;
}

type Depth = { depth: number; at?: SourcePos } | { inside: SourcePos };

/** rcu_read_lock() nesting at the end of a block entered at `depth` (NaN: the arms of a branch differ). */
function rcuDepth(block: Instr[], depth: number): Depth {
  let d = depth;
  let at: SourcePos | undefined;
  for (const ins of block) {
    if (ins.kind === 'fence' && ins.annot === 'rcu-lock') {
      d++;
      at = ins.pos;
    } else if (ins.kind === 'fence' && ins.annot === 'rcu-unlock') {
      d = Math.max(0, d - 1);
    } else if (ins.kind === 'fence' && ins.annot === 'sync-rcu' && d > 0) {
      return { inside: ins.pos };
    } else if (ins.kind === 'branch') {
      const a = rcuDepth(ins.then, d);
      const b = rcuDepth(ins.else, d);
      if ('inside' in a) return a;
      if ('inside' in b) return b;
      if (a.depth !== b.depth) return { depth: Number.NaN, at: at ?? ins.pos };
      d = a.depth;
    }
  }
  return { depth: d, ...(at && { at }) };
}

/** A load, store or rmw of a location that spin_* also take. */
function dataOnSpinlock(test: Test, ins: Instr): boolean {
  if (ins.kind !== 'load' && ins.kind !== 'store' && ins.kind !== 'rmw') return false;
  const addr = ins.addr;
  return (
    addr.kind === 'loc' && test.locations.find((l) => l.name === addr.loc)?.type === 'spinlock'
  );
}
