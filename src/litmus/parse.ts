// The C-litmus front end: parseLitmus(text, file) = lower(parse(text)), the IR Test that every
// backend reads, or a UserError at the offending token.
//
// A file is `C name`, an init block `{ ... }`, threads `P0(int *x, ...) { ... }` numbered
// from 0, then the final clause (parse-cond.ts). Thread code is parsed by parse-code.ts.
// This module builds the AST only; what names mean is checked by lower.ts. It does no I/O
// (load.ts reads files).

import { createHash } from 'node:crypto';
import type { AstInit, AstInitValue, AstLitmus, AstParam, AstThread, AstType } from './ast.ts';
import { herdHash } from './herd-hash.ts';
import { stateKeyName, type Test } from './ir.ts';
import { Cursor, describe, lex } from './lexer.ts';
import { lower } from './lower.ts';
import { INTEGER_WORDS, parseBlock } from './parse-code.ts';
import { parseFinal, parseKey, parseValue } from './parse-cond.ts';

/**
 * The characters a test name may use (it is printed, and recorded in result file names):
 * segments joined by / as in Paul McKenney's generated `auto/C-LB-GRW+R-Oc`.
 */
const TEST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$/;
const THREAD_NAME = /^P([0-9]+)$/;

/**
 * Parse and lower a litmus file's text. `file` is used in messages and Test.file; Test.hash
 * is the sha256 of the text, Test.herdHash herd7's Hash= of it.
 */
export function parseLitmus(text: string, file: string): Test {
  const test = lower(parseAst(text, file), file, text);
  test.hash = createHash('sha256').update(text).digest('hex');
  const herd = herdHash(text, test);
  if (herd) test.herdHash = herd;
  return test;
}

/** The syntax tree of a litmus file. */
function parseAst(text: string, file: string): AstLitmus {
  const { tokens, comments } = lex(text, file);
  const c = new Cursor(tokens, file, text);
  const name = parseHeader(c);
  const init = parseInit(c);
  const threads: AstThread[] = [];
  while (c.peek().kind === 'ident' && THREAD_NAME.test(c.peek().text))
    threads.push(parseThread(c, threads.length));
  if (threads.length === 0)
    c.failAt(c.peek(), `expected thread P0(...), found ${describe(c.peek())}`);
  return { name, comments, init, threads, ...parseFinal(c) };
}

function parseHeader(c: Cursor): string {
  const arch = c.peek();
  if (arch.kind !== 'ident')
    c.failAt(arch, `expected the header 'C <name>', found ${describe(arch)}`);
  if (arch.text !== 'C')
    c.failAt(arch, `only C litmus tests are supported (this one is ${arch.text})`);
  c.next();
  const name = c.peek();
  if (name.kind !== 'testname') c.failAt(name, "expected the test's name after C");
  if (!TEST_NAME.test(name.text)) {
    c.failAt(
      name,
      `test name ${JSON.stringify(name.text)} may only use letters, digits and _ . + - (and not start with . + or -), in parts joined by /`,
    );
  }
  c.next();
  // herd7's optional description, then its metadata lines (Cycle=…, Relax=…), which carry
  // nothing a run uses.
  if (c.peek().kind === 'string') c.next();
  while (c.peek().kind === 'meta') c.next();
  return name.text;
}

/** `{ int x = 1; int *p = &x; x = 1; spinlock_t s; 0:r1 = 2; }` */
function parseInit(c: Cursor): AstInit[] {
  c.expect('{', "'{' to open the init block");
  const items: AstInit[] = [];
  while (!c.accept('}')) {
    items.push(...parseInitItem(c));
    if (!c.accept(';') && !c.is('}'))
      c.failAt(c.peek(), `expected ';' in the init block, found ${describe(c.peek())}`);
  }
  return items;
}

/** intptr_t is an int that may hold an address, as int does here. */
const INIT_TYPES = new Map<string, AstType>([
  ['int', 'int'],
  ['intptr_t', 'int'],
  ['atomic_t', 'atomic'],
  ['spinlock_t', 'spinlock'],
]);

function parseInitItem(c: Cursor): AstInit[] {
  const tok = c.peek();
  if (tok.kind === 'num') {
    const key = parseKey(c);
    if (key.kind !== 'reg') return c.failAt(tok, 'expected a register such as 0:r1');
    c.expect('=', `'=' after ${stateKeyName(key)}`);
    return [
      { kind: 'reg', thread: key.thread, reg: key.reg, value: parseInitValue(c), pos: key.pos },
    ];
  }
  const first = c.ident('a declaration such as int x = 1; or x = 1;');
  const baseType = INIT_TYPES.get(first.text);
  if (baseType === undefined) {
    if (c.peek().kind === 'ident')
      c.failAt(first, `unknown type ${first.text} (use int, int *, atomic_t or spinlock_t)`);
    c.expect('=', `'=' after ${first.text}`);
    return [{ kind: 'loc', name: first.text, value: parseInitValue(c), pos: first.pos }];
  }
  const items: AstInit[] = [];
  do {
    const pointer = c.accept('*');
    if (c.peek().kind === 'num') {
      items.push(typedRegisterInit(c, first.text, baseType, pointer));
      continue;
    }
    if (pointer && baseType !== 'int')
      c.failAt(first, `${first.text} * is not a location type; use int *`);
    if (c.is('*')) c.failAt(c.peek(), 'a location may be int or int *, not int **');
    const name = c.ident('a location name');
    const value = c.accept('=') ? parseInitValue(c) : undefined;
    if (value && baseType === 'spinlock')
      c.failAt(value.pos, 'a spinlock_t starts unlocked and takes no initial value');
    const type = pointer ? 'pointer' : baseType;
    items.push({ kind: 'loc', type, name: name.text, pos: name.pos, ...(value && { value }) });
  } while (c.accept(','));
  return items;
}

