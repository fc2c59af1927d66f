// The syntax tree of a C-litmus file, as written: names are still names (a register and a
// location look alike until lower.ts resolves them), memory reads still sit inside expressions,
// and every node keeps its line:col so that the lowering can blame the right token.
//
// This module only declares types; parse.ts builds them and lower.ts reads them.

import type { SourcePos } from '../errors.ts';
import type { BinaryOp, Quantifier } from './ir.ts';

interface At {
  pos: SourcePos;
}

/** An expression of thread code. */
export type AstExpr =
  | (At & { kind: 'num'; value: number })
  /** A register or a location, resolved by the lowering. */
  | (At & { kind: 'name'; name: string })
  /** `*x` or `*r0`: only a name may be dereferenced. */
  | (At & { kind: 'deref'; name: string; namePos: SourcePos })
  /** `&x`: the address of a location. */
  | (At & { kind: 'addrof'; name: string; namePos: SourcePos })
  /** A macro call, `READ_ONCE(*x)`. */
  | (At & { kind: 'call'; name: string; args: AstExpr[] })
  | (At & { kind: 'unary'; op: '!' | '-' | '~'; arg: AstExpr })
  | (At & { kind: 'binary'; op: BinaryOp; left: AstExpr; right: AstExpr });

/** The types a declaration may give: int, int * (pointer), spinlock_t, atomic_t. */
export type AstType = 'int' | 'pointer' | 'spinlock' | 'atomic';

export type AstStmt =
  /** `int r0;`, `int *r0;`, `int r = e;` (one node per declarator). */
  | (At & { kind: 'decl'; type: AstType; name: string; init?: AstExpr })
  /** `r = e;` or `*x = e;`: target is a name or a deref. */
  | (At & { kind: 'assign'; target: AstExpr; value: AstExpr })
  /** A macro call standing as a statement: `smp_mb();`. */
  | (At & { kind: 'expr'; expr: AstExpr })
  | (At & { kind: 'if'; cond: AstExpr; then: AstStmt[]; else: AstStmt[] });

export interface AstParam extends At {
  /** int for `int *x`, pointer for `int **p`, spinlock for `spinlock_t *s`, atomic for `atomic_t *v`. */
  type: AstType;
  name: string;
}

export interface AstThread extends At {
  id: number;
  params: AstParam[];
  body: AstStmt[];
}

/** An initial value: an integer, or a location name (`x` or `&x`) meaning its address. */
export type AstInitValue =
  | (At & { kind: 'num'; value: number })
  | (At & { kind: 'loc'; name: string });

export type AstInit =
  /** `int x = 1;`, `int *p = &x;`, `x = 1;` (type undefined), `spinlock_t s;`. */
  | (At & { kind: 'loc'; type?: AstType; name: string; value?: AstInitValue })
  /** `0:r1 = 2;`, or typed: `int *0:r1;` (pointer when declared so). */
  | (At & { kind: 'reg'; thread: number; reg: string; value: AstInitValue; type?: 'pointer' });

/** A key of a final state as written: `0:r0`, `x` or `[x]`. */
export type AstKey = At &
  ({ kind: 'reg'; thread: number; reg: string } | { kind: 'loc'; loc: string });

export type AstProp =
  | (At & { kind: 'true' | 'false' })
  | (At & { kind: 'eq'; key: AstKey; value: AstInitValue })
  /** `0:r1=1:r2`, `0:r1=[x]`, `0:r1=*x`: two keys compared. */
  | (At & { kind: 'eqkeys'; key: AstKey; other: AstKey })
  | (At & { kind: 'not'; arg: AstProp })
  | (At & { kind: 'and' | 'or'; left: AstProp; right: AstProp });

export interface AstLitmus {
  name: string;
  /** The comments' texts, where a `Result:` line may be. */
  comments: string[];
  init: AstInit[];
  threads: AstThread[];
  extraKeys: AstKey[];
  filter?: AstProp;
  quantifier: Quantifier;
  condition: AstProp;
}
