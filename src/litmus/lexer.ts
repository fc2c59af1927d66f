// The C-litmus lexer: text → tokens with line:col, comments set aside.
//
// Tokens are identifiers (/^[A-Za-z_][A-Za-z0-9_]*$/, the only names that can reach the IR),
// decimal or hex integers, punctuation, and one-line "strings" (herd7's description line).
// The test name after the `C` header is one token of its own, since it contains `+`, `-`
// and `.`. Between the header and the init block, a line `Key=anything` is one `meta` token:
// herd7's metadata lines (`Cycle=…`, `Relax=…`, `Prefetch=0:x=F,…`) that diy7 writes after
// the description string, whose text is not C. Comments are `//`, `/* */` and herd's `(* *)`
// (nested, as in OCaml); outside braces `(*` always opens a comment, inside a thread body
// only when a blank or another `*` follows, so that `(*x)` stays an expression.
// Cursor is the parser's view of the tokens: peek, expect, and errors at a token.
//
// This module does not know the grammar; parse.ts does.

import { cut, errorAt, type SourcePos, type UserError } from '../errors.ts';

export type TokenKind = 'ident' | 'num' | 'punct' | 'testname' | 'string' | 'meta' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: SourcePos;
  /** For num tokens: the value (may exceed int32; the parser checks the range). */
  value?: number;
}

export interface Lexed {
  tokens: Token[];
  comments: string[];
}

/** Longest first, so that `<=` is not read as `<` then `=`. */
const PUNCTUATION = [
  '/\\',
  '\\/',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  ';',
  ',',
  ':',
  '*',
  '&',
  '|',
  '^',
  '+',
  '-',
  '!',
  '~',
  '<',
  '>',
  '=',
];

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /(?:0[xX][0-9A-Fa-f]+|[0-9]+)[A-Za-z0-9_]*/y;
const TEST_NAME = /[^\s]+/y;
/** herd7's metadata line: a key, `=`, and the rest of the line. */
const META_LINE = /[A-Za-z][A-Za-z0-9_-]*[ \t]*=[^\n]*/y;

class Lexer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private depth = 0;
  /** Until the init block's `{`: where herd7's metadata lines may stand. */
  private beforeInit = true;
  readonly tokens: Token[] = [];
  readonly comments: string[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  run(): Lexed {
    while (this.skipSpaceAndComments()) this.token();
    this.tokens.push({ kind: 'eof', text: 'end of file', pos: this.pos() });
    return { tokens: this.tokens, comments: this.comments };
  }

  private pos(at = this.i): SourcePos {
    return { line: this.line, col: at - this.lineStart + 1 };
  }

  private fail(message: string, pos: SourcePos): never {
    throw errorAt(message, this.file, this.text, pos);
  }

  /** Advance over text[i..to), keeping line and column. */
  private advance(to: number): void {
    for (; this.i < to; this.i++) {
      if (this.text[this.i] === '\n') {
        this.line++;
        this.lineStart = this.i + 1;
      }
    }
  }

  /** Skip blanks and comments; false at the end of the text. */
  private skipSpaceAndComments(): boolean {
    const t = this.text;
    for (;;) {
      const c = t[this.i];
      if (c === undefined) return false;
      if (/\s/.test(c)) this.advance(this.i + 1);
      else if (t.startsWith('//', this.i)) {
        const end = t.indexOf('\n', this.i);
        this.comment(end < 0 ? t.length : end, 2, 0);
      } else if (t.startsWith('/*', this.i)) {
        const end = t.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('unterminated comment (missing */)', this.pos());
        this.comment(end + 2, 2, 2);
      } else if (t.startsWith('(*', this.i) && this.opensHerdComment()) {
        this.comment(this.herdCommentEnd(), 2, 2);
      } else return true;
    }
  }

  /**
   * Whether the `(*` at i opens a herd comment. Inside a thread body only when a blank or
   * another `*` follows. Outside braces too, except in a call written against its name,
   * `WRITE_ONCE(*x`: that is code whose thread lost its `{`, and the parser says so there
   * rather than this lexer reporting an unterminated comment lines later.
   */
  private opensHerdComment(): boolean {
    const after = this.text[this.i + 2] ?? '';
    if (/[\s*]/.test(after)) return true;
    if (this.depth !== 0) return false;
    return !(/[A-Za-z0-9_]/.test(this.text[this.i - 1] ?? '') && /[A-Za-z_]/.test(after));
  }

  private comment(end: number, open: number, close: number): void {
    this.comments.push(this.text.slice(this.i + open, end - close));
    this.advance(end);
  }

  /** The index just past the `*)` that closes the `(*` at i, counting nested ones. */
  private herdCommentEnd(): number {
    const t = this.text;
    let nest = 0;
    for (let j = this.i; j < t.length - 1; j++) {
      if (t[j] === '(' && t[j + 1] === '*') {
        nest++;
        j++;
      } else if (t[j] === '*' && t[j + 1] === ')') {
        nest--;
        j++;
        if (nest === 0) return j + 1;
      }
    }
    return this.fail('unterminated comment (missing *))', this.pos());
  }

  private token(): void {
    const t = this.text;
    const pos = this.pos();
    if (this.beforeInit && this.tokens.length >= 2 && this.atLineStart()) {
      const meta = match(META_LINE, t, this.i);
      if (meta) {
        this.push({ kind: 'meta', text: meta.trimEnd(), pos }, meta.length);
        return;
      }
    }
    const ident = match(IDENT, t, this.i);
    if (ident) {
      this.push({ kind: 'ident', text: ident, pos }, ident.length);
      if (this.tokens.length === 1) this.testName();
      return;
    }
    const num = match(NUMBER, t, this.i);
    if (num) {
      if (!/^(?:0[xX][0-9A-Fa-f]+|[0-9]+)$/.test(num)) this.fail(`malformed number ${num}`, pos);
      this.push({ kind: 'num', text: num, pos, value: Number(num) }, num.length);
      return;
    }
    if (t[this.i] === '"') {
      // herd7's optional description after the header: "Fre PodWR Fre PodWR".
      const end = t.indexOf('"', this.i + 1);
      const newline = t.indexOf('\n', this.i);
      if (end < 0 || (newline >= 0 && newline < end))
        this.fail('unterminated string (missing ")', pos);
      this.push({ kind: 'string', text: t.slice(this.i, end + 1), pos }, end + 1 - this.i);
      return;
    }
    const punct = PUNCTUATION.find((p) => t.startsWith(p, this.i));
    if (punct) {
      if (punct === '{') {
        this.depth++;
        this.beforeInit = false;
      }
      if (punct === '}') this.depth--;
      this.push({ kind: 'punct', text: punct, pos }, punct.length);
      return;
    }
    this.fail(`unexpected character ${JSON.stringify(t[this.i])}`, pos);
  }

  /** After the header's `C`: the test name, up to the next blank, on the same line. */
  private testName(): void {
    while (this.text[this.i] === ' ' || this.text[this.i] === '\t') this.i++;
    const name = match(TEST_NAME, this.text, this.i);
    if (!name || this.text.startsWith('(*', this.i)) return;
    this.push({ kind: 'testname', text: name, pos: this.pos() }, name.length);
  }

  /** Whether only blanks precede position i on its line. */
  private atLineStart(): boolean {
    return /^[ \t]*$/.test(this.text.slice(this.lineStart, this.i));
  }

  private push(tok: Token, length: number): void {
    this.tokens.push(tok);
    this.advance(this.i + length);
  }
}

