// The cat lexer: text → tokens with line:col, as herdtools7's lib/modelLexer.mll reads a
// model. Names may hold `.` and `-` (`po-loc`, `DMB.ISH`) and end with `'`; `'name` is a tag;
// `"..."` a string; `0` the empty relation; comments are `(* *)` (nested), `//` and `#` to the
// end of the line. A keyword is a name the grammar reserves (`let`, `acyclic`, `with`, ...).
//
// This module does not know the grammar; parse.ts does.

import { errorAt } from '../../errors.ts';
import type { CatPos } from './ast.ts';

export interface Token {
  /** 'name', 'tag', 'string', 'eof', a keyword, or the operator itself (`|`, `->`, `^`, ...). */
  kind: string;
  text: string;
  at: CatPos;
  /** Offset of the token's first character in the file's text. */
  offset: number;
}

export const KEYWORDS = new Set([
  'let',
  'rec',
  'and',
  'when',
  'acyclic',
  'irreflexive',
  'show',
  'unshow',
  'empty',
  'subset',
  'as',
  'fun',
  'in',
  'undefined_unless',
  'flag',
  'assert',
  'include',
  'variant',
  'begin',
  'end',
  'procedure',
  'call',
  'enum',
  'debug',
  'match',
  'with',
  'forall',
  'from',
  'do',
  'try',
  'if',
  'then',
  'else',
  'catdep',
  'instructions',
  'default',
  'not',
]);

/** Longest first, so that `||` is not read as `|` then `|`. */
const OPERATORS = [
  '||',
  '&&',
  '++',
  '->',
  '-1',
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '|',
  '&',
  '*',
  '~',
  '+',
  '^',
  '\\',
  '?',
  '=',
  ';',
  ',',
  '_',
  '0',
];

/** How many characters a token spans in the text: its text, with a string's quotes and a tag's `'`. */
export function tokenWidth(t: Token): number {
  return t.text.length + (t.kind === 'string' ? 2 : t.kind === 'tag' ? 1 : 0);
}

const NAME = /_?[A-Za-z][A-Za-z0-9_.-]*'?/y;

export function lex(file: string, text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (offset: number): CatPos => ({ file, line, col: offset - lineStart + 1 });
  const fail = (message: string, offset: number): never => {
    throw errorAt(message, file, text, pos(offset));
  };
  const newline = (at: number) => {
    line++;
    lineStart = at + 1;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\n') {
      newline(i);
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') i++;
    else if (text.startsWith('(*', i)) i = skipComment(i);
    else if (text.startsWith('//', i) || ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail('this string is not closed: a " is missing', i);
      const at = pos(i);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at, offset: i });
      for (let k = i; k < end; k++) if (text[k] === '\n') newline(k);
      i = end + 1;
    } else if (ch === "'") {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(text);
      if (!m) fail("a tag is ' then a name, as in 'ONCE", i);
      tokens.push({ kind: 'tag', text: m![0], at: pos(i), offset: i });
      i += 1 + m![0].length;
    } else {
      NAME.lastIndex = i;
      const m = NAME.exec(text);
      if (m) {
        const word = m[0];
        tokens.push({
          kind: KEYWORDS.has(word) ? word : 'name',
          text: word,
          at: pos(i),
          offset: i,
        });
        i += word.length;
        continue;
      }
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) fail(`unexpected character ${JSON.stringify(ch)} in a cat file`, i);
      tokens.push({ kind: op!, text: op!, at: pos(i), offset: i });
      i += op!.length;
    }
  }
  // The end of the file is reported just after the last token, where something is missing.
  const last = tokens[tokens.length - 1];
  const end = last ? { ...last.at, col: last.at.col + tokenWidth(last) } : pos(i);
  tokens.push({ kind: 'eof', text: '', at: end, offset: i });
  return tokens;

  /** Past the comment opening at `from`, comments nested inside included. */
  function skipComment(from: number): number {
    const start = pos(from);
    let depth = 0;
    let k = from;
    while (k < text.length) {
      if (text.startsWith('(*', k)) {
        depth++;
        k += 2;
      } else if (text.startsWith('*)', k)) {
        depth--;
        k += 2;
        if (depth === 0) return k;
      } else {
        if (text[k] === '\n') newline(k);
        k++;
      }
    }
    throw errorAt('this comment is not closed: a *) is missing', file, text, start);
  }
}
