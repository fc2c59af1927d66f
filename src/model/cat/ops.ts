// The operators of the cat language on values, with herd7's typing: `|` `&` `\` `++` `;` `*`
// `~` and the postfix ones, each polymorphic as herdtools7's interpreter makes it (event sets,
// relations, sets of values; `{}` fitting any of them, `_` the universe). Relations and event
// sets go through relation.ts, so that operations on values a shape fixes are computed once.
//
// A type error is a CatError at the operator. This module knows nothing of names or frames.

import {
  complement,
  cross,
  diff,
  EventSet,
  inter,
  inv,
  opt,
  plus,
  Relation,
  seq,
  setDiff,
  setInter,
  setUnion,
  star,
  toid,
  union,
} from '../core/relation.ts';
import type { CatPos } from './ast.ts';
import { catError } from './errors.ts';
import {
  EMPTY,
  hasValue,
  isEmptyValue,
  type Type,
  typeName,
  typeOf,
  UNV,
  unifyTypes,
  type Value,
  valSet,
} from './values.ts';

/** What the operators need of the execution: its events, and values made once per shape. */
export interface Universe {
  n: number;
  /** Every event. */
  all: EventSet;
  /** Every pair of events. */
  unv: Relation;
  id: Relation;
  emptyRel: Relation;
  emptySet: EventSet;
  /** The tags of each enum, for `~` on a set of tags. */
  enumTags: (type: string) => Value[];
}

const isSet = (v: Value): v is EventSet => v instanceof EventSet;
const isRel = (v: Value): v is Relation => v instanceof Relation;

function typeError(at: CatPos, want: string, v: Value): never {
  throw catError(`type ${want} expected, ${typeName(typeOf(v))} found`, at);
}

/** A relation, from a relation, a pair, `{}` or `_`. */
export function asRel(u: Universe, v: Value, at: CatPos): Relation {
  if (isRel(v)) return v;
  if (isSet(v)) return typeError(at, 'rel', v);
  switch (v.k) {
    case 'empty':
      return u.emptyRel;
    case 'unv':
      return u.unv;
    case 'pair':
      return Relation.of(u.n, [[v.a, v.b]]);
    default:
      return typeError(at, 'rel', v);
  }
}

/** An event set, from a set, an event, `{}` or `_`. */
export function asEvents(u: Universe, v: Value, at: CatPos): EventSet {
  if (isSet(v)) return v;
  if (isRel(v)) return typeError(at, 'events', v);
  switch (v.k) {
    case 'empty':
      return u.emptySet;
    case 'unv':
      return u.all;
    case 'event':
      return EventSet.of(u.n, [v.id]);
    default:
      return typeError(at, 'events', v);
  }
}

/** A tag stands for the set holding it where sets are expected (herd7's tag2set). */
function tagToSet(v: Value): Value {
  return !isSet(v) && !isRel(v) && v.k === 'tag'
    ? { k: 'valset', elt: { tag: v.type }, items: [v] }
    : v;
}

/** The common type of values, or a CatError at the first that does not fit. */
function commonType(vs: Value[], ats: CatPos[]): Type {
  let t = typeOf(vs[0]!);
  for (let i = 1; i < vs.length; i++) {
    const next = unifyTypes(t, typeOf(vs[i]!));
    if (!next)
      throw catError(`type ${typeName(t)} expected, ${typeName(typeOf(vs[i]!))} found`, ats[i]!);
    t = next;
  }
  return t;
}

export function unionOf(u: Universe, args: Value[], argAts: CatPos[], at: CatPos): Value {
  if (args.every(isRel)) return union(...args);
  const vs: Value[] = [];
  const ats: CatPos[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!;
    if (!isSet(v) && !isRel(v) && v.k === 'unv') return UNV;
    if (isSet(v) || isRel(v) || v.k !== 'empty') {
      vs.push(tagToSet(v));
      ats.push(argAts[i]!);
    }
  }
  if (vs.length === 0) return EMPTY;
  const t = commonType(vs, ats);
  if (t === 'rel') return union(...vs.map((v, i) => asRel(u, v, ats[i]!)));
  if (t === 'events') return setUnion(...vs.map((v, i) => asEvents(u, v, ats[i]!)));
  if (typeof t === 'object' && 'set' in t)
    return valSet(
      t.set,
      vs.flatMap((v) => (v as { items: Value[] }).items),
    );
  throw catError(`cannot perform union on type '${typeName(t)}'`, at);
}