/** `int 1:r1 = 2` or `int *1:r1` (herd7's typed register entry): 0 unless a value is given. */
function typedRegisterInit(c: Cursor, typeName: string, type: AstType, pointer: boolean): AstInit {
  const key = parseKey(c);
  if (key.kind !== 'reg') return c.failAt(key.pos, 'expected a register such as 0:r1');
  if (type !== 'int')
    c.failAt(key.pos, `a register may be int or int *, not ${typeName}${pointer ? ' *' : ''}`);
  const value: AstInitValue = c.accept('=')
    ? parseInitValue(c)
    : { kind: 'num', value: 0, pos: key.pos };
  return {
    kind: 'reg',
    thread: key.thread,
    reg: key.reg,
    value,
    pos: key.pos,
    ...(pointer && { type: 'pointer' as const }),
  };
}

/** An initial value: `1`, `-1`, `x`, `&x`, or the kernel's `ATOMIC_INIT(1)`. */
function parseInitValue(c: Cursor): AstInitValue {
  if (!c.is('ATOMIC_INIT') || !c.is('(', 1)) return parseValue(c);
  c.next();
  c.next();
  const value = parseValue(c);
  c.expect(')', "')' to close ATOMIC_INIT(");
  return value;
}

/** `Pn(type *a, ...) { ... }` */
function parseThread(c: Cursor, expected: number): AstThread {
  const head = c.next();
  const id = Number(THREAD_NAME.exec(head.text)![1]);
  if (head.text !== `P${expected}`)
    c.failAt(
      head,
      `expected thread P${expected}, found ${head.text} (threads are numbered from P0 in order)`,
    );
  c.expect('(', `'(' after ${head.text}`);
  const params: AstParam[] = [];
  if (!c.is(')')) {
    do params.push(parseParam(c));
    while (c.accept(','));
  }
  const close = c.expect(')', `')' to close the parameters of ${head.text}`);
  if (!c.is('{')) {
    // Reported just after the `)`, where the `{` is missing, not at the next line's token.
    const at = { line: close.pos.line, col: close.pos.col + 1 };
    c.failAt(at, `expected '{' to open the body of ${head.text}, found ${describe(c.peek())}`);
  }
  return { id, params, body: parseBlock(c), pos: head.pos };
}

/**
 * `struct srcu_struct *s`: the location SRCU's read side reads and writes (an int, as herd7
 * sees it; the model flags other accesses to it).
 */
function srcuParam(c: Cursor): AstParam {
  c.next();
  const tag = c.ident('srcu_struct after struct');
  if (tag.text !== 'srcu_struct')
    c.failAt(tag, `struct ${tag.text} is not supported (struct srcu_struct * is)`);
  c.expect('*', `'*' after struct srcu_struct (a parameter is a pointer)`);
  const name = c.ident('a parameter name');
  return { type: 'int', name: name.text, pos: name.pos };
}

/** `int *x`, `int **p`, `spinlock_t *s`, `atomic_t *v`: a shared location. */
function parseParam(c: Cursor): AstParam {
  if (c.is('struct')) return srcuParam(c);
  while (c.accept('volatile') || c.accept('const')) {}
  const typeTok = c.ident('a parameter type (int *, int **, spinlock_t *, atomic_t *)');
  // C's integer words (`unsigned long *x`) are int, as everywhere here.
  let base = INIT_TYPES.get(typeTok.text) ?? (INTEGER_WORDS.has(typeTok.text) ? 'int' : undefined);
  while (base === 'int' && (INTEGER_WORDS.has(c.peek().text) || c.is('int'))) c.next();
  if (base === undefined)
    c.failAt(
      typeTok,
      `unknown parameter type ${typeTok.text} (herd7 takes any type name; here use int *, int **, spinlock_t * or atomic_t *)`,
    );
  if (!c.accept('*')) {
    c.failAt(
      c.peek(),
      `a parameter names a shared location and must be a pointer: ${typeTok.text} *name`,
    );
  }
  // `int **p`, `int ***p`, `spinlock_t **p`: p holds an address, whatever it points to.
  let pointer = false;
  while (c.accept('*')) pointer = true;
  if (pointer) base = 'pointer';
  const name = c.ident('a parameter name');
  return { type: base, name: name.text, pos: name.pos };
}
