// Choosing by value: `match` on a tag (`'ONCE -> e || _ -> e'`), `match` on a set (`{} -> e ||
// x ++ rest -> e'`, an element taken and the rest bound), and the conditions of `if`: a variant
// (`"lkmmv2"`, fixed per model), `=`, `subset`, `in`.

import { EventSet, Relation } from '../core/relation.ts';
import type { CatPos, Cond, Exp, VariantCond } from './ast.ts';
import { contains } from './bind.ts';
import { catError } from './errors.ts';
import { type Code, type Compile, Frame, Scope, type Sharing, type Statics } from './frame.ts';
import { asEvents, asRel, elementsOf } from './ops.ts';
import {
  compareValues,
  EMPTY,
  hasValue,
  type Type,
  typeName,
  typeOf,
  unifyTypes,
  type Value,
} from './values.ts';

export function compileMatch(
  e: Extract<Exp, { kind: 'match' }>,
  sc: Scope,
  st: Sharing,
  compile: Compile,
): Code {
  const subject = compile(e.exp, sc, st);
  const clauses = e.clauses.map(([tag, x]) => [tag, compile(x, sc, st)] as const);
  const otherwise = e.otherwise && compile(e.otherwise, sc, st);
  return (f) => {
    const v = subject(f);
    if (v instanceof EventSet || v instanceof Relation || v.k !== 'tag') {
      const what =
        v instanceof EventSet || v instanceof Relation
          ? typeName(typeOf(v))
          : v.k === 'empty'
            ? 'empty'
            : v.k === 'unv'
              ? 'universe'
              : typeName(typeOf(v));
      throw catError(`matching on non-tag value of type '${what}'`, e.exp.at);
    }
    const hit = clauses.find(([tag]) => tag === v.name);
    if (hit) return hit[1](f);
    if (otherwise) return otherwise(f);
    throw catError(`pattern matching failed on value '${v.name}'`, e.at);
  };
}

export function compileMatchSet(
  e: Extract<Exp, { kind: 'match-set' }>,
  sc: Scope,
  st: Sharing,
  compile: Compile,
): Code {
  const subject = compile(e.exp, sc, st);
  const ifEmpty = compile(e.ifEmpty, sc, st);
  const inner = new Scope(sc);
  const c = e.clause;
  const names = c.kind === 'elt-rem' ? [c.elt, c.rest] : [c.before, c.elt, c.after];
  const slots = names.map((n) => inner.bind(n));
  const body = compile(c.exp, inner, st);
  return (f) => {
    const v = subject(f);
    const items = elementsOf(v);
    if (!items || (!(v instanceof EventSet || v instanceof Relation) && v.k === 'tag'))
      throw catError(`set-matching on non-set value of type '${typeName(typeOf(v))}'`, e.exp.at);
    if (items.length === 0) return ifEmpty(f);
    const [first, ...rest] = items;
    const fr = new Frame(inner.size, f, f.run);
    const restValue = rebuild(f, v, rest);
    const parts =
      c.kind === 'elt-rem' ? [first!, restValue] : [rebuild(f, v, []), first!, restValue];
    slots.forEach((s, i) => {
      fr.slots[s] = parts[i]!;
    });
    return body(fr);
  };
}

/** A set of the same kind as `like` holding `items`. */
function rebuild(f: Frame, like: Value, items: Value[]): Value {
  const n = f.run.n;
  if (like instanceof EventSet)
    return EventSet.of(
      n,
      items.map((x) => (x as { id: number }).id),
    );
  if (like instanceof Relation)
    return Relation.of(
      n,
      items.map((x) => [(x as { a: number }).a, (x as { b: number }).b] as const),
    );
  if (like.k === 'valset') return { k: 'valset', elt: like.elt, items };
  return EMPTY;
}

export function compileCond(
  c: Cond,
  sc: Scope,
  st: Sharing,
  compile: Compile,
): (f: Frame) => boolean {
  if (c.kind === 'variant') {
    const v = variantHolds(c.cond, st);
    return () => v;
  }
  const left = compile(c.left, sc, st);
  const right = compile(c.right, sc, st);
  const [pl, pr] = [c.left.at, c.right.at];
  switch (c.kind) {
    case 'eq':
      return (f) => compareValues(left(f), right(f)) === 0;
    case 'subset':
      return (f) => subset(f, [pl, left(f)], [pr, right(f)]);
    case 'in':
      return (f) => member(f, [pl, left(f)], [pr, right(f)]);
  }
}

function subset(f: Frame, [pa, a]: [CatPos, Value], [pb, b]: [CatPos, Value]): boolean {
  const t = unifyTypes(typeOf(a), typeOf(b));
  if (t === 'rel') return contains(asRel(f.run, b, pb), asRel(f.run, a, pa), pa);
  if (t === 'events') return contains(asEvents(f.run, b, pb), asEvents(f.run, a, pa), pa);
  if (t && typeof t === 'object' && 'set' in t) return contains(b, a, pa);
  throw catError(`cannot perform subset on type '${t ? typeName(t) : typeName(typeOf(a))}'`, pa);
}

function member(f: Frame, [pa, a]: [CatPos, Value], [pb, b]: [CatPos, Value]): boolean {
  if (!(a instanceof EventSet || a instanceof Relation)) {
    if (a.k === 'event') return asEvents(f.run, b, pb).has(a.id);
    if (a.k === 'pair') return asRel(f.run, b, pb).has(a.a, a.b);
    const [x, y] = a.k === 'tuple' && a.items.length === 2 ? a.items : [];
    if (
      x &&
      y &&
      !(x instanceof EventSet || x instanceof Relation) &&
      !(y instanceof EventSet || y instanceof Relation) &&
      x.k === 'event' &&
      y.k === 'event'
    )
      return asRel(f.run, b, pb).has(x.id, y.id);
  }
  if (b instanceof EventSet || b instanceof Relation || b.k !== 'valset')
    throw catError(`set expected, found ${typeName(typeOf(b))}`, pb);
  const t: Type | undefined = unifyTypes(typeOf(a), b.elt);
  if (!t) throw catError(`type ${typeName(b.elt)} expected, ${typeName(typeOf(a))} found`, pa);
  return hasValue(b.items, a);
}

export function variantHolds(c: VariantCond, st: Statics): boolean {
  switch (c.kind) {
    case 'variant':
      return st.variant(c.name);
    case 'not':
      return !variantHolds(c.arg, st);
    case 'and':
      return variantHolds(c.left, st) && variantHolds(c.right, st);
    case 'or':
      return variantHolds(c.left, st) || variantHolds(c.right, st);
  }
}
