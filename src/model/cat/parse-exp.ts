// Cat expressions, as herdtools7's lib/modelParser.mly reads them: `let`/`fun`/`try`/`if`/`match`,
// tuples without parentheses, and the operators on relations and sets — loosest first `|`,
// `++`, `;`, `\`, `&`, `S * S` (the cartesian product), then the prefix `~` and the postfix
// `*` `+` `?` `^-1`. A `*` is postfix unless something that can start an operand follows it
// (`po*` but `W * R`). Application is juxtaposition and binds tightest: `domain(rmw)`, `map f S`.
// Also the bindings and patterns `let` shares with the instructions (parse.ts).

import type {
  Binding,
  CatPos,
  Cond,
  Exp,
  Name,
  Op2,
  Pattern,
  SetClause,
  VariantCond,
} from './ast.ts';
import { describe, TokenCursor } from './cursor.ts';

/**
 * Binary operators of `base`, by token: precedence (higher binds tighter) and associativity.
 * herd7's `|`, `;` and `&` are right-associative, but they are associative too: parsed from the
 * left (a loop, not a recursion, so a long chain cannot exhaust the stack). `++` is not.
 */
const BINARY: Record<string, { prec: number; op: Op2; right: boolean }> = {
  '|': { prec: 1, op: 'union', right: false },
  '++': { prec: 2, op: 'add', right: true },
  ';': { prec: 3, op: 'seq', right: false },
  '\\': { prec: 4, op: 'diff', right: false },
  '&': { prec: 5, op: 'inter', right: false },
  '*': { prec: 6, op: 'cartesian', right: false },
};

/** Tokens that can start an operand of a binary operator (so a `*` before one is binary). */
const OPERAND_START = new Set(['name', 'tag', '(', '{', '[', '_', '0', '~', 'begin']);

export class ExpressionParser extends TokenCursor {
  // ---- bindings and patterns ----

  protected bindings(): Binding[] {
    const list = [this.binding()];
    while (this.accept('and')) list.push(this.binding());
    return list;
  }

  protected binding(): Binding {
    const t = this.peek();
    const at = t.at;
    if (t.kind === '(') {
      this.next();
      const pat = tuplePattern(this.formals(')'));
      this.expect(')');
      this.expect('=');
      return { at, pat, exp: this.exp() };
    }
    if (t.kind === 'name') {
      const after = this.tokens[this.k + 1]!;
      // `f(x, y) = e` and `f x = e` define functions; `x = e` and `x, y = e` bind values.
      if (after.kind === '(') {
        this.next();
        this.next();
        const param = tuplePattern(this.formals(')'));
        this.expect(')');
        this.expect('=');
        return { at, pat: { kind: 'var', name: t.text }, exp: this.fun(at, param, t.text) };
      }
      if (after.kind === 'name' || after.kind === '_') {
        this.next();
        const param: Pattern = { kind: 'var', name: this.pat0() };
        this.expect('=');
        return { at, pat: { kind: 'var', name: t.text }, exp: this.fun(at, param, t.text) };
      }
    }
    const names = this.formalsN();
    this.expect('=');
    return { at, pat: tuplePattern(names), exp: this.exp() };
  }

  /** The body of a function after its parameters' `=` or `->`. */
  protected fun(at: CatPos, param: Pattern, name: string): Exp {
    const body = this.exp();
    return { at, kind: 'fun', param, body, name, free: [] };
  }

  protected pat0(): Name {
    if (this.accept('_')) return undefined;
    return this.expect('name').text;
  }

  /** Zero or more pat0 separated by commas, up to `close` (not consumed). */
  protected formals(close: string): Name[] {
    if (this.peek().kind === close) return [];
    return this.formalsN();
  }

  protected formalsN(): Name[] {
    const names = [this.pat0()];
    while (this.accept(',')) names.push(this.pat0());
    return names;
  }

  // ---- expressions ----

