// Cat expressions compiled to code over frames, with the meaning herdtools7's interpreter gives
// them: names (lazy, lexically scoped), operators (ops.ts), application of functions and
// primitives, `let`/`let rec ... in` (a recursive value is the least fixpoint of its
// definition, iterated from empty until it stops growing), `fun`, matching on tags and on
// sets (`{} -> ... || e ++ s -> ...`), `try e with e'`, `if` on a variant or a comparison.
//
// Compiling resolves every name once (frame.ts); running the code is then index lookups and
// relation operations. The instructions are exec.ts's.

import { EventSet, Relation } from '../core/relation.ts';
import type { Binding, CatPos, Cond, Exp, Pattern, VariantCond } from './ast.ts';
import { CatError, catError } from './errors.ts';
import {
  type Code,
  collectRefs,
  Frame,
  Lazy,
  type Ref,
  Scope,
  type Slot,
  variableCode,
} from './frame.ts';
import {
  addOf,
  asEvents,
  asRel,
  cartesianOf,
  complementOf,
  diffOf,
  elementsOf,
  explicitSet,
  interOf,
  postfixOf,
  seqOf,
  unionOf,
} from './ops.ts';
import {
  compareValues,
  EMPTY,
  freshId,
  showValue,
  type Type,
  typeName,
  typeOf,
  UNV,
  unifyTypes,
  type Value,
} from './values.ts';

/** What expressions need from the program around them. */
export interface Statics {
  /** The tag value of `'name`, from the enums declared so far; undefined if none declares it. */
  tag(name: string): Value | undefined;
  /** Whether a variant (`"lkmmv2"`) is set for this run of the model. */
  variant(name: string): boolean;
}

/** What compiling needs to keep static values once per shape (frame.ts). */
export interface Sharing extends Statics {
  /** The top-level scope. */
  top: Scope;
  /** Whether a top-level slot changes from one candidate to the next. */
  isDynamic(slot: number): boolean;
}

/** Codes whose value depends on static top-level names only (the same for every candidate of a shape). */
const STATIC = new WeakSet<Code>();
/** Codes not worth keeping: a name read, a constant. */
const TRIVIAL = new WeakSet<Code>();

/**
 * Whether names read (refs) make a value static, for code compiled in `sc`: every name is a
 * static top-level one, or one bound inside the code itself (not in a scope around it).
 */
export function staticRefs(
  refs: Ref[],
  sc: Scope,
  st: Sharing,
  own?: ReadonlySet<number>,
): boolean {
  const around = new Set<Scope>();
  for (let s: Scope | undefined = sc; s; s = s.parent) around.add(s);
  return refs.every((r) =>
    r.scope === st.top
      ? !st.isDynamic(r.slot) || (own?.has(r.slot) ?? false)
      : !around.has(r.scope),
  );
}

/**
 * Where some of an operator's operands are static and some are not, the static ones are
 * computed once per shape: each gets a top-level slot, filled in the shape's shared slots.
 */
function shareStatic(codes: Code[], sc: Scope, st: Sharing): Code[] {
  if (codes.every((c) => STATIC.has(c))) return codes;
  const depth = sc.depth();
  return codes.map((code) => {
    if (!STATIC.has(code) || TRIVIAL.has(code)) return code;
    const slot = st.top.bind(undefined);
    return (f: Frame) => {
      let top = f;
      for (let d = 0; d < depth; d++) top = top.parent!;
      const shared = top.shared!;
      let v = shared[slot] as Value | undefined;
      if (v === undefined) {
        v = code(f);
        shared[slot] = v;
      }
      return v;
    };
  });
}

/** A failure in a primitive, reported at the call as `primitive name: message`. */
export class PrimitiveError extends Error {}

/** A limit on the rounds of a `let rec` fixpoint, which grows monotonically and so ends. */
const MAX_FIX_ROUNDS = 100_000;

