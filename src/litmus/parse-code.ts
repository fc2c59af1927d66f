// Thread code: statements and C expressions → AST (ast.ts), by recursive descent with C's
// precedence (|| && | ^ & equality relational additive multiplicative unary).
//
// This module checks only the syntax and the range of integers; what names mean (register,
// location, macro) is decided by the lowering.

import type { SourcePos } from '../errors.ts';
import type { AstExpr, AstStmt, AstType } from './ast.ts';
import type { BinaryOp } from './ir.ts';
import { type Cursor, describe, type Token } from './lexer.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Binary operators by precedence level, loosest first. */
const LEVELS: BinaryOp[][] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['+', '-'],
  ['*'],
];

/**
 * The type keywords that may open a local declaration. An intptr_t register may hold an
 * integer or an address, so it may be dereferenced, as an int * register may.
 */
const LOCAL_TYPES = new Set(['int', 'intptr_t']);

/** C's other integer type words (`unsigned long r1;`): an int here, values being 32-bit. */
export const INTEGER_WORDS = new Set(['unsigned', 'signed', 'long', 'short', 'char']);

/**
 * The type words a cast may start with, as herd7's C reads them; a cast changes nothing here
 * (values are untyped, as in herd7): `(void *)0` is 0, `*(char **)x` is *x.
 */
const CAST_TYPES = new Set([
  'int',
  'char',
  'long',
  'intptr_t',
  'uintptr_t',
  'int8_t',
  'uint8_t',
  'int16_t',
  'uint16_t',
  'int32_t',
  'uint32_t',
  'int64_t',
  'uint64_t',
  'atomic_t',
  'atomic_int',
  'spinlock_t',
  'void',
  ...INTEGER_WORDS,
]);

/** C's loop keywords, refused with a pointer to program scenarios rather than as unknown macros. */
const LOOPS = new Set(['while', 'for', 'do']);

/** `{ stmt* }`: the body of a thread or of an if branch written with braces. */
export function parseBlock(c: Cursor): AstStmt[] {
  c.enter(c.expect('{'));
  const body: AstStmt[] = [];
  while (!c.is('}')) {
    if (c.peek().kind === 'eof') c.failAt(c.peek(), "expected '}' before end of file");
    for (const stmt of parseStatement(c)) body.push(stmt);
  }
  c.next();
  c.leave();
  return body;
}

/** One statement; a block or a multi-name declaration gives several. */
function parseStatement(c: Cursor): AstStmt[] {
  const tok = c.peek();
  if (c.is('{')) return parseBlock(c);
  if (c.accept(';')) return [];
  if (c.is('if')) return [parseIf(c)];
  if (tok.kind === 'ident' && LOOPS.has(tok.text) && (c.is('(', 1) || c.is('{', 1))) {
    c.failAt(
      tok,
      `C-litmus has no loops (${tok.text}): a litmus test is loop-free so that every execution can be enumerated; code that loops or retries is a program scenario (scenarios/*.ts, see "Program scenarios" in README.md)`,
    );
  }
  if (tok.kind === 'ident' && (LOCAL_TYPES.has(tok.text) || INTEGER_WORDS.has(tok.text)))
    return parseDeclaration(c);
  if (c.is('void') && c.is('*', 1)) return parseDeclaration(c);
  if (c.is('(') && c.is('void', 1) && c.is(')', 2)) return parseVoidCall(c);
  if (tok.kind === 'ident' && c.peek(1).kind === 'ident') {
    c.failAt(
      tok,
      `unknown type ${tok.text} (herd7 takes any type name; here a register is declared int r, int *r, intptr_t r or long r)`,
    );
  }
  const expr = parseExpr(c);
  if (c.accept('=')) {
    if (expr.kind !== 'name' && expr.kind !== 'deref' && expr.kind !== 'derefAt') {
      c.failAt(expr.pos, 'the left of = must be a register or *location');
    }
    const value = parseExpr(c);
    c.expect(';', "';' after the assignment");
    return [{ kind: 'assign', target: expr, value, pos: expr.pos }];
  }
  if (expr.kind !== 'call')
    c.failAt(expr.pos, 'this expression does nothing: assign it to a register');
  c.expect(';', `';' after ${expr.name}(...)`);
  return [{ kind: 'expr', expr, pos: expr.pos }];
}

/** `(void)atomic_add_unless(v, 1, 0);`: a call whose value is dropped, as a statement. */
function parseVoidCall(c: Cursor): AstStmt[] {
  c.next();
  c.next();
  c.next();
  const expr = parseExpr(c);
  if (expr.kind !== 'call') c.failAt(expr.pos, '(void) must be followed by a macro call');
  c.expect(';', `';' after ${expr.name}(...)`);
  return [{ kind: 'expr', expr, pos: expr.pos }];
}

function parseIf(c: Cursor): AstStmt {
  const pos = c.next().pos;
  c.expect('(', "'(' after if");
  const cond = parseExpr(c);
  c.expect(')', "')' after the condition of if");
  c.enter(pos);
  const then = parseStatement(c);
  const els = c.accept('else') ? parseStatement(c) : [];
  c.leave();
  return { kind: 'if', cond, then, else: els, pos };
}

