// A thread's body as the weak CPU runs it, before it is reordered (reorder.ts): the fences
// whose ordering is anchored on an rmw (smp_mb__before_atomic() and its kin) put where that
// ordering starts, or dropped when there is no rmw (a lone one orders nothing); an smp_rmb()
// fused to every access through a register (the address dependency). This module rewrites IR;
// it neither runs code nor knows the memory object.

import type { Instr } from '../../litmus/ir.ts';

/** The dependency fence before an access through a register: an smp_rmb() that travels with it. */
const DEP_FENCE = 'dep-rmb';
type DepFence = { kind: 'fence'; annot: 'rmb'; pos: Instr['pos']; [DEP_FENCE]: true };
export const isDepFence = (ins: Instr): boolean => DEP_FENCE in ins;

/**
 * The body with smp_rmb() before every access through a register: an address dependency
 * orders the load that produced the address before the access, and the weak CPU keeps that by
 * applying every earlier load's pending views (stronger than the one dependency; sound).
 */
export function withDependencyFences(block: Instr[]): Instr[] {
  return block.flatMap((ins): Instr[] => {
    if (ins.kind === 'branch') return [mapArms(ins, withDependencyFences)];
    const addr = 'addr' in ins ? ins.addr : undefined;
    if (addr?.kind !== 'reg') return [ins];
    const fence: DepFence = { kind: 'fence', annot: 'rmb', pos: ins.pos, [DEP_FENCE]: true };
    return [fence, ins];
  });
}

/** Fences whose ordering is anchored on an rmw (lock, srcu unlock) before or after them. */
const ANCHORED: Record<string, { before: boolean; anchor: (i: Instr) => boolean }> = {
  'before-atomic': { before: false, anchor: (i) => i.kind === 'rmw' },
  'after-atomic': { before: true, anchor: (i) => i.kind === 'rmw' },
  'after-spinlock': { before: true, anchor: (i) => i.kind === 'lock' || i.kind === 'trylock' },
  'after-srcu-read-unlock': {
    before: true,
    anchor: (i) => i.kind === 'store' && i.annot === 'srcu-unlock',
  },
};

/**
 * smp_mb__before_atomic() and its kin where their ordering starts: an smp_mb() right before
 * the first rmw after it (after: right after the last one before it) in the same block; none
 * anywhere in the thread on that side: dropped (it orders nothing); one only in a nested or
 * enclosing block: left in place as smp_mb() (more order than LKMM's, sound).
 */
export function placeAtomicFences(
  block: Instr[],
  outer: { before: Instr[]; after: Instr[] } = { before: [], after: [] },
): Instr[] {
  const out: Instr[] = [...block];
  for (let j = 0; j < out.length; j++) {
    const ins = out[j]!;
    if (ins.kind === 'branch') {
      const ctx = {
        before: [...outer.before, ...out.slice(0, j)],
        after: [...out.slice(j + 1), ...outer.after],
      };
      out[j] = mapArms(ins, (arm) => placeAtomicFences(arm, ctx));
      continue;
    }
    if (ins.kind !== 'fence') continue;
    const rule = ANCHORED[ins.annot];
    if (!rule) continue;
    const mb: Instr = { kind: 'fence', annot: 'mb', pos: ins.pos };
    const side = rule.before ? out.slice(0, j).reverse() : out.slice(j + 1);
    const at = side.findIndex(
      (i) => rule.anchor(i) || (i.kind === 'branch' && someInstr(i, rule.anchor)),
    );
    const hit = at >= 0 ? side[at]! : undefined;
    if (hit && hit.kind !== 'branch') {
      // move it next to its anchor (the fence's own slot is removed first)
      out.splice(j, 1);
      const anchor = out.indexOf(hit);
      out.splice(rule.before ? anchor + 1 : anchor, 0, mb);
      if (!rule.before) j--;
      continue;
    }
    const beyond = rule.before ? outer.before : outer.after;
    if (
      hit ||
      beyond.some((i) => rule.anchor(i) || (i.kind === 'branch' && someInstr(i, rule.anchor)))
    )
      out[j] = mb;
    else {
      out.splice(j, 1);
      j--;
    }
  }
  return out;
}

/** The branch with each arm rewritten by f. */
export function mapArms(
  ins: Extract<Instr, { kind: 'branch' }>,
  f: (arm: Instr[]) => Instr[],
): Instr {
  // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
  return { ...ins, then: f(ins.then), else: f(ins.else) };
}

function someInstr(ins: Instr, pred: (i: Instr) => boolean): boolean {
  if (pred(ins)) return true;
  if (ins.kind !== 'branch') return false;
  return ins.then.some((i) => someInstr(i, pred)) || ins.else.some((i) => someInstr(i, pred));
}