export function compileExp(e: Exp, sc: Scope, st: Sharing): Code {
  const [code, refs] = collectRefs(() => compileNode(e, sc, st));
  if (staticRefs(refs, sc, st)) STATIC.add(code);
  return code;
}

function trivial(code: Code): Code {
  TRIVIAL.add(code);
  return code;
}

function compileNode(e: Exp, sc: Scope, st: Sharing): Code {
  const at = e.at;
  switch (e.kind) {
    case 'empty':
      return trivial((f) => f.run.emptyRel);
    case 'empty-set':
      return trivial(() => EMPTY);
    case 'universe':
      return trivial(() => UNV);
    case 'tag': {
      const tag = st.tag(e.name);
      if (!tag) return fail(`tag '${e.name} is undefined`, at);
      return trivial(() => tag);
    }
    case 'var':
      return trivial(variableCode(e.name, at, sc));
    case 'op1': {
      const [arg] = shareStatic([compileExp(e.arg, sc, st)], sc, st) as [Code];
      const op = e.op;
      if (op === 'comp') return (f) => complementOf(f.run, arg(f), at);
      return (f) => postfixOf(f.run, op, arg(f), at);
    }
    case 'op':
      return compileOp(e, sc, st);
    case 'tuple': {
      const items = shareStatic(
        e.items.map((x) => compileExp(x, sc, st)),
        sc,
        st,
      );
      return (f) => ({ k: 'tuple', items: items.map((c) => c(f)) });
    }
    case 'explicit-set': {
      const items = e.items.map((x) => compileExp(x, sc, st));
      const ats = e.items.map((x) => x.at);
      return (f) =>
        explicitSet(
          f.run,
          items.map((c) => c(f)),
          ats,
        );
    }
    case 'app': {
      const [fn, arg] = shareStatic(
        [compileExp(e.fn, sc, st), compileExp(e.arg, sc, st)],
        sc,
        st,
      ) as [Code, Code];
      return (f) => apply(fn(f), arg(f), at);
    }
    case 'fun':
      return compileFun(e.param, e.body, e.name, sc, st);
    case 'bind':
      return compileBind(e.rec, e.bindings, e.body, sc, st);
    case 'match':
      return compileMatch(e, sc, st);
    case 'match-set':
      return compileMatchSet(e, sc, st);
    case 'try': {
      const body = compileExp(e.exp, sc, st);
      const otherwise = compileExp(e.otherwise, sc, st);
      return (f) => {
        try {
          return body(f);
        } catch (err) {
          if (err instanceof CatError) return otherwise(f);
          throw err;
        }
      };
    }
    case 'if': {
      const cond = compileCond(e.cond, sc, st);
      const then = compileExp(e.then, sc, st);
      const otherwise = compileExp(e.else, sc, st);
      return (f) => (cond(f) ? then(f) : otherwise(f));
    }
  }
}

function fail(message: string, at: CatPos): Code {
  return () => {
    throw catError(message, at);
  };
}

function compileOp(e: Extract<Exp, { kind: 'op' }>, sc: Scope, st: Sharing): Code {
  const at = e.at;
  const codes = shareStatic(
    e.args.map((x) => compileExp(x, sc, st)),
    sc,
    st,
  );
  const ats = e.args.map((x) => x.at);
  switch (e.op) {
    case 'union':
      return (f) =>
        unionOf(
          f.run,
          codes.map((c) => c(f)),
          ats,
          at,
        );
    case 'seq':
      // Left to right; once a step is empty the rest cannot matter (`rcu-gp ; rcu-link ; ...`
      // costs nothing without a grace period), as herd7 makes it empty too.
      return (f) => {
        const vs: Value[] = [];
        for (const c of codes) {
          const v = c(f);
          if (isNothing(v)) return v instanceof Relation ? f.run.emptyRel : EMPTY;
          vs.push(v);
        }
        return seqOf(f.run, vs, ats);
      };
    case 'inter':
    case 'diff': {
      // An empty left side is the answer whatever the right one is (`pre-race & rf & ...`).
      const [c1, c2] = codes as [Code, Code];
      const [p1, p2] = ats as [CatPos, CatPos];
      const op = e.op === 'inter' ? interOf : diffOf;
      return (f) => {
        const a = c1(f);
        if (a instanceof Relation && a.isEmpty()) return a;
        return op(f.run, a, c2(f), p1, p2, at);
      };
    }
    case 'cartesian':
    case 'add': {
      const [c1, c2] = codes as [Code, Code];
      const [p1, p2] = ats as [CatPos, CatPos];
      const op = e.op === 'cartesian' ? cartesianOf : addOf;
      return (f) => op(f.run, c1(f), c2(f), p1, p2, at);
    }
  }
}