  /** exp: let/fun/try/if/match, or a base, or a tuple of bases without parentheses. */
  exp(): Exp {
    this.enter();
    try {
      const t = this.peek();
      const at = t.at;
      switch (t.kind) {
        case 'let': {
          this.next();
          const rec = this.accept('rec');
          const bindings = this.bindings();
          this.expect('in');
          return { at, kind: 'bind', rec, bindings, body: this.exp() };
        }
        case 'fun': {
          this.next();
          let param: Pattern;
          if (this.accept('(')) {
            param = tuplePattern(this.formals(')'));
            this.expect(')');
          } else param = { kind: 'var', name: this.pat0() };
          this.expect('->');
          return this.fun(at, param, '*fun*');
        }
        case 'try': {
          this.next();
          const exp = this.exp();
          this.expect('with');
          return { at, kind: 'try', exp, otherwise: this.exp() };
        }
        case 'if': {
          this.next();
          const cond = this.cond();
          this.expect('then');
          const then = this.exp();
          this.expect('else');
          return { at, kind: 'if', cond, then, else: this.exp() };
        }
        case 'match':
          return this.matchExp();
        default: {
          const first = this.base(0);
          if (this.peek().kind !== ',') return first;
          const items = [first];
          while (this.accept(',')) items.push(this.base(0));
          return { at, kind: 'tuple', items };
        }
      }
    } finally {
      this.depth--;
    }
  }

  protected matchExp(): Exp {
    const at = this.next().at;
    const exp = this.exp();
    this.expect('with');
    this.accept('||');
    const t = this.peek();
    const second = this.tokens[this.k + 1]!;
    const setClause =
      t.kind === '{' ||
      ((t.kind === 'name' || t.kind === '_') && (second.kind === '++' || second.kind === '|'));
    if (setClause) {
      let ifEmpty: Exp | undefined;
      let clause: SetClause | undefined;
      for (let i = 0; i < 2; i++) {
        if (i > 0) this.expect('||');
        if (this.accept('{')) {
          this.expect('}');
          this.expect('->');
          ifEmpty = this.exp();
        } else clause = this.elementClause();
      }
      this.expect('end');
      if (!ifEmpty || !clause)
        return this.fail(t, 'a set match needs one {} -> clause and one e ++ s -> clause');
      return { at, kind: 'match-set', exp, ifEmpty, clause };
    }
    const clauses: [string, Exp][] = [];
    let otherwise: Exp | undefined;
    for (;;) {
      if (this.accept('_')) {
        this.expect('->');
        otherwise = this.exp();
        break;
      }
      const tag = this.expect('tag').text;
      this.expect('->');
      clauses.push([tag, this.exp()]);
      if (!this.accept('||')) break;
    }
    this.expect('end');
    return { at, kind: 'match', exp, clauses, ...(otherwise && { otherwise }) };
  }

  protected elementClause(): SetClause {
    const first = this.pat0();
    if (this.accept('|')) {
      const elt = this.pat0();
      this.expect('++');
      const after = this.pat0();
      this.expect('->');
      return { kind: 'pre-elt-post', before: first, elt, after, exp: this.exp() };
    }
    this.expect('++');
    const rest = this.pat0();
    this.expect('->');
    return { kind: 'elt-rem', elt: first, rest, exp: this.exp() };
  }

  protected cond(): Cond {
    const t = this.peek();
    const next = this.tokens[this.k + 1]!;
    const variant =
      t.kind === 'string' ||
      t.kind === 'variant' ||
      t.kind === 'not' ||
      (t.kind === '(' &&
        (next.kind === 'string' || next.kind === 'variant' || next.kind === 'not'));
    if (variant) return { kind: 'variant', cond: this.variantCond() };
    const left = this.exp();
    const op = this.next();
    if (op.kind !== '=' && op.kind !== 'subset' && op.kind !== 'in')
      return this.fail(op, `expected =, subset or in in a condition, found ${describe(op)}`);
    const kind = op.kind === '=' ? 'eq' : op.kind;
    return { kind, left, right: this.exp() };
  }

  /** `"v"`, `variant "v"`, `not c`, `c && c`, `c || c`, `(c)`: || looser than &&. */
  protected variantCond(): VariantCond {
    let left = this.variantAnd();
    while (this.accept('||')) left = { kind: 'or', left, right: this.variantAnd() };
    return left;
  }

  protected variantAnd(): VariantCond {
    let left = this.variantAtom();
    while (this.accept('&&')) left = { kind: 'and', left, right: this.variantAtom() };
    return left;
  }