export function interOf(
  _u: Universe,
  a: Value,
  b: Value,
  p1: CatPos,
  p2: CatPos,
  at: CatPos,
): Value {
  a = tagToSet(a);
  b = tagToSet(b);
  if (isRel(a) && isRel(b)) return inter(a, b);
  if (isSet(a) && isSet(b)) return setInter(a, b);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'unv') return b;
  if (kb === 'unv') return a;
  if (ka === 'empty' || kb === 'empty') return EMPTY;
  if (ka === 'valset' && kb === 'valset') {
    const bs = (b as { items: Value[] }).items;
    const items = (a as { items: Value[] }).items.filter((x) => hasValue(bs, x));
    return { k: 'valset', elt: (a as { elt: Type }).elt, items };
  }
  if (!['rel', 'set', 'valset'].includes(ka))
    throw catError(`intersection on ${typeName(typeOf(a))}`, p1);
  if (!['rel', 'set', 'valset'].includes(kb))
    throw catError(`intersection on ${typeName(typeOf(b))}`, p2);
  throw catError(
    ka === 'rel' || kb === 'rel'
      ? 'mixing sets and relations in intersection'
      : 'mixing event sets and sets in intersection',
    at,
  );
}

export function diffOf(u: Universe, a: Value, b: Value, p1: CatPos, p2: CatPos, at: CatPos): Value {
  a = tagToSet(a);
  b = tagToSet(b);
  if (isRel(a) && isRel(b)) return diff(a, b);
  if (isSet(a) && isSet(b)) return setDiff(a, b);
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'unv') {
    if (kb === 'rel') return diff(u.unv, b as Relation);
    if (kb === 'set') return setDiff(u.all, b as EventSet);
    if (kb === 'valset') return complementTags(u, b, p1);
    if (kb === 'empty') return UNV;
  }
  if (kb === 'unv' && ka !== 'other') return EMPTY;
  if (ka === 'empty' && kb !== 'other') return EMPTY;
  if (kb === 'empty' && ka !== 'other') return a;
  if (ka === 'valset' && kb === 'valset') {
    const bs = (b as { items: Value[] }).items;
    const items = (a as { items: Value[] }).items.filter((x) => !hasValue(bs, x));
    return { k: 'valset', elt: (a as { elt: Type }).elt, items };
  }
  if (ka === 'other') throw catError(`difference on ${typeName(typeOf(a))}`, p1);
  if (kb === 'other') throw catError(`difference on ${typeName(typeOf(b))}`, p2);
  throw catError(
    ka === 'rel' || kb === 'rel'
      ? 'mixing set and relation in difference'
      : 'mixing event set and set in difference',
    at,
  );
}

function kindOf(v: Value): 'rel' | 'set' | 'valset' | 'empty' | 'unv' | 'other' {
  if (isRel(v)) return 'rel';
  if (isSet(v)) return 'set';
  if (v.k === 'empty' || v.k === 'unv' || v.k === 'valset') return v.k;
  return 'other';
}

/** ~S: every tag of the enum not in S. */
function complementTags(u: Universe, v: Value, at: CatPos): Value {
  if (isSet(v) || isRel(v) || v.k !== 'valset' || typeof v.elt !== 'object' || !('tag' in v.elt))
    throw catError(`cannot build universe for element type ${typeName(typeOf(v))}`, at);
  const have = v.items;
  return {
    k: 'valset',
    elt: v.elt,
    items: u.enumTags(v.elt.tag).filter((t) => !hasValue(have, t)),
  };
}

export function complementOf(u: Universe, v: Value, at: CatPos): Value {
  if (isSet(v)) return complement(v);
  if (isRel(v)) return diff(u.unv, v);
  if (v.k === 'empty') return UNV;
  if (v.k === 'unv') return EMPTY;
  if (v.k === 'valset') return complementTags(u, v, at);
  throw catError(`set or relation expected, ${typeName(typeOf(v))} found`, at);
}

/** r+ r* r? r^-1 [S] */
export function postfixOf(
  u: Universe,
  op: 'plus' | 'star' | 'opt' | 'inv' | 'toid',
  v: Value,
  at: CatPos,
): Value {
  if (op === 'toid') {
    if (isSet(v)) return toid(v);
    if (!isRel(v) && v.k === 'empty') return EMPTY;
    if (!isRel(v) && v.k === 'unv') return u.id;
    return typeError(at, 'events', v);
  }
  if (isRel(v))
    return op === 'plus' ? plus(v) : op === 'star' ? star(v) : op === 'opt' ? opt(v) : inv(v);
  if (isSet(v)) return typeError(at, 'rel', v);
  if (v.k === 'unv') return UNV;
  if (v.k === 'empty') return op === 'plus' || op === 'inv' ? EMPTY : u.id;
  if (op === 'inv' && v.k === 'pair') return { k: 'pair', a: v.b, b: v.a };
  return typeError(at, 'rel', v);
}