/** `{}`, or an empty relation: nothing composed with it in sequence gives anything. */
function isNothing(v: Value): boolean {
  if (v instanceof Relation) return v.isEmpty();
  return !(v instanceof EventSet) && v.k === 'empty';
}

/** Apply a function value (a closure or a primitive) to an argument. */
export function apply(fn: Value, arg: Value, at: CatPos): Value {
  if (fn instanceof EventSet || fn instanceof Relation || (fn.k !== 'clo' && fn.k !== 'prim'))
    throw catError('closure or primitive expected', at);
  if (fn.k === 'clo') return fn.call(arg);
  try {
    return fn.call(arg);
  } catch (err) {
    if (err instanceof PrimitiveError) throw catError(`primitive ${fn.name}: ${err.message}`, at);
    throw err;
  }
}

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

function compileFun(param: Pattern, body: Exp, name: string, sc: Scope, st: Sharing): Code {
  const inner = new Scope(sc);
  const slots = bindPattern(param, inner);
  const code = compileExp(body, inner, st);
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
function compileBind(rec: boolean, bindings: Binding[], body: Exp, sc: Scope, st: Sharing): Code {
  const inner = new Scope(sc);
  if (rec) {
    const fix = compileRec(bindings, inner, st);
    const code = compileExp(body, inner, st);
    return (f) => {
      const fr = new Frame(inner.size, f, f.run);
      fix(fr, () => true);
      return code(fr);
    };
  }
  const rhs = bindings.map((b) => compileExp(b.exp, sc, st));
  const slots = bindings.map((b) => bindPattern(b.pat, inner));
  const code = compileExp(body, inner, st);
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
): (fr: Frame, check: (fr: Frame) => boolean) => boolean {
  const slots = bindings.map((b) => bindPattern(b.pat, sc));
  const codes = bindings.map((b) => compileExp(b.exp, sc, st));
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
function contains(before: Value, after: Value, at: CatPos): boolean {
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
    return after.items.every((x) => before.items.some((y) => compareValues(x, y) === 0));
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

function compileMatch(e: Extract<Exp, { kind: 'match' }>, sc: Scope, st: Sharing): Code {
  const subject = compileExp(e.exp, sc, st);
  const clauses = e.clauses.map(([tag, x]) => [tag, compileExp(x, sc, st)] as const);
  const otherwise = e.otherwise && compileExp(e.otherwise, sc, st);
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

function compileMatchSet(e: Extract<Exp, { kind: 'match-set' }>, sc: Scope, st: Sharing): Code {
  const subject = compileExp(e.exp, sc, st);
  const ifEmpty = compileExp(e.ifEmpty, sc, st);
  const inner = new Scope(sc);
  const c = e.clause;
  const names = c.kind === 'elt-rem' ? [c.elt, c.rest] : [c.before, c.elt, c.after];
  const slots = names.map((n) => inner.bind(n));
  const body = compileExp(c.exp, inner, st);
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

function compileCond(c: Cond, sc: Scope, st: Sharing): (f: Frame) => boolean {
  if (c.kind === 'variant') {
    const v = variantHolds(c.cond, st);
    return () => v;
  }
  const left = compileExp(c.left, sc, st);
  const right = compileExp(c.right, sc, st);
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
  return b.items.some((x) => compareValues(x, a) === 0);
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

export { showValue };