  protected variantAtom(): VariantCond {
    if (this.accept('not')) return { kind: 'not', arg: this.variantAtom() };
    if (this.accept('(')) {
      const c = this.variantCond();
      this.expect(')');
      return c;
    }
    this.accept('variant');
    return { kind: 'variant', name: this.expect('string').text };
  }

  /** Binary operators of at least `minPrec`, by precedence climbing. */
  protected base(minPrec: number): Exp {
    this.enter();
    try {
      let left = this.unary();
      for (;;) {
        const t = this.peek();
        const op = BINARY[t.kind];
        if (!op || op.prec < minPrec) return left;
        this.next();
        const right = this.base(op.right ? op.prec : op.prec + 1);
        left = combine(t.at, op.op, left, right);
      }
    } finally {
      this.depth--;
    }
  }

  protected unary(): Exp {
    const t = this.peek();
    if (t.kind === '~') {
      this.next();
      return { at: t.at, kind: 'op1', op: 'comp', arg: this.unary() };
    }
    return this.postfix();
  }

  protected postfix(): Exp {
    let e = this.application();
    for (;;) {
      const t = this.peek();
      if (t.kind === '^') {
        this.next();
        this.expect('-1');
        e = { at: t.at, kind: 'op1', op: 'inv', arg: e };
      } else if (t.kind === '+' || t.kind === '?') {
        this.next();
        e = { at: t.at, kind: 'op1', op: t.kind === '+' ? 'plus' : 'opt', arg: e };
      } else if (t.kind === '*' && !OPERAND_START.has(this.tokens[this.k + 1]!.kind)) {
        this.next();
        e = { at: t.at, kind: 'op1', op: 'star', arg: e };
      } else return e;
    }
  }

  /** A name applied to arguments (`domain(rmw)`, `map f S`), or a simple expression. */
  protected application(): Exp {
    const t = this.peek();
    if (t.kind !== 'name') return this.simple();
    this.next();
    let e: Exp = { at: t.at, kind: 'var', name: t.text };
    for (;;) {
      const a = this.peek();
      if (a.kind === 'name') {
        this.next();
        e = { at: t.at, kind: 'app', fn: e, arg: { at: a.at, kind: 'var', name: a.text } };
      } else if (['tag', '(', '{', '[', '_', '0', 'begin'].includes(a.kind))
        e = { at: t.at, kind: 'app', fn: e, arg: this.simple() };
      else return e;
    }
  }

  /** 0, 'tag, {e, ...}, _, (), (e), begin e end, [e], a name. */
  protected simple(): Exp {
    const t = this.next();
    const at = t.at;
    switch (t.kind) {
      case '0':
        return { at, kind: 'empty' };
      case 'tag':
        return { at, kind: 'tag', name: t.text };
      case 'name':
        return { at, kind: 'var', name: t.text };
      case '_':
        return { at, kind: 'universe' };
      case '{': {
        const items = this.args('}');
        this.expect('}');
        return items.length === 0 ? { at, kind: 'empty-set' } : { at, kind: 'explicit-set', items };
      }
      case '(': {
        if (this.accept(')')) return { at, kind: 'tuple', items: [] };
        const e = this.exp();
        this.expect(')');
        return e;
      }
      case 'begin': {
        const e = this.exp();
        this.expect('end');
        return e;
      }
      case '[': {
        const e = this.exp();
        this.expect(']');
        return { at, kind: 'op1', op: 'toid', arg: e };
      }
      default:
        return this.fail(t, `expected an expression, found ${describe(t)}`);
    }
  }

  /** Bases separated by commas, up to `close` (not consumed). */
  protected args(close: string): Exp[] {
    if (this.peek().kind === close) return [];
    const list = [this.base(0)];
    while (this.accept(',')) list.push(this.base(0));
    return list;
  }
}

/** A binary operation, flattening chains of one associative operator as herd7 does. */
function combine(at: CatPos, op: Op2, left: Exp, right: Exp): Exp {
  if (op !== 'union' && op !== 'seq') return { at, kind: 'op', op, args: [left, right] };
  const parts = (e: Exp) => (e.kind === 'op' && e.op === op ? e.args : [e]);
  return { at, kind: 'op', op, args: [...parts(left), ...parts(right)] };
}

export function tuplePattern(names: Name[]): Pattern {
  return names.length === 1 ? { kind: 'var', name: names[0] } : { kind: 'tuple', names };
}
