// Values as herd7 holds them before it solves its equations: an atom is a constant or a
// variable (the value of a read, or the result of an operation herd7 could not compute when
// it met it); an operation it cannot compute yet becomes a fresh variable and an equation
// `v := a op b` for the solver (solve.ts). herd7 computes an operation at once when its operands
// allow it (lib/symbValue.ml): constants, `x + 0`, `x | 0`, `x ^ x` = 0, `x == x` = 1,
// `x != x` = 0 — the same variable twice, so a register used twice counts as one.
//
// This module only builds and evaluates atoms; which equations a thread makes is replay.ts's.

import { type BinaryOp, evalBinary, type UnaryOp, type Value } from '../../litmus/ir.ts';

export type Atom = { kind: 'const'; value: Value } | { kind: 'var'; id: number };

/** An operation on atoms, the right-hand side of an equation `v := op`. */
export type Operation =
  | { kind: 'unary'; op: UnaryOp; arg: Atom }
  | { kind: 'binary'; op: BinaryOp; left: Atom; right: Atom };

export const constant = (value: Value): Atom => ({ kind: 'const', value });

/**
 * herd7's V.op: the atom the operands decide, or undefined when it must wait for the solver.
 * `sameVariable` false leaves out the rules for one variable twice: the solver (solve.ts)
 * computes with its classes' representatives, and herd7's do not always meet there.
 */
export function compute(o: Operation, sameVariable = true): Atom | undefined {
  if (o.kind === 'unary') {
    if (o.arg.kind !== 'const') return undefined;
    const a = o.arg.value;
    return constant(o.op === '!' ? Number(a === 0) : o.op === '-' ? -a | 0 : ~a);
  }
  const { op, left, right } = o;
  if (left.kind === 'const' && right.kind === 'const')
    return constant(evalBinary(op, left.value, right.value));
  const zero = (a: Atom) => a.kind === 'const' && a.value === 0;
  if ((op === '+' || op === '|') && zero(left)) return right;
  if ((op === '+' || op === '|') && zero(right)) return left;
  if (sameVariable && left.kind === 'var' && right.kind === 'var' && left.id === right.id) {
    if (op === '^' || op === '!=') return constant(0);
    if (op === '==') return constant(1);
  }
  return undefined;
}

/** The operation with each variable replaced as `atom` says. */
export function substitute(o: Operation, atom: (a: Atom) => Atom): Operation {
  return o.kind === 'unary'
    ? { ...o, arg: atom(o.arg) }
    : { ...o, left: atom(o.left), right: atom(o.right) };
}
