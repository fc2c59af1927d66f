// The cat parser: tokens → a CatFile, following herdtools7's lib/modelParser.mly.
//
// This module reads the file and its instructions (`let`, checks, `include`, `procedure`,
// `with`, ...); parse-exp.ts the expressions in them. A mistake is a UserError at the token,
// with the line quoted.
//
// This module builds syntax only; exec.ts and eval.ts give it its meaning.

import type { CatFile, Ins, Pattern, Test, TestType } from './ast.ts';
import { describe } from './cursor.ts';
import { ExpressionParser, tuplePattern } from './parse-exp.ts';

export { MAX_CAT_DEPTH } from './cursor.ts';

const TEST_KINDS = { acyclic: 'acyclic', irreflexive: 'irreflexive', empty: 'empty' } as const;

export function parseCat(file: string, text: string): CatFile {
  return new Parser(file, text).file();
}

class Parser extends ExpressionParser {
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
}
