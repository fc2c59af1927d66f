// The rmw instructions (xchg, cmpxchg, atomic_*) and the lock primitives, as events.
//
// A successful rmw is a read and a write linked by rmw; a failed cmpxchg or add_unless is a
// lone read that orders nothing (herd7 tags it once). spin_lock() is LKR then LKW,
// spin_unlock() a UL, spin_trylock() either LKR+LKW (returns 1) or LF (returns 0),
// spin_is_locked() RL (1) or RU (0), as lock.cat names them.

import type { Instr, Value } from '../../litmus/ir.ts';
import type { DomainEntry, EventSpec, LockRole } from '../core/events.ts';
import {
  choices,
  copyState,
  emit,
  evalIn,
  type Go,
  type Run,
  readsAncestry,
  resolve,
  type State,
  setReg,
  taintOf,
  union,
  writeAncestry,
} from './thread-state.ts';

export function execRmw(run: Run, instr: Extract<Instr, { kind: 'rmw' }>, s: State, go: Go): void {
  const target = resolve(run, s, instr.addr, instr);
  if (!target) return;
  const [loc, addrTaint] = target;
  const operand = evalIn(run.test, s, instr.operand);
  const compare = instr.compare ? evalIn(run.test, s, instr.compare) : 0;
  const operandTaint = taintOf(s, instr.operand);
  for (const { value: old, ancestry: readAncestry } of readChoices(run, s, instr, loc, compare))
    go(() => {
      const st = copyState(s);
      const next = rmwNewValue(instr.op, old, operand, compare);
      const rmw = next === undefined ? 'failed' : 'pair';
      // A failed conditional rmw orders nothing: its read counts as a READ_ONCE().
      const annot = next === undefined ? 'once' : instr.annot;
      const r = emit(
        st,
        { dir: 'R', loc, value: old, annot, rmw, instr, ancestry: readAncestry },
        addrTaint,
      );
      if (next !== undefined) {
        // The written value: the operand's, and for the arithmetic ones the value read too
        // (herd7's internal data dependency of an rmw, from its read to its write).
        const from =
          instr.op === 'xchg' || instr.op === 'cmpxchg' ? operandTaint : union([r], operandTaint);
        const ancestry = writeAncestry(run, st, instr, from);
        const w = emit(st, { dir: 'W', loc, value: next, annot, rmw, instr, ancestry }, addrTaint);
        st.trace.rmw.push([r, w]);
        for (const d of from) st.trace.data.push([d, w]);
      }
      if (instr.dst !== undefined) {
        let result = rmwResult(instr.result, old, next);
        if (instr.test === '==0') result = Number(result === 0);
        else if (instr.test === '<0') result = Number(result < 0);
        setReg(st, instr.dst, result, instr.result === 'new' ? union([r], operandTaint) : [r]);
      }
      return st;
    });
}

/**
 * The values an rmw's read may return: its location's domain, and while domains are computed
 * also the value a cmpxchg expects (add_unless: the value it avoids). herd7 equates the read of
 * a successful cmpxchg (a failed add_unless) with that value, whatever write it reads from, so
 * the value is one the location may hold even where only a cycle through this rmw writes it
 * (values.ts takes it from the read).
 */
function readChoices(
  run: Run,
  s: State,
  instr: Extract<Instr, { kind: 'rmw' }>,
  loc: number,
  compare: Value,
): DomainEntry[] {
  const domain = choices(run, loc);
  if (!run.provenance || !instr.compare || (instr.op !== 'cmpxchg' && instr.op !== 'add_unless'))
    return domain;
  const ancestry = readsAncestry(s, taintOf(s, instr.compare));
  return ancestry === 'cyclic' ? domain : [...domain, { value: compare, ancestry }];
}

/** The value an rmw writes, or undefined when a conditional one fails. */
function rmwNewValue(
  op: Extract<Instr, { kind: 'rmw' }>['op'],
  old: Value,
  operand: Value,
  compare: Value,
): Value | undefined {
  switch (op) {
    case 'xchg':
      return operand;
    case 'cmpxchg':
      return old === compare ? operand : undefined;
    case 'add':
      return (old + operand) | 0;
    case 'sub':
      return (old - operand) | 0;
    case 'add_unless':
      return old === compare ? undefined : (old + operand) | 0;
  }
}

function rmwResult(
  result: Extract<Instr, { kind: 'rmw' }>['result'],
  old: Value,
  next: Value | undefined,
): Value {
  switch (result) {
    case 'old':
      return old;
    case 'new':
      return next ?? old;
    case 'added':
      return Number(next !== undefined);
    case 'none':
      return 0;
  }
}

type LockInstr = Extract<Instr, { kind: 'lock' | 'unlock' | 'trylock' | 'islocked' }>;

export function execLock(run: Run, instr: LockInstr, s: State, go: Go): void {
  const target = resolve(run, s, instr.addr, instr);
  if (!target) return;
  const [loc, addrTaint] = target;
  const ev = (lock: LockRole): EventSpec => ({
    dir: lock === 'LKW' || lock === 'UL' ? 'W' : 'R',
    loc,
    value: 0,
    annot: 'once',
    lock,
    instr,
  });
  switch (instr.kind) {
    case 'lock':
      emit(s, ev('LKR'), addrTaint);
      emit(s, ev('LKW'), addrTaint);
      go(s);
      return;
    case 'unlock':
      emit(s, ev('UL'), addrTaint);
      go(s);
      return;
    case 'trylock':
    case 'islocked':
      for (const success of [true, false]) {
        const st = copyState(s);
        // The result depends on the lock read of a failed trylock or of spin_is_locked(); a
        // successful trylock ends with its LKW, a write, which starts no dependency (herd7).
        let from: number[] = [];
        if (instr.kind === 'trylock' && success) {
          emit(st, ev('LKR'), addrTaint);
          emit(st, ev('LKW'), addrTaint);
        } else if (instr.kind === 'trylock') from = [emit(st, ev('LF'), addrTaint)];
        else from = [emit(st, ev(success ? 'RL' : 'RU'), addrTaint)];
        if (instr.dst !== undefined) setReg(st, instr.dst, Number(success), from);
        go(st);
      }
      return;
  }
}
