// The final clause of a litmus test → AST: `locations [...]`, `filter P`, then
// `exists P`, `~exists P` or `forall P` (none at all is herd7's `forall (true)`), where P is
// built from `k=v`, `k!=v` and `k=k'` with `/\`, `\/`, `~`, parentheses, `true` and `false`;
// a key is `0:r0`, `x` or `[x]`, a value an integer or a location name (its address). Also the
// pieces the init block shares with it (keys, values).
//
// Names are resolved by the lowering, not here.

import type { SourcePos } from '../errors.ts';
import type { AstInitValue, AstKey, AstLitmus, AstProp } from './ast.ts';
import { stateKeyName } from './ir.ts';
import { type Cursor, describe, type Token } from './lexer.ts';
import { number } from './parse-code.ts';

type FinalClause = Pick<AstLitmus, 'extraKeys' | 'filter' | 'quantifier' | 'condition'>;

export function parseFinal(c: Cursor): FinalClause {
  const extraKeys: AstKey[] = [];
  let filter: AstProp | undefined;
  for (;;) {
    if (c.accept('locations')) extraKeys.push(...parseLocations(c));
    else if (c.is('filter')) {
      const tok = c.next();
      if (filter) c.failAt(tok, 'a test may have only one filter');
      filter = parseProp(c);
    } else break;
  }
  const tok = c.peek();
  let quantifier: FinalClause['quantifier'];
  if (c.accept('exists')) quantifier = 'exists';
  else if (c.accept('forall')) quantifier = 'forall';
  else if (c.is('~') && c.is('exists', 1)) {
    c.next();
    c.next();
    quantifier = '~exists';
  } else if (tok.kind === 'eof') {
    // No final clause: herd7 reads it as `forall (true)`, every state counted positive.
    return {
      extraKeys,
      ...(filter && { filter }),
      quantifier: 'forall',
      condition: { kind: 'true', pos: tok.pos },
    };
  } else {
    return c.failAt(
      tok,
      `expected a thread Pn(...), locations, filter or the final condition (exists, ~exists or forall), found ${describe(tok)}`,
    );
  }
  if (c.peek().kind === 'eof')
    c.failAt(c.peek(), `expected a condition after ${quantifier}, found end of file`);
  const condition = parseProp(c);
  c.accept(';'); // herd7 allows one after the condition
  const end = c.peek();
  if (end.kind !== 'eof') c.failAt(end, `unexpected ${describe(end)} after the final condition`);
  return { extraKeys, ...(filter && { filter }), quantifier, condition };
}

/** `[0:r1; 1:r3; x; y]` (after the keyword). */
function parseLocations(c: Cursor): AstKey[] {
  c.expect('[', "'[' after locations");
  const keys: AstKey[] = [];
  while (!c.accept(']')) {
    keys.push(parseKey(c));
    if (!c.accept(';') && !c.is(']'))
      c.failAt(c.peek(), `expected ';' or ']' in locations, found ${describe(c.peek())}`);
  }
  return keys;
}

/**
 * A chain `a /\ b /\ c ...` (or of `\/`) of more than FLAT_CHAIN terms becomes a balanced
 * tree: both are associative, and a generated condition of thousands of terms then nests a few
 * levels, not thousands.
 */
function parseProp(c: Cursor): AstProp {
  return chain(c, '\\/', 'or', parseConjunction);
}

function parseConjunction(c: Cursor): AstProp {
  return chain(c, '/\\', 'and', parseNegation);
}

function chain(
  c: Cursor,
  op: string,
  kind: 'and' | 'or',
  operand: (c: Cursor) => AstProp,
): AstProp {
  const terms = [operand(c)];
  const ops: SourcePos[] = [];
  while (c.is(op)) {
    ops.push(c.next().pos);
    terms.push(operand(c));
  }
  if (terms.length > FLAT_CHAIN) return balanced(terms, ops, kind);
  // As written (left-grouped, as herd7 and the printer group it) when short.
  let left = terms[0]!;
  for (let i = 1; i < terms.length; i++) left = { kind, left, right: terms[i]!, pos: ops[i - 1]! };
  return left;
}

/** The longest chain kept left-grouped; a longer one (generated) is balanced. */
const FLAT_CHAIN = 64;

