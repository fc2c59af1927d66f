// Values as herd7 holds them before it solves its equations: a constant, the value of a read
// (a variable, named by the read's event id), or an operation on such values. herd7 computes an
// operation at once when its operands allow it (symbValue.ml): constants, `x + 0`, `x | 0`,
// `x ^ x` = 0, `x == x` = 1, `x != x` = 0; any other operation on a variable is an equation
// left for the solver (solve.ts).
//
// This module only builds and evaluates terms; which terms a thread makes is replay.ts's.

import { type BinaryOp, evalBinary, type UnaryOp, type Value } from '../../litmus/ir.ts';

export type Term =
  | { kind: 'const'; value: Value }
  /** The value a read returned: `id` is the read's event id in the execution. */
  | { kind: 'var'; id: number }
  | { kind: 'unary'; op: UnaryOp; arg: Term }
  | { kind: 'binary'; op: BinaryOp; left: Term; right: Term };

export const constant = (value: Value): Term => ({ kind: 'const', value });

/**
 * One variable of herd7's: the same read's value, or the result of one operation (herd7 gives
 * each operation it cannot compute a fresh variable, so a register used twice is one variable
 * and `r0 ^ r0` is 0 even where r0 is unknown).
 */
function sameVariable(a: Term, b: Term): boolean {
  if (a.kind === 'var' && b.kind === 'var') return a.id === b.id;
  return a === b && a.kind !== 'const';
}

/** herd7's V.op: the value when the operands decide it, else the operation itself. */
export function binary(op: BinaryOp, left: Term, right: Term): Term {
  if (left.kind === 'const' && right.kind === 'const')
    return constant(evalBinary(op, left.value, right.value));
  const zero = (t: Term) => t.kind === 'const' && t.value === 0;
  if ((op === '+' || op === '|') && zero(left)) return right;
  if ((op === '+' || op === '|') && zero(right)) return left;
  if (sameVariable(left, right)) {
    if (op === '^' || op === '!=') return constant(0);
    if (op === '==') return constant(1);
  }
  return { kind: 'binary', op, left, right };
}

export function unary(op: UnaryOp, arg: Term): Term {
  if (arg.kind !== 'const') return { kind: 'unary', op, arg };
  const a = arg.value;
  return constant(op === '!' ? Number(a === 0) : op === '-' ? -a | 0 : ~a);
}

/**
 * A term with each variable replaced as `atom` says (a constant once solved, else the
 * representative of its class), operations recomputed as herd7 recomputes them; an operation
 * met twice stays one (`memo`), as herd7's variable for it does.
 */
export function substitute(
  t: Term,
  atom: (id: number) => Term,
  memo = new Map<Term, Term>(),
): Term {
  if (t.kind === 'const') return t;
  if (t.kind === 'var') return atom(t.id);
  let out = memo.get(t);
  if (out) return out;
  out =
    t.kind === 'unary'
      ? unary(t.op, substitute(t.arg, atom, memo))
      : binary(t.op, substitute(t.left, atom, memo), substitute(t.right, atom, memo));
  memo.set(t, out);
  return out;
}
