// The cat parser against herd7's grammar (herdtools7 lib/modelParser.mly): operator precedence
// and associativity, `*` as postfix or product, application, the instructions, and mistakes
// reported at file:line:col with the line quoted.

import { readdirSync, readFileSync } from 'node:fs';
import test from 'ava';
import { formatUserError, UserError } from '../../../src/errors.ts';
import type { Exp, Ins } from '../../../src/model/cat/ast.ts';
import { CAT_LIBRARY } from '../../../src/model/cat/files.ts';
import { parseCat } from '../../../src/model/cat/parse.ts';

/** An expression as a fully parenthesised string. */
function show(e: Exp): string {
  switch (e.kind) {
    case 'empty':
      return '0';
    case 'empty-set':
      return '{}';
    case 'universe':
      return '_';
    case 'tag':
      return `'${e.name}`;
    case 'var':
      return e.name;
    case 'op1':
      return `${e.op}(${show(e.arg)})`;
    case 'op':
      return `${e.op}(${e.args.map(show).join(', ')})`;
    case 'tuple':
      return `(${e.items.map(show).join(', ')})`;
    case 'explicit-set':
      return `{${e.items.map(show).join(', ')}}`;
    case 'app':
      return `${show(e.fn)}[${show(e.arg)}]`;
    case 'fun':
      return `fun(${e.param.kind === 'var' ? e.param.name : e.param.names.join(',')}) ${show(e.body)}`;
    case 'bind':
      return `let${e.rec ? ' rec' : ''} ${e.bindings.map((b) => show(b.exp)).join(' and ')} in ${show(e.body)}`;
    case 'match':
      return `match ${show(e.exp)}`;
    case 'match-set':
      return `match-set ${show(e.exp)}`;
    case 'try':
      return `try ${show(e.exp)} with ${show(e.otherwise)}`;
    case 'if':
      return `if ${show(e.then)} else ${show(e.else)}`;
  }
}

const exp = (text: string): string => {
  const ins = parseCat('t.cat', `let x = ${text}`).body[0] as Extract<Ins, { kind: 'let' }>;
  return show(ins.bindings[0]!.exp);
};

test('operators bind as in herd7: | ++ ; \\ & then * (product) and the postfix ones', (t) => {
  t.is(exp('a | b ; c & d'), 'union(a, seq(b, inter(c, d)))');
  t.is(exp('a \\ b \\ c'), 'diff(diff(a, b), c)');
  t.is(exp('a & b & c'), 'inter(inter(a, b), c)');
  t.is(exp('a ++ b ++ S'), 'add(a, add(b, S))');
  t.is(exp(Array.from({ length: 5000 }, (_, i) => `r${i}`).join(' | ')).length > 5000, true);
  t.is(exp('a ; b ; c | d | e'), 'union(seq(a, b, c), d, e)');
  t.is(exp('a \\ b & c'), 'diff(a, inter(b, c))');
  t.is(exp('W * R & po'), 'inter(cartesian(W, R), po)');
  t.is(exp('f e ++ S'), 'add(f[e], S)');
});

test('a * is postfix unless an operand follows it', (t) => {
  t.is(exp('po*'), 'star(po)');
  t.is(exp('(rf ; rmw)* ; po'), 'seq(star(seq(rf, rmw)), po)');
  t.is(exp('W * R'), 'cartesian(W, R)');
  t.is(exp('M * {e}'), 'cartesian(M, {e})');
  t.is(exp('rf^-1 ; co'), 'seq(inv(rf), co)');
  t.is(exp('(po ; [S])? | hb+'), 'union(opt(seq(po, toid(S))), plus(hb))');
  t.is(exp('~M | IW'), 'union(comp(M), IW)');
});

test('application is juxtaposition, tightest of all; tuples need no parentheses', (t) => {
  t.is(exp('domain(rmw) | range(rmw)'), 'union(domain[rmw], range[rmw])');
  t.is(exp('map f (LF \\ range(x))'), 'map[f][diff(LF, range[x])]');
  t.is(exp('domain 0'), 'domain[0]');
  t.is(exp('do_cross ({},0,oss)'), 'do_cross[({}, 0, oss)]');
  t.is(exp('fun x -> x ; po'), 'fun(x) seq(x, po)');
  t.is(exp('try RL with emptyset'), 'try RL with emptyset');
  t.is(exp('let rec a = b | a in a'), 'let rec union(b, a) in a');
});

test('instructions: checks with names, flags, let rec, procedures, with, enum, includes', (t) => {
  const file = parseCat(
    'm.cat',
    `"A model"
include "stdlib.cat"
enum Accesses = 'ONCE || 'RELEASE
let f(x) = x | po and g y = y
let rec a = b | (a ; a)
acyclic po | rf as order
flag ~empty rmw as has-rmw
procedure p(x, y) = empty x \\ y end
call p(po, rf) as called
with co from generate_cos(co0)
show co, rf
if "v1" let v = 0 else let v = _ end
`,
  );
  t.is(file.title, 'A model');
  t.deepEqual(
    file.body.map((i) => i.kind),
    [
      'include',
      'enum',
      'let',
      'let',
      'test',
      'test',
      'procedure',
      'call',
      'with',
      'show',
      'if-variant',
    ],
  );
  const check = file.body[4] as Extract<Ins, { kind: 'test' }>;
  t.deepEqual(
    [check.type, check.test.test, check.test.name, check.test.text],
    ['check', 'acyclic', 'order', 'po | rf'],
  );
  const flag = file.body[5] as Extract<Ins, { kind: 'test' }>;
  t.deepEqual([flag.type, flag.test.negated, flag.test.name], ['flag', true, 'has-rmw']);
});

test("every file of herd7's library shipped in cat/ parses", (t) => {
  const files = readdirSync(CAT_LIBRARY).filter((f) => f.endsWith('.cat'));
  t.true(files.length >= 12);
  for (const f of files)
    t.notThrows(() => parseCat(f, readFileSync(`${CAT_LIBRARY}/${f}`, 'utf8')), f);
});

const mistake = (text: string): string => {
  try {
    parseCat('bad.cat', text);
  } catch (e) {
    if (e instanceof UserError) return formatUserError(e);
    throw e;
  }
  return 'no error';
};

test('a mistake is a UserError at file:line:col with the line quoted', (t) => {
  t.is(
    mistake('let a = po |\n'),
    'bad.cat:1:13: expected an expression, found the end of the file\n  let a = po |\n              ^',
  );
  t.is(
    mistake('let a = po\nacyclic a ; as x'),
    "bad.cat:2:13: expected an expression, found 'as'\n  acyclic a ; as x\n              ^",
  );
  t.is(
    mistake('let a = po $ rf'),
    'bad.cat:1:12: unexpected character "$" in a cat file\n  let a = po $ rf\n             ^',
  );
  t.is(
    mistake('(* open\nlet a = po'),
    'bad.cat:1:1: this comment is not closed: a *) is missing\n  (* open\n  ^',
  );
  t.is(mistake('let = po').split('\n')[0], "bad.cat:1:5: expected a name, found '='");
  t.is(
    mistake('let a = po in\nx').split('\n')[0],
    "bad.cat:2:1: expected an instruction (let, include, acyclic, flag, ...), found 'x'",
  );
  t.is(
    mistake(`let a = ${'('.repeat(300)}po${')'.repeat(300)}`).split('\n')[0],
    'bad.cat:1:109: expressions nested deeper than 200 levels',
  );
});
