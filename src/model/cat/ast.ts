// The syntax tree of herd7's cat language (models, bell files, herd7's library), as
// herdtools7's lib/AST.mli shapes it: expressions, which denote event sets, relations, tags,
// sets of values, tuples and functions; and instructions, which bind names, check relations,
// raise flags, include files, call procedures and (with `with x from S`) fork the run.
//
// Every node carries where it starts in its file, for errors and for --explain. This module is
// types only: parse.ts builds them, eval.ts and exec.ts give them their meaning.

import type { SourcePos } from '../../errors.ts';

/** A place in a cat file. */
export interface CatPos extends SourcePos {
  file: string;
}

/** A pattern binding one name, or `_` (undefined): a function's parameter, a tuple's part. */
export type Name = string | undefined;

/** `x` or `(x, y, _)`: what a let or a function parameter binds. */
export type Pattern = { kind: 'var'; name: Name } | { kind: 'tuple'; names: Name[] };

export type Op2 = 'union' | 'inter' | 'diff' | 'seq' | 'cartesian' | 'add';
export type Op1 = 'plus' | 'star' | 'opt' | 'comp' | 'inv' | 'toid';

export interface Binding {
  at: CatPos;
  pat: Pattern;
  exp: Exp;
}

/** A variant condition: `"lkmmv2"`, `not "x"`, `"a" && "b"`, `"a" || "b"`. */
export type VariantCond =
  | { kind: 'variant'; name: string }
  | { kind: 'not'; arg: VariantCond }
  | { kind: 'and' | 'or'; left: VariantCond; right: VariantCond };

export type Cond =
  | { kind: 'eq' | 'subset' | 'in'; left: Exp; right: Exp }
  | { kind: 'variant'; cond: VariantCond };

/** `e ++ rest` or `before | e ++ after` in a set match. */
export type SetClause =
  | { kind: 'elt-rem'; elt: Name; rest: Name; exp: Exp }
  | { kind: 'pre-elt-post'; before: Name; elt: Name; after: Name; exp: Exp };

export type Exp = { at: CatPos } & (
  | { kind: 'empty' } // 0: the empty relation
  | { kind: 'empty-set' } // {}: empty, of any type
  | { kind: 'universe' } // _
  | { kind: 'tag'; name: string }
  | { kind: 'var'; name: string }
  | { kind: 'op1'; op: Op1; arg: Exp }
  | { kind: 'op'; op: Op2; args: Exp[] }
  | { kind: 'tuple'; items: Exp[] }
  | { kind: 'explicit-set'; items: Exp[] }
  | { kind: 'app'; fn: Exp; arg: Exp }
  | { kind: 'bind'; rec: boolean; bindings: Binding[]; body: Exp }
  | { kind: 'fun'; param: Pattern; body: Exp; name: string; free: string[] }
  | { kind: 'match'; exp: Exp; clauses: [tag: string, exp: Exp][]; otherwise?: Exp }
  | { kind: 'match-set'; exp: Exp; ifEmpty: Exp; clause: SetClause }
  | { kind: 'try'; exp: Exp; otherwise: Exp }
  | { kind: 'if'; cond: Cond; then: Exp; else: Exp }
);

export type TestKind = 'acyclic' | 'irreflexive' | 'empty';

/** What a failed test does: reject the execution (check), raise a flag, mark it undefined, stop. */
export type TestType = 'check' | 'flag' | 'undefined-unless' | 'assert';

export interface Test {
  at: CatPos;
  /** `~acyclic` and so on: the test holds when the check fails. */
  negated: boolean;
  test: TestKind;
  exp: Exp;
  /** The `as name` of the check. */
  name?: string;
  /** The source text of the tested expression, as herd7 prints it. */
  text: string;
}

export type Ins = { at: CatPos } & (
  | { kind: 'let'; rec: boolean; bindings: Binding[]; when?: Test }
  | { kind: 'test'; type: TestType; test: Test }
  | { kind: 'include'; file: string }
  | { kind: 'procedure'; name: string; param: Pattern; body: Ins[]; rec: boolean }
  | { kind: 'call'; name: string; nameAt: CatPos; arg: Exp; as?: string }
  | { kind: 'enum'; name: string; tags: string[] }
  | { kind: 'forall'; name: string; set: Exp; body: Ins[] }
  | { kind: 'with'; name: string; from: Exp; text: string }
  | { kind: 'if-variant'; cond: VariantCond; then: Ins[]; else: Ins[] }
  | { kind: 'match'; exp: Exp; clauses: [tag: string, body: Ins[]][]; otherwise?: Ins[] }
  | { kind: 'instructions'; set: string; args: Exp[]; isDefault: boolean }
  | { kind: 'show' | 'unshow'; names: string[] }
  | { kind: 'show-as'; exp: Exp; name: string }
  | { kind: 'debug'; exp: Exp }
);

/** A parsed cat file: its title (the first line herd7 prints) and its instructions. */
export interface CatFile {
  file: string;
  title: string;
  body: Ins[];
}
