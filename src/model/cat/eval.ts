// Cat expressions compiled to code over frames, with the meaning herdtools7's interpreter gives
// them: names (lazy, lexically scoped), operators (ops.ts), application of functions and
// primitives, `try e with e'`; `fun`, `let ... in` and `let rec` are bind.ts's, matching and
// the conditions of `if` cond.ts's. An operand that reads only static names is kept per shape
// (shareStatic; frame.ts says why).
//
// Compiling resolves every name once (frame.ts); running the code is then index lookups and
// relation operations. The instructions are exec.ts's.

import { EventSet, Relation } from '../core/relation.ts';
import type { CatPos, Exp } from './ast.ts';
import { compileBind, compileFun } from './bind.ts';
import { compileCond, compileMatch, compileMatchSet } from './cond.ts';
import { CatError, catError, PrimitiveError } from './errors.ts';
import {
  type Code,
  collectRefs,
  type Frame,
  type Ref,
  type Scope,
  type Sharing,
  variableCode,
} from './frame.ts';
import {
  addOf,
  cartesianOf,
  complementOf,
  diffOf,
  explicitSet,
  interOf,
  postfixOf,
  seqOf,
  unionOf,
} from './ops.ts';
import { EMPTY, UNV, type Value } from './values.ts';

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
      return compileFun(e.param, e.body, e.name, sc, st, compileExp);
    case 'bind':
      return compileBind(e.rec, e.bindings, e.body, sc, st, compileExp);
    case 'match':
      return compileMatch(e, sc, st, compileExp);
    case 'match-set':
      return compileMatchSet(e, sc, st, compileExp);
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
      const cond = compileCond(e.cond, sc, st, compileExp);
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
