// Binding names: patterns (a name, or the parts of a tuple), `fun` (a closure over the frame it
// is made in), `let ... in` (lazy), and `let rec` — functions that call each other, and values
// that are the least fixpoint of their definitions, iterated from nothing until no value grows
// (herd7's `stabilised`). eval.ts compiles the expressions; this module only binds.

import { EventSet, Relation } from '../core/relation.ts';
import type { Binding, CatPos, Exp, Pattern } from './ast.ts';
import { catError } from './errors.ts';
import { type Code, type Compile, Frame, Lazy, Scope, type Sharing, type Slot } from './frame.ts';
import { EMPTY, freshId, hasValue, typeName, typeOf, type Value } from './values.ts';

/** A limit on the rounds of a `let rec` fixpoint, which grows monotonically and so ends. */
const MAX_FIX_ROUNDS = 100_000;

/** The values a pattern's names receive: the value itself, or the parts of a tuple (or pair). */
export function patternValues(pat: Pattern, v: Value, at: CatPos): Value[] {
  if (pat.kind === 'var') return [v];
  const parts =
    v instanceof EventSet || v instanceof Relation
      ? [v]
      : v.k === 'tuple'
        ? v.items
        : v.k === 'pair'
          ? [
              { k: 'event' as const, id: v.a },
              { k: 'event' as const, id: v.b },
            ]
          : [v];
  if (parts.length !== pat.names.length) throw catError('binding mismatch', at);
  return parts;
}

/** Bind a pattern's names in `sc`, in order; their slots. */
export function bindPattern(pat: Pattern, sc: Scope): number[] {
  return pat.kind === 'var' ? [sc.bind(pat.name)] : pat.names.map((n) => sc.bind(n));
}

/**
 * Store a value (computed lazily in `from`) into the slots a pattern bound. `inPlace`: the
 * slots are `from`'s own, or its shape's shared ones (a top-level let), and hold the bare code.
 */
export function storeLazy(
  target: Slot[],
  slots: number[],
  pat: Pattern,
  code: Code,
  from: Frame,
  at: CatPos,
  inPlace = false,
): void {
  if (slots.length === 1 && pat.kind === 'var') {
    target[slots[0]!] = inPlace ? code : new Lazy(code, from);
    return;
  }
  let whole: Value | undefined;
  const get = (f: Frame): Value => {
    whole ??= code(f);
    return whole;
  };
  slots.forEach((slot, i) => {
    target[slot] = new Lazy((f) => patternValues(pat, get(f), at)[i]!, from);
  });
}

export function compileFun(
  param: Pattern,
  body: Exp,
  name: string,
  sc: Scope,
  st: Sharing,
  compile: Compile,
): Code {
  const inner = new Scope(sc);
  const slots = bindPattern(param, inner);
  const code = compile(body, inner, st);
  const arity = slots.length;
  return (f) => ({
    k: 'clo',
    name,
    id: freshId(),
    arity,
    call: (arg: Value) => {
      const fr = new Frame(inner.size, f, f.run);
      const vs = arity === 1 ? [arg] : patternValues(param, arg, body.at);
      for (let i = 0; i < arity; i++) fr.slots[slots[i]!] = vs[i]!;
      return code(fr);
    },
  });
}

/** `let [rec] bindings in body`: a frame for the bindings, then the body in it. */
export function compileBind(
  rec: boolean,
  bindings: Binding[],
  body: Exp,
  sc: Scope,
  st: Sharing,
  compile: Compile,
): Code {
  const inner = new Scope(sc);
  if (rec) {
    const fix = compileRec(bindings, inner, st, compile);
    const code = compile(body, inner, st);
    return (f) => {
      const fr = new Frame(inner.size, f, f.run);
      fix(fr, () => true);
      return code(fr);
    };
  }
  const rhs = bindings.map((b) => compile(b.exp, sc, st));
  const slots = bindings.map((b) => bindPattern(b.pat, inner));
  const code = compile(body, inner, st);
  return (f) => {
    const fr = new Frame(inner.size, f, f.run);
    bindings.forEach((b, i) => {
      storeLazy(fr.slots, slots[i]!, b.pat, rhs[i]!, f, b.at);
    });
    return code(fr);
  };
}

/**
 * `let rec` bindings, compiled into the scope that holds them: functions become closures over
 * the frame (so they can call each other); values are iterated from empty, each round
 * evaluating the definitions in order, until no value grows. `check` runs after every round
 * (`let rec ... when test`); its failure stops the iteration and is returned as false.
 */
export function compileRec(
  bindings: Binding[],
  sc: Scope,
  st: Sharing,
  compile: Compile,
): (fr: Frame, check: (fr: Frame) => boolean) => boolean {
  const slots = bindings.map((b) => bindPattern(b.pat, sc));
  const codes = bindings.map((b) => compile(b.exp, sc, st));
  const isFun = bindings.map((b) => b.exp.kind === 'fun');
  return (fr, check) => {
    for (let i = 0; i < bindings.length; i++) {
      if (isFun[i]) fr.slots[slots[i]![0]!] = codes[i]!(fr);
      else for (const s of slots[i]!) fr.slots[s] = EMPTY;
    }
    if (isFun.every((x) => x)) return true;
    for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
      let grew = false;
      bindings.forEach((b, i) => {
        if (isFun[i]) return;
        const v = codes[i]!(fr);
        const parts = patternValues(b.pat, v, b.at);
        slots[i]!.forEach((s, k) => {
          const before = fr.slots[s] as Value;
          if (!contains(before, parts[k]!, b.at)) grew = true;
          fr.slots[s] = parts[k]!;
        });
      });
      if (!check(fr)) return false;
      if (!grew) return true;
    }
    throw catError(
      `this recursive definition did not reach a fixpoint in ${MAX_FIX_ROUNDS} rounds`,
      bindings[0]!.at,
    );
  };
}

/** Whether `before` already holds everything `after` does (herd7's stabilised). */
export function contains(before: Value, after: Value, at: CatPos): boolean {
  if (!(after instanceof EventSet || after instanceof Relation) && after.k === 'empty') return true;
  if (!(before instanceof EventSet || before instanceof Relation) && before.k === 'unv')
    return true;
  const isEmpty =
    !(before instanceof EventSet || before instanceof Relation) && before.k === 'empty';
  if (after instanceof Relation)
    return isEmpty
      ? after.isEmpty()
      : before instanceof Relation && subsetWords(after.rows, before.rows, at);
  if (after instanceof EventSet)
    return isEmpty
      ? after.isEmpty()
      : before instanceof EventSet && subsetWords(after.bits, before.bits, at);
  if (after.k === 'valset') {
    if (isEmpty) return after.items.length === 0;
    if (before instanceof EventSet || before instanceof Relation || before.k !== 'valset')
      throw illegal(after, at);
    return after.items.every((x) => hasValue(before.items, x));
  }
  throw illegal(after, at);
}

function illegal(v: Value, at: CatPos): Error {
  return catError(`illegal recursion on type '${typeName(typeOf(v))}'`, at);
}

function subsetWords(small: Uint32Array, big: Uint32Array, at: CatPos): boolean {
  if (small.length !== big.length) throw catError('illegal recursion: the value changed type', at);
  for (let k = 0; k < small.length; k++) if ((small[k]! & ~big[k]!) !== 0) return false;
  return true;
}
