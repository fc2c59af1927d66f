// The cat parser: tokens → a CatFile, following herdtools7's lib/modelParser.mly.
//
// Operators on relations and sets, loosest first: `|` (right), `++` (right), `;` (right),
// `\` (left), `&` (right), `S * S` (the cartesian product), then the prefix `~` and the
// postfix `*` `+` `?` `^-1`. A `*` is postfix unless something that can start an operand
// follows it (`po*` but `W * R`). Application is juxtaposition and binds tightest:
// `domain(rmw)`, `map f S`. A mistake is a UserError at the token, with the line quoted.
//
// This module builds syntax only; exec.ts and eval.ts give it its meaning.

import { errorAt } from '../../errors.ts';
import type {
  Binding,
  CatFile,
  CatPos,
  Cond,
  Exp,
  Ins,
  Name,
  Op2,
  Pattern,
  SetClause,
  Test,
  TestType,
  VariantCond,
} from './ast.ts';
import { lex, type Token } from './lexer.ts';

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

const TEST_KINDS = { acyclic: 'acyclic', irreflexive: 'irreflexive', empty: 'empty' } as const;

/** Nesting deeper than this is refused (a runaway file must not exhaust the stack). */
export const MAX_CAT_DEPTH = 200;

export function parseCat(file: string, text: string): CatFile {
  return new Parser(file, text).file();
}

class Parser {
  private readonly tokens: Token[];
  private k = 0;
  private depth = 0;

  constructor(
    private readonly fileName: string,
    private readonly text: string,
  ) {
    this.tokens = lex(fileName, text);
  }

  file(): CatFile {
    const title = this.title();
    if (this.peek().kind === 'catdep') this.next();
    const body: Ins[] = [];
    while (this.peek().kind !== 'eof') body.push(this.instruction());
    return { file: this.fileName, title, body };
  }

  /** `stdlib`, `"Linux-kernel memory consistency model"`, `X86 "x86 TSO"`, or nothing. */
  private title(): string {
    const t = this.peek();
    if (t.kind === 'string') return this.next().text;
    if (t.kind !== 'name') return '';
    this.next();
    const second = this.peek();
    if (second.kind === 'name' || second.kind === 'string') return this.next().text;
    return t.text;
  }

  // ---- instructions ----

  private instruction(): Ins {
    const t = this.peek();
    const at = t.at;
    switch (t.kind) {
      case 'let':
        return this.letInstruction();
      case 'include':
        this.next();
        return { at, kind: 'include', file: this.expect('string').text };
      case 'procedure':
        return this.procedure();
      case 'call': {
        this.next();
        const { text: name, at: nameAt } = this.expect('name');
        const arg = this.simple();
        const as = this.optionalName();
        return { at, kind: 'call', name, nameAt, arg, ...(as !== undefined && { as }) };
      }
      case 'enum':
        return this.enumeration();
      case 'forall': {
        this.next();
        const name = this.expect('name').text;
        this.expect('in');
        const set = this.exp();
        this.expect('do');
        const body = this.instructionsUntil(['end']);
        this.expect('end');
        return { at, kind: 'forall', name, set, body };
      }
      case 'with': {
        this.next();
        const name = this.expect('name').text;
        this.expect('from');
        const start = this.peek().offset;
        const from = this.exp();
        return { at, kind: 'with', name, from, text: this.textSince(start) };
      }
      case 'if':
        return this.ifVariant();
      case 'match':
        return this.matchInstruction();
      case 'instructions':
      case 'default': {
        this.next();
        const set = this.expect('name').text;
        this.expect('[');
        const args = this.args(']');
        this.expect(']');
        return { at, kind: 'instructions', set, args, isDefault: t.kind === 'default' };
      }
      case 'show':
      case 'unshow':
        return this.show();
      case 'debug':
        this.next();
        return { at, kind: 'debug', exp: this.exp() };
      case 'flag':
      case 'undefined_unless':
      case 'assert': {
        this.next();
        const type: TestType =
          t.kind === 'flag' ? 'flag' : t.kind === 'assert' ? 'assert' : 'undefined-unless';
        return { at, kind: 'test', type, test: this.test() };
      }
      default:
        if (t.kind === '~' || t.kind in TEST_KINDS)
          return { at, kind: 'test', type: 'check', test: this.test() };
        return this.fail(
          t,
          `expected an instruction (let, include, acyclic, flag, ...), found ${describe(t)}`,
        );
    }
  }