/** terms[0] op[0] terms[1] ... as a tree of depth log2(terms); ops[i] sits between terms i and i+1. */
function balanced(terms: AstProp[], ops: SourcePos[], kind: 'and' | 'or'): AstProp {
  if (terms.length === 1) return terms[0]!;
  const mid = Math.ceil(terms.length / 2);
  const left = balanced(terms.slice(0, mid), ops.slice(0, mid - 1), kind);
  const right = balanced(terms.slice(mid), ops.slice(mid), kind);
  return { kind, left, right, pos: ops[mid - 1]! };
}

function parseNegation(c: Cursor): AstProp {
  const tok = c.peek();
  c.enter(tok);
  const p = parseNegationAt(c, tok);
  c.leave();
  return p;
}

function parseNegationAt(c: Cursor, tok: Token): AstProp {
  // herd7 also spells negation `not` (Paul McKenney's `exists not(x=0 /\ ...)`).
  const not = c.is('not') && !['=', '==', '!='].some((op) => c.is(op, 1));
  if (c.accept('~') || (not && c.accept('not')))
    return { kind: 'not', arg: parseNegation(c), pos: tok.pos };
  if (c.accept('(')) {
    const p = parseProp(c);
    c.expect(')', "')' in the condition");
    return p;
  }
  if (c.accept('true')) return { kind: 'true', pos: tok.pos };
  if (c.accept('false')) return { kind: 'false', pos: tok.pos };
  const key = parseKey(c);
  const name = stateKeyName(key);
  // herd7 takes `=`, `==` and `!=`.
  const negated = c.is('!=');
  if (!c.accept('!=') && !c.accept('==')) c.expect('=', `'=' after ${name}`);
  const other = parseOtherKey(c);
  const atom: AstProp = other
    ? { kind: 'eqkeys', key, other, pos: key.pos }
    : { kind: 'eq', key, value: parseValue(c), pos: key.pos };
  return negated ? { kind: 'not', arg: atom, pos: tok.pos } : atom;
}

/**
 * The right of `0:r1=...` when it is a key, as herd7 reads it: another register (`1:r2`), or
 * a location's content (`[x]` or `*x`). A bare `x` is a value, the address of x.
 */
function parseOtherKey(c: Cursor): AstKey | undefined {
  if (c.peek().kind === 'num' && c.is(':', 1)) return parseKey(c);
  if (c.is('[')) return parseKey(c);
  if (c.is('*') && c.peek(1).kind === 'ident') {
    const star = c.next();
    return { kind: 'loc', loc: c.ident('a location name after *').text, pos: star.pos };
  }
  return undefined;
}

/** `0:r0`, `x` or `[x]`. */
export function parseKey(c: Cursor): AstKey {
  const tok = c.peek();
  if (tok.kind === 'num') {
    const thread = threadNumber(c);
    c.expect(':', `':' after the thread number ${thread}`);
    const reg = c.ident(`a register name after ${thread}:`);
    return { kind: 'reg', thread, reg: reg.text, pos: tok.pos };
  }
  if (c.accept('[')) {
    const loc = c.ident('a location name in [...]');
    c.expect(']', "']'");
    return { kind: 'loc', loc: loc.text, pos: tok.pos };
  }
  if (tok.kind !== 'ident')
    c.failAt(tok, `expected a register (0:r0) or a location, found ${describe(tok)}`);
  return { kind: 'loc', loc: c.next().text, pos: tok.pos };
}

function threadNumber(c: Cursor): number {
  const tok = c.next();
  if (tok.kind !== 'num' || !/^[0-9]+$/.test(tok.text) || tok.value! > 1000) {
    c.failAt(tok, `expected a thread number, found ${describe(tok)}`);
  }
  return tok.value!;
}

/** An initial or final value: `1`, `-1`, `x` or `&x` (the address of x). */
export function parseValue(c: Cursor): AstInitValue {
  const tok = c.peek();
  if (tok.kind === 'num') return number(c, 1, tok.pos);
  if (c.accept('-')) return number(c, -1, tok.pos);
  c.accept('&');
  const name = c.ident('a number or a location name');
  return { kind: 'loc', name: name.text, pos: tok.pos };
}
