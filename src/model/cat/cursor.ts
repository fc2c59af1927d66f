// The cat parser's view of the tokens: look at, take, expect; nesting kept below a bound; a
// mistake reported at the token, with the line quoted. parse-exp.ts and parse.ts read through it.

import { errorAt } from '../../errors.ts';
import { lex, type Token, tokenWidth } from './lexer.ts';

/** Nesting deeper than this is refused (a runaway file must not exhaust the stack). */
export const MAX_CAT_DEPTH = 200;

export class TokenCursor {
  protected readonly tokens: Token[];
  protected k = 0;
  protected depth = 0;

  constructor(
    protected readonly fileName: string,
    protected readonly text: string,
  ) {
    this.tokens = lex(fileName, text);
  }

  /** The source text from `offset` to the end of the last token read. */
  protected textSince(offset: number): string {
    const last = this.tokens[this.k - 1]!;
    const end = last.offset + tokenWidth(last);
    return this.text.slice(offset, end).replace(/\s+/g, ' ').trim();
  }

  protected peek(): Token {
    return this.tokens[this.k]!;
  }

  protected next(): Token {
    const t = this.tokens[this.k]!;
    if (t.kind !== 'eof') this.k++;
    return t;
  }

  protected accept(kind: string): boolean {
    if (this.peek().kind !== kind) return false;
    this.k++;
    return true;
  }

  protected expect(kind: string): Token {
    const t = this.peek();
    if (t.kind !== kind)
      this.fail(
        t,
        `expected ${kind === 'name' || kind === 'string' || kind === 'tag' ? `a ${kind}` : kind}, found ${describe(t)}`,
      );
    return this.next();
  }

  protected enter(): void {
    if (++this.depth > MAX_CAT_DEPTH)
      this.fail(this.peek(), `expressions nested deeper than ${MAX_CAT_DEPTH} levels`);
  }

  protected fail(t: Token, message: string): never {
    throw errorAt(message, this.fileName, this.text, t.at);
  }
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'the end of the file';
  if (t.kind === 'string') return `the string "${t.text}"`;
  if (t.kind === 'tag') return `the tag '${t.text}`;
  return `'${t.text}'`;
}
