// The values of the cat language, as herdtools7's interpreter has them: event sets and
// relations (relation.ts's EventSet and Relation, used as they are), the polymorphic empty
// value `{}` and the universe `_`, single events and pairs of events, tags of an enum, sets of
// values, tuples, functions (closures and primitives) and procedures; their types as herd7
// names them in its errors; and the order herd7 keeps sets of values in.
//
// This module knows nothing of how expressions are evaluated; eval.ts does.

import { EventSet, Relation } from '../core/relation.ts';

export type Value =
  | EventSet
  | Relation
  | { k: 'empty' }
  | { k: 'unv' }
  | { k: 'event'; id: number }
  | { k: 'pair'; a: number; b: number }
  | { k: 'tag'; type: string; name: string }
  | { k: 'valset'; elt: Type; items: Value[] }
  | { k: 'tuple'; items: Value[] }
  | Closure
  | Primitive
  | Procedure;

/** A function value: its compiled body, run in a new frame below the one it was made in. */
export interface Closure {
  k: 'clo';
  name: string;
  id: number;
  /** How many names the parameter binds (one, or the parts of a tuple). */
  arity: number;
  call: (arg: Value) => Value;
}

export interface Primitive {
  k: 'prim';
  name: string;
  id: number;
  call: (arg: Value) => Value;
}

export interface Procedure {
  k: 'proc';
  name: string;
  /** Runs the body with the argument, then `kont` (on each path the body did not reject). */
  run: (arg: Value, kont: () => void) => void;
}

/** herd7's types, for errors and for typing sets of values. */
export type Type =
  | 'empty'
  | 'event'
  | 'events'
  | 'pair'
  | 'rel'
  | 'closure'
  | 'procedure'
  | { tag: string }
  | { set: Type }
  | { tuple: Type[] };

export const EMPTY: Value = { k: 'empty' };
export const UNV: Value = { k: 'unv' };

let nextId = 0;
/** A fresh identity for a function value (sets of functions are ordered by it, as in herd7). */
export const freshId = (): number => nextId++;

export function typeOf(v: Value): Type {
  if (v instanceof EventSet) return 'events';
  if (v instanceof Relation) return 'rel';
  switch (v.k) {
    case 'empty':
    case 'unv':
      return 'empty';
    case 'event':
      return 'event';
    case 'pair':
      return 'pair';
    case 'tag':
      return { tag: v.type };
    case 'valset':
      return { set: v.elt };
    case 'tuple':
      return { tuple: v.items.map(typeOf) };
    case 'clo':
    case 'prim':
      return 'closure';
    case 'proc':
      return 'procedure';
  }
}

/** The common type of two, `{}` fitting any set or relation type; undefined when they differ. */
export function unifyTypes(a: Type, b: Type): Type | undefined {
  if (a === 'empty')
    return b === 'events' || b === 'rel' || typeof b === 'object' ? b : a === b ? a : undefined;
  if (b === 'empty') return unifyTypes(b, a);
  if (typeof a === 'string' || typeof b === 'string') return a === b ? a : undefined;
  if ('tag' in a) return 'tag' in b && a.tag === b.tag ? a : undefined;
  if ('set' in a) {
    if (!('set' in b)) return undefined;
    const elt = unifyTypes(a.set, b.set);
    return elt && { set: elt };
  }
  if (!('tuple' in b) || a.tuple.length !== b.tuple.length) return undefined;
  const items: Type[] = [];
  for (let i = 0; i < a.tuple.length; i++) {
    const t = unifyTypes(a.tuple[i]!, b.tuple[i]!);
    if (!t) return undefined;
    items.push(t);
  }
  return { tuple: items };
}

export function typeName(t: Type): string {
  if (t === 'empty') return '{}';
  if (typeof t === 'string') return t;
  if ('tag' in t) return t.tag;
  if ('set' in t) return `${typeName(t.set)} set`;
  return `(${t.tuple.map(typeName).join(' * ')})`;
}

/** A total order on values of one type (sets of values are kept sorted by it, without repeats). */
export function compareValues(a: Value, b: Value): number {
  if (a instanceof EventSet || a instanceof Relation) {
    if (!(b instanceof EventSet || b instanceof Relation))
      return isEmptyValue(b) ? (isEmptyValue(a) ? 0 : 1) : -1;
    return compareWords(
      a instanceof EventSet ? a.bits : a.rows,
      b instanceof EventSet ? b.bits : b.rows,
    );
  }
  if (b instanceof EventSet || b instanceof Relation) return -compareValues(b, a);
  if (a.k === 'empty' || b.k === 'empty') {
    const ea = isEmptyValue(a);
    const eb = isEmptyValue(b);
    return ea === eb ? 0 : ea ? -1 : 1;
  }
  if (a.k !== b.k) return a.k < b.k ? -1 : 1;
  switch (a.k) {
    case 'event':
      return a.id - (b as typeof a).id;
    case 'pair': {
      const p = b as typeof a;
      return a.a - p.a || a.b - p.b;
    }
    case 'tag':
      return a.name < (b as typeof a).name ? -1 : a.name > (b as typeof a).name ? 1 : 0;
    case 'valset':
    case 'tuple':
      return compareLists(a.items, (b as typeof a).items);
    case 'clo':
    case 'prim':
      return a.id - (b as typeof a).id;
    default:
      return 0;
  }
}

function compareLists(a: Value[], b: Value[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

function compareWords(a: Uint32Array, b: Uint32Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++)
    if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length - b.length;
}

/** Whether a value is an empty set, relation or set of values (they compare equal). */
export function isEmptyValue(v: Value): boolean {
  if (v instanceof EventSet || v instanceof Relation) return v.isEmpty();
  return v.k === 'empty' || (v.k === 'valset' && v.items.length === 0);
}

/** Whether `items` holds a value equal to `v`: set membership on values, where `===` is identity. */
export function hasValue(items: readonly Value[], v: Value): boolean {
  return items.some((x) => compareValues(x, v) === 0);
}

/** A set of values: sorted, repeats dropped. */
export function valSet(elt: Type, items: Value[]): Value {
  const sorted = items.slice().sort(compareValues);
  const out: Value[] = [];
  for (const v of sorted)
    if (out.length === 0 || compareValues(out[out.length - 1]!, v) !== 0) out.push(v);
  return { k: 'valset', elt, items: out };
}

/** How a value reads in an error message. */
export function showValue(v: Value): string {
  if (v instanceof EventSet || v instanceof Relation) return `<${typeName(typeOf(v))}>`;
  switch (v.k) {
    case 'empty':
      return '{}';
    case 'unv':
      return '<universe>';
    case 'tag':
      return `'${v.name}`;
    case 'valset':
      return `{${v.items.map(showValue).join(',')}}`;
    case 'tuple':
      return `(${v.items.map(showValue).join(',')})`;
    case 'clo':
    case 'prim':
      return v.name;
    default:
      return `<${typeName(typeOf(v))}>`;
  }
}
