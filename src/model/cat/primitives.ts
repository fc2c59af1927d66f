// The functions herd7 builds into the cat language: domain, range, fail, different-values,
// fromto, classes-loc, linearisations (every total order of a set that extends a relation,
// how a model enumerates coherence orders), tag2events, inter_transitive, as_transitive.
//
// Each is a Primitive value; what it needs of the execution comes through PrimitiveContext.

import { EventSet, fencerel, inter, plus, Relation, range } from '../core/relation.ts';
import { PrimitiveError } from './errors.ts';
import { freshId, type Primitive, typeName, typeOf, type Value, valSet } from './values.ts';

export interface PrimitiveContext {
  n: number;
  po: Relation;
  /** The value an event reads or writes; undefined for events without one (fences, locks). */
  eventValue(e: number): number | undefined;
  /** The location an event touches; undefined for fences. */
  locationOf(e: number): number | undefined;
  /** A set the execution provides, by name (tag2events looks tags up there). */
  initialSet(name: string): Value | undefined;
}

export const PRIMITIVE_NAMES = [
  'domain',
  'range',
  'fail',
  'different-values',
  'fromto',
  'classes-loc',
  'linearisations',
  'tag2events',
  'inter_transitive',
  'as_transitive',
] as const;

const isRel = (v: Value): v is Relation => v instanceof Relation;
const isSet = (v: Value): v is EventSet => v instanceof EventSet;
const isEmptyOrUnv = (v: Value): boolean =>
  !isRel(v) && !isSet(v) && (v.k === 'empty' || v.k === 'unv');

function mismatch(): never {
  throw new PrimitiveError('argument mismatch');
}

/** The primitives, bound to one execution. */
export function primitives(
  ctx: PrimitiveContext,
): Record<(typeof PRIMITIVE_NAMES)[number], Primitive> {
  const prim = (name: string, call: (v: Value) => Value): Primitive => ({
    k: 'prim',
    name,
    id: freshId(),
    call,
  });
  return {
    domain: prim('domain', (v) => (isEmptyOrUnv(v) ? v : isRel(v) ? domainOf(v) : mismatch())),
    range: prim('range', (v) => (isEmptyOrUnv(v) ? v : isRel(v) ? range(v) : mismatch())),
    fail: prim('fail', (v) => {
      throw new PrimitiveError(`fail on ${typeName(typeOf(v))}`);
    }),
    'different-values': differentValues(ctx.n, ctx.eventValue),
    fromto: prim('fromto', (v) => (isSet(v) ? fencerel(ctx.po, v) : mismatch())),
    'classes-loc': prim('classes-loc', (v) => {
      if (!isSet(v)) return mismatch();
      const byLoc = new Map<number, number[]>();
      for (const e of v) {
        const l = ctx.locationOf(e);
        if (l === undefined) continue;
        byLoc.set(l, [...(byLoc.get(l) ?? []), e]);
      }
      return valSet(
        'events',
        [...byLoc.values()].map((es) => EventSet.of(ctx.n, es)),
      );
    }),
    linearisations: prim('linearisations', (v) => {
      if (isRel(v) || isSet(v) || v.k !== 'tuple' || v.items.length !== 2) return mismatch();
      const [nodes, order] = v.items;
      if (!nodes || !order || !isSet(nodes) || !isRel(order)) return mismatch();
      return valSet('rel', linearisations(ctx.n, [...nodes], closureOf(order)));
    }),
    tag2events: prim('tag2events', (v) => {
      if (isRel(v) || isSet(v) || v.k !== 'tag') return mismatch();
      const name = v.name.charAt(0).toUpperCase() + v.name.slice(1);
      const set = ctx.initialSet(name);
      if (!set) throw new PrimitiveError(`cannot find event set ${name}`);
      return set;
    }),
    inter_transitive: prim('inter_transitive', (v) => {
      if (isRel(v) || isSet(v) || v.k !== 'tuple' || v.items.length !== 2) return mismatch();
      const [po, loc] = v.items;
      if (!po || !loc || !isRel(po) || !isRel(loc)) return mismatch();
      return inter(plus(po), loc);
    }),
    as_transitive: prim('as_transitive', (v) => (isRel(v) ? v : mismatch())),
  };
}

/** different-values(r): the pairs of r whose events hold different values (or none). */
export function differentValues(n: number, valueAt: (e: number) => number | undefined): Primitive {
  return {
    k: 'prim',
    name: 'different-values',
    id: freshId(),
    call: (v) => {
      if (!isRel(v)) return mismatch();
      const out = Relation.none(n);
      for (const [a, b] of v.pairs()) {
        const [x, y] = [valueAt(a), valueAt(b)];
        if (x === undefined || y === undefined || x !== y) out.add(a, b);
      }
      return out;
    },
  };
}

/** r+, computed once per relation value (generate_cos asks for each location in turn). */
const closures = new WeakMap<Relation, Relation>();
function closureOf(r: Relation): Relation {
  let c = closures.get(r);
  if (!c) {
    c = plus(r);
    closures.set(r, c);
  }
  return c;
}

function domainOf(r: Relation): Value {
  const out = EventSet.none(r.n);
  for (const [a] of r.pairs()) out.bits[a >>> 5]! |= 1 << (a & 31);
  return out;
}

/**
 * Every total order of `nodes` containing the (transitively closed) `before` restricted to
 * them, each as the relation of all its ordered pairs; none when `before` has a cycle there.
 */
function linearisations(n: number, nodes: number[], before: Relation): Relation[] {
  const out: Relation[] = [];
  const placed: number[] = [];
  const left = new Set(nodes);
  const extend = (): void => {
    if (left.size === 0) {
      const r = Relation.none(n);
      for (let i = 0; i < placed.length; i++)
        for (let j = i + 1; j < placed.length; j++) r.add(placed[i]!, placed[j]!);
      out.push(r);
      return;
    }
    for (const x of [...left]) {
      // x may come next when nothing left must come before it.
      let free = true;
      for (const y of left) if (y !== x && before.has(y, x)) free = false;
      if (!free) continue;
      left.delete(x);
      placed.push(x);
      extend();
      placed.pop();
      left.add(x);
    }
  };
  for (const x of nodes) if (before.has(x, x)) return out;
  extend();
  return out;
}
