// What no backend running compiled threads can run (hw, weak): a test without threads,
// synchronize_rcu() and SRCU (no grace periods), a spinlock also accessed as data (the lock
// word is not the data). A reason and, where there is one, the place; the backends and the
// weak memory object (its in-process driver) word their refusals from it.

import type { SourcePos } from '../errors.ts';
import { firstInstr, type Instr, type Test } from './ir.ts';

export function threadsRefusal(
  name: string,
  test: Test,
): { reason: string; pos?: SourcePos } | undefined {
  if (test.threads.length === 0)
    return { reason: `the test has no threads: nothing to run on ${name}` };
  const gp = firstInstr(test, (ins) => ins.kind === 'fence' && ins.annot === 'sync-rcu');
  if (gp)
    return {
      reason: `synchronize_rcu() needs a grace period, which the ${name} backend does not implement; run this test with --on model`,
      pos: gp.pos,
    };
  const srcu = firstInstr(test, isSrcu);
  if (srcu)
    return {
      reason: `SRCU (srcu_read_lock, synchronize_srcu, ...) needs grace periods, which the ${name} backend does not implement; run this test with --on model`,
      pos: srcu.pos,
    };
  const mixed = firstInstr(test, (ins) => dataOnSpinlock(test, ins));
  if (mixed)
    return {
      reason: `a spinlock accessed as data (herd7 flags it mixed-lock-accesses) has no ${name} mapping: the lock word is not the data; run this test with --on model`,
      pos: mixed.pos,
    };
  return undefined;
}

function isSrcu(ins: Instr): boolean {
  if (ins.kind === 'fence')
    return ins.annot === 'sync-srcu' || ins.annot === 'after-srcu-read-unlock';
  return (ins.kind === 'load' || ins.kind === 'store') && ins.annot.startsWith('srcu-');
}

/** A load, store or rmw of a location that spin_* also take. */
function dataOnSpinlock(test: Test, ins: Instr): boolean {
  if (ins.kind !== 'load' && ins.kind !== 'store' && ins.kind !== 'rmw') return false;
  const addr = ins.addr;
  return (
    addr.kind === 'loc' && test.locations.find((l) => l.name === addr.loc)?.type === 'spinlock'
  );
}