/** `int r0;`, `int r0, r1;`, `int *r0;`, `int r = e;`, `void *r0;` */
function parseDeclaration(c: Cursor): AstStmt[] {
  // An intptr_t may hold an address; a void * does.
  const intptr = ['intptr_t', 'void'].includes(c.next().text);
  // `unsigned long int r`: the words after the first, all meaning int.
  while (c.peek().kind === 'ident' && (INTEGER_WORDS.has(c.peek().text) || c.is('int'))) c.next();
  const decls: AstStmt[] = [];
  do {
    // `int **r`, as herd7 reads it: a register holding an address, whatever it points to.
    let type: AstType = intptr ? 'pointer' : 'int';
    while (c.accept('*')) type = 'pointer';
    const name = c.ident('a register name');
    const init = c.accept('=') ? parseExpr(c) : undefined;
    decls.push({ kind: 'decl', type, name: name.text, pos: name.pos, ...(init && { init }) });
  } while (c.accept(','));
  c.expect(';', "';' after the declaration");
  return decls;
}

function parseExpr(c: Cursor): AstExpr {
  return parseLevel(c, 0);
}

function parseLevel(c: Cursor, level: number): AstExpr {
  const ops = LEVELS[level];
  if (!ops) return parseUnary(c);
  let left = parseLevel(c, level + 1);
  // Each operator of a chain nests the tree one level deeper to the left.
  let chain = 0;
  for (;;) {
    const tok = c.peek();
    const op = ops.find((o) => tok.kind === 'punct' && tok.text === o);
    if (!op) break;
    c.next();
    c.enter(tok);
    chain++;
    const right = parseLevel(c, level + 1);
    left = { kind: 'binary', op, left, right, pos: tok.pos };
  }
  c.leave(chain);
  return left;
}

function parseUnary(c: Cursor): AstExpr {
  const tok = c.peek();
  c.enter(tok);
  const e = parseUnaryAt(c, tok);
  c.leave();
  return e;
}

function parseUnaryAt(c: Cursor, tok: Token): AstExpr {
  if (c.accept('-')) {
    if (c.peek().kind === 'num') return number(c, -1, tok.pos);
    return { kind: 'unary', op: '-', arg: parseUnary(c), pos: tok.pos };
  }
  if (c.accept('!') || c.accept('~')) {
    return { kind: 'unary', op: tok.text as '!' | '~', arg: parseUnary(c), pos: tok.pos };
  }
  if (skipCast(c)) return parseUnary(c);
  if (c.accept('*')) {
    if (c.is('*')) c.failAt(c.peek(), 'only *x or *r may be written (one level of *)');
    skipCast(c);
    if (c.accept('(')) {
      const arg = parseExpr(c);
      c.expect(')', "')' to close *(");
      if (arg.kind === 'name')
        return { kind: 'deref', name: arg.name, namePos: arg.pos, pos: tok.pos };
      return { kind: 'derefAt', arg, pos: tok.pos };
    }
    const name = c.ident('a location or register name after *');
    return { kind: 'deref', name: name.text, namePos: name.pos, pos: tok.pos };
  }
  if (c.accept('&')) {
    const name = c.ident('a location name after &');
    return { kind: 'addrof', name: name.text, namePos: name.pos, pos: tok.pos };
  }
  return parsePrimary(c);
}

/**
 * A cast, `(int)`, `(void *)`, `(char **)`, `(const struct foo *)`: skipped when present; says
 * whether it was. `(void)` is no cast of a value (a statement's `(void)f();` is parseVoidCall's).
 */
function skipCast(c: Cursor): boolean {
  if (!c.is('(')) return false;
  let k = 1;
  const qualifier = () => c.is('const', k) || c.is('volatile', k);
  while (qualifier()) k++;
  const base = c.peek(k);
  if (base.kind !== 'ident') return false;
  if (base.text === 'struct' && c.peek(k + 1).kind === 'ident') k += 2;
  else if (CAST_TYPES.has(base.text)) {
    k++;
    while (c.peek(k).kind === 'ident' && CAST_TYPES.has(c.peek(k).text)) k++;
  } else return false;
  let stars = 0;
  for (; c.is('*', k) || qualifier(); k++) if (c.is('*', k)) stars++;
  if (!c.is(')', k) || (base.text === 'void' && stars === 0)) return false;
  for (let i = 0; i <= k; i++) c.next();
  return true;
}

function parsePrimary(c: Cursor): AstExpr {
  const tok = c.peek();
  if (tok.kind === 'num') return number(c, 1, tok.pos);
  if (c.accept('(')) {
    const e = parseExpr(c);
    c.expect(')', "')'");
    return e;
  }
  if (tok.kind !== 'ident') c.failAt(tok, `expected an expression, found ${describe(tok)}`);
  const name = c.ident('a name');
  if (!c.accept('(')) return { kind: 'name', name: name.text, pos: name.pos };
  const args: AstExpr[] = [];
  if (!c.is(')')) {
    do args.push(parseExpr(c));
    while (c.accept(','));
  }
  c.expect(')', `')' to close ${name.text}(`);
  return { kind: 'call', name: name.text, args, pos: name.pos };
}

/** An integer literal, negated when sign is -1; it must fit in 32 bits. */
export function number(c: Cursor, sign: 1 | -1, pos: SourcePos): AstExpr & { kind: 'num' } {
  const tok = c.next();
  if (tok.kind !== 'num') c.failAt(tok, `expected a number, found ${describe(tok)}`);
  const value = sign * tok.value!;
  if (value < INT32_MIN || value > INT32_MAX) {
    c.failAt(pos, `integer ${sign < 0 ? '-' : ''}${tok.text} is out of the 32-bit range`);
  }
  return { kind: 'num', value: value === 0 ? 0 : value, pos };
}