/** r1 ; r2 ; ...: `{}` anywhere makes it `{}`. */
export function seqOf(u: Universe, args: Value[], ats: CatPos[]): Value {
  if (args.every(isRel)) return seq(...args);
  const rels: Relation[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!;
    if (!isRel(v) && !isSet(v) && v.k === 'empty') return EMPTY;
    rels.push(asRel(u, v, ats[i]!));
  }
  return seq(...rels);
}

/** S1 * S2 */
export function cartesianOf(u: Universe, a: Value, b: Value, p1: CatPos, p2: CatPos): Value {
  return cross(asEvents(u, a, p1), asEvents(u, b, p2));
}

/** e ++ S: add an element to a set (a pair to a relation, an event to an event set). */
export function addOf(u: Universe, a: Value, b: Value, p1: CatPos, p2: CatPos, at: CatPos): Value {
  if (!isRel(a) && !isSet(a) && a.k === 'unv') throw catError('universe in set ++', at);
  if (isRel(b)) {
    if (!isRel(a) && !isSet(a) && a.k === 'pair') return union(b, Relation.of(u.n, [[a.a, a.b]]));
    if (!isRel(a) && !isSet(a) && a.k === 'tuple' && a.items.length === 2) {
      const [x, y] = a.items;
      if (
        x &&
        y &&
        !isRel(x) &&
        !isSet(x) &&
        !isRel(y) &&
        !isSet(y) &&
        x.k === 'event' &&
        y.k === 'event'
      )
        return union(b, Relation.of(u.n, [[x.id, y.id]]));
    }
    throw catError(`this expression of type '${typeName(typeOf(a))}' should be a pair`, p1);
  }
  if (isSet(b)) {
    if (!isRel(a) && !isSet(a) && a.k === 'event') return setUnion(b, EventSet.of(u.n, [a.id]));
    throw catError(`this expression of type '${typeName(typeOf(a))}' should be an event`, p1);
  }
  switch (b.k) {
    case 'unv':
      return UNV;
    case 'empty':
      if (!isRel(a) && !isSet(a) && a.k === 'event') return EventSet.of(u.n, [a.id]);
      if (!isRel(a) && !isSet(a) && a.k === 'pair') return Relation.of(u.n, [[a.a, a.b]]);
      return valSet(typeOf(a), [a]);
    case 'valset': {
      if (
        isEmptyValue(a) &&
        !isRel(a) &&
        !isSet(a) &&
        a.k === 'empty' &&
        typeof b.elt === 'object' &&
        'set' in b.elt
      )
        return valSet(b.elt, [{ k: 'valset', elt: b.elt.set, items: [] }, ...b.items]);
      const t = unifyTypes(typeOf(a), b.elt);
      if (!t) throw catError(`type ${typeName(b.elt)} expected, ${typeName(typeOf(a))} found`, p1);
      return valSet(t, [a, ...b.items]);
    }
    default:
      throw catError(`this expression of type '${typeName(typeOf(b))}' should be a set`, p2);
  }
}

/** The elements of a set of values, relation or event set, for set matching and forall. */
export function elementsOf(v: Value): Value[] | undefined {
  if (isSet(v)) return [...v].map((id) => ({ k: 'event', id }));
  if (isRel(v)) return [...v.pairs()].map(([a, b]) => ({ k: 'pair', a, b }));
  if (v.k === 'valset') return v.items;
  if (v.k === 'empty') return [];
  if (v.k === 'tag') return [v];
  return undefined;
}

/** Explicit sets `{e1, e2}`: of events, of pairs, or of other values. */
export function explicitSet(u: Universe, vs: Value[], ats: CatPos[]): Value {
  vs.forEach((v, i) => {
    if (!isRel(v) && !isSet(v) && v.k === 'unv')
      throw catError('universe in explicit set', ats[i]!);
  });
  if (vs.length === 0) return EMPTY;
  const t = commonType(vs, ats);
  if (t === 'event')
    return EventSet.of(
      u.n,
      vs.map((v) => (v as { id: number }).id),
    );
  if (t === 'pair')
    return Relation.of(
      u.n,
      vs.map((v) => [(v as { a: number }).a, (v as { b: number }).b] as const),
    );
  return valSet(t, vs);
}