  private letInstruction(): Ins {
    const at = this.next().at;
    const rec = this.accept('rec');
    const bindings = this.bindings();
    let when: Test | undefined;
    if (rec && this.accept('when')) when = this.test();
    this.accept('in');
    return { at, kind: 'let', rec, bindings, ...(when && { when }) };
  }

  private procedure(): Ins {
    const at = this.next().at;
    const rec = this.accept('rec');
    const name = this.expect('name').text;
    let param: Pattern;
    if (this.accept('(')) {
      param = tuplePattern(this.formals(')'));
      this.expect(')');
    } else param = { kind: 'var', name: this.pat0() };
    this.expect('=');
    const body = this.instructionsUntil(['end']);
    this.expect('end');
    return { at, kind: 'procedure', name, param, body, rec };
  }

  private enumeration(): Ins {
    const at = this.next().at;
    const name = this.expect('name').text;
    this.expect('=');
    this.accept('||');
    const tags = [this.expect('tag').text];
    while (this.accept('||')) tags.push(this.expect('tag').text);
    return { at, kind: 'enum', name, tags };
  }

  private ifVariant(): Ins {
    const at = this.next().at;
    const cond = this.variantCond();
    const then = this.instructionsUntil(['else', 'end']);
    const otherwise = this.accept('else') ? this.instructionsUntil(['end']) : [];
    this.expect('end');
    return { at, kind: 'if-variant', cond, then, else: otherwise };
  }

  private matchInstruction(): Ins {
    const at = this.next().at;
    const exp = this.exp();
    this.expect('with');
    this.accept('||');
    const clauses: [string, Ins[]][] = [];
    let otherwise: Ins[] | undefined;
    for (;;) {
      if (this.accept('_')) {
        this.expect('->');
        otherwise = this.instructionsUntil(['||', 'end']);
        break;
      }
      const tag = this.expect('tag').text;
      this.expect('->');
      clauses.push([tag, this.instructionsUntil(['||', 'end'])]);
      if (!this.accept('||')) break;
    }
    this.expect('end');
    return { at, kind: 'match', exp, clauses, ...(otherwise && { otherwise }) };
  }

  private show(): Ins {
    const t = this.next();
    const at = t.at;
    if (t.kind === 'unshow') return { at, kind: 'unshow', names: this.names([]) };
    // `show x, y` or `show exp as name`
    const first = this.peek();
    const exp = this.base(0);
    if (this.accept('as')) return { at, kind: 'show-as', exp, name: this.expect('name').text };
    if (exp.kind !== 'var')
      return this.fail(first, 'show takes names, or an expression and `as name`');
    return { at, kind: 'show', names: this.names([exp.name]) };
  }

  /** More names after `first`, each after a comma (or a first name when `first` is empty). */
  private names(first: string[]): string[] {
    const names = first.length > 0 ? first : [this.expect('name').text];
    while (this.accept(',')) names.push(this.expect('name').text);
    return names;
  }

  private instructionsUntil(stops: string[]): Ins[] {
    const body: Ins[] = [];
    while (!stops.includes(this.peek().kind)) {
      if (this.peek().kind === 'eof')
        this.fail(this.peek(), `expected ${stops.join(' or ')} before the end of the file`);
      body.push(this.instruction());
    }
    return body;
  }

  /** `acyclic e as name`, `~empty e`, ...: the test after its type word. */
  private test(): Test {
    const start = this.peek();
    const negated = this.accept('~');
    const t = this.next();
    if (!(t.kind in TEST_KINDS))
      return this.fail(t, `expected acyclic, irreflexive or empty, found ${describe(t)}`);
    const expStart = this.peek().offset;
    const exp = this.exp();
    const text = this.textSince(expStart);
    const name = this.optionalName();
    return {
      at: start.at,
      negated,
      test: TEST_KINDS[t.kind as keyof typeof TEST_KINDS],
      exp,
      text,
      ...(name !== undefined && { name }),
    };
  }