function match(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

export function lex(text: string, file: string): Lexed {
  return new Lexer(text, file).run();
}

/**
 * How deep code or a condition may nest: parentheses, unary operators, blocks, if, and each
 * operator of a chain such as `a + b + c` (which nests to the left). The parser, the lowering,
 * the compiler and the model walk these trees recursively; real tests nest a few levels, and
 * this bound keeps every walk far from the call stack's limit.
 */
export const MAX_NESTING = 200;

/** The parser's position in the token list. */
export class Cursor {
  private i = 0;
  private nesting = 0;

  constructor(
    private readonly tokens: Token[],
    readonly file: string,
    readonly text: string,
  ) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  next(): Token {
    const tok = this.peek();
    if (tok.kind !== 'eof') this.i++;
    return tok;
  }

  /** Whether the next token is the punctuation or keyword `text`. */
  is(text: string, ahead = 0): boolean {
    const tok = this.peek(ahead);
    return (tok.kind === 'punct' || tok.kind === 'ident') && tok.text === text;
  }

  /** Consume `text` if it is next. */
  accept(text: string): boolean {
    if (!this.is(text)) return false;
    this.next();
    return true;
  }

  /**
   * Consume `text` or fail. A missing `;` is reported just after the token it should follow,
   * as a C compiler does, rather than at the start of the next line.
   */
  expect(text: string, what?: string): Token {
    if (this.is(text)) return this.next();
    const found = this.peek();
    const prev = this.tokens[this.i - 1];
    const at =
      text === ';' && prev && prev.pos.line < found.pos.line
        ? { line: prev.pos.line, col: prev.pos.col + prev.text.length }
        : found.pos;
    return this.failAt(at, `expected ${what ?? `'${text}'`}, found ${describe(found)}`);
  }

  /** One level deeper, at `at`: refused past MAX_NESTING. */
  enter(at: Token | SourcePos): void {
    if (++this.nesting > MAX_NESTING) {
      this.failAt(
        at,
        `nested more than ${MAX_NESTING} levels deep (parentheses, operators, blocks or if): split the expression or the condition`,
      );
    }
  }

  /** Back out of `levels` levels entered with enter(). */
  leave(levels = 1): void {
    this.nesting -= levels;
  }

  ident(what: string): Token {
    const tok = this.peek();
    if (tok.kind !== 'ident') this.failAt(tok, `expected ${what}, found ${describe(tok)}`);
    if (tok.text === '__proto__') this.failAt(tok, `${tok.text} is a reserved name`);
    return this.next();
  }

  error(message: string, pos: SourcePos): UserError {
    return errorAt(message, this.file, this.text, pos);
  }

  failAt(tok: Token | SourcePos, message: string): never {
    throw this.error(message, 'pos' in tok ? tok.pos : tok);
  }
}

/** How a token is named in a message: `'{'`, `identifier foo`, `end of file`. */
export function describe(tok: Token): string {
  const text = cut(tok.text, TOKEN_WIDTH);
  switch (tok.kind) {
    case 'eof':
      return 'end of file';
    case 'num':
      return `number ${text}`;
    case 'string':
      return `string ${text}`;
    case 'meta':
      return `metadata line ${text}`;
    default:
      return `'${text}'`;
  }
}

/** The longest a token is quoted in a message, in characters. */
const TOKEN_WIDTH = 40;