  private optionalName(): string | undefined {
    return this.accept('as') ? this.expect('name').text : undefined;
  }

  // ---- bindings and patterns ----

  private bindings(): Binding[] {
    const list = [this.binding()];
    while (this.accept('and')) list.push(this.binding());
    return list;
  }

  private binding(): Binding {
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
  private fun(at: CatPos, param: Pattern, name: string): Exp {
    const body = this.exp();
    return { at, kind: 'fun', param, body, name, free: [] };
  }

  private pat0(): Name {
    if (this.accept('_')) return undefined;
    return this.expect('name').text;
  }

  /** Zero or more pat0 separated by commas, up to `close` (not consumed). */
  private formals(close: string): Name[] {
    if (this.peek().kind === close) return [];
    return this.formalsN();
  }

  private formalsN(): Name[] {
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

  private matchExp(): Exp {
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

  private elementClause(): SetClause {
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

  private cond(): Cond {
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
  private variantCond(): VariantCond {
    let left = this.variantAnd();
    while (this.accept('||')) left = { kind: 'or', left, right: this.variantAnd() };
    return left;
  }

  private variantAnd(): VariantCond {
    let left = this.variantAtom();
    while (this.accept('&&')) left = { kind: 'and', left, right: this.variantAtom() };
    return left;
  }

  private variantAtom(): VariantCond {
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
  private base(minPrec: number): Exp {
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

  private unary(): Exp {
    const t = this.peek();
    if (t.kind === '~') {
      this.next();
      return { at: t.at, kind: 'op1', op: 'comp', arg: this.unary() };
    }
    return this.postfix();
  }

  private postfix(): Exp {
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
  private application(): Exp {
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
  private simple(): Exp {
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
  private args(close: string): Exp[] {
    if (this.peek().kind === close) return [];
    const list = [this.base(0)];
    while (this.accept(',')) list.push(this.base(0));
    return list;
  }

  // ---- tokens ----

  /** The source text from `offset` to the end of the last token read. */
  private textSince(offset: number): string {
    const last = this.tokens[this.k - 1]!;
    const quotes = last.kind === 'string' ? 2 : last.kind === 'tag' ? 1 : 0;
    const end = last.offset + last.text.length + quotes;
    return this.text.slice(offset, end).replace(/\s+/g, ' ').trim();
  }

  private peek(): Token {
    return this.tokens[this.k]!;
  }

  private next(): Token {
    const t = this.tokens[this.k]!;
    if (t.kind !== 'eof') this.k++;
    return t;
  }

  private accept(kind: string): boolean {
    if (this.peek().kind !== kind) return false;
    this.k++;
    return true;
  }

  private expect(kind: string): Token {
    const t = this.peek();
    if (t.kind !== kind)
      this.fail(
        t,
        `expected ${kind === 'name' || kind === 'string' || kind === 'tag' ? `a ${kind}` : kind}, found ${describe(t)}`,
      );
    return this.next();
  }

  private enter(): void {
    if (++this.depth > MAX_CAT_DEPTH)
      this.fail(this.peek(), `expressions nested deeper than ${MAX_CAT_DEPTH} levels`);
  }

  private fail(t: Token, message: string): never {
    throw errorAt(message, this.fileName, this.text, t.at);
  }
}

/** A binary operation, flattening chains of one associative operator as herd7 does. */
function combine(at: CatPos, op: Op2, left: Exp, right: Exp): Exp {
  if (op !== 'union' && op !== 'seq') return { at, kind: 'op', op, args: [left, right] };
  const parts = (e: Exp) => (e.kind === 'op' && e.op === op ? e.args : [e]);
  return { at, kind: 'op', op, args: [...parts(left), ...parts(right)] };
}

function tuplePattern(names: Name[]): Pattern {
  return names.length === 1 ? { kind: 'var', name: names[0] } : { kind: 'tuple', names };
}

function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'string') return `the string "${t.text}"`;
  if (t.kind === 'tag') return `the tag '${t.text}`;
  return `'${t.text}'`;
}
