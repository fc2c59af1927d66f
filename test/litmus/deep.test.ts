// Deep or long input: nesting past MAX_NESTING is refused with a UserError naming the limit and
// the line; long flat input (a condition of 10,000 terms, a thread of 3,000 statements) is
// parsed, lowered, compiled and checked by the model without exhausting the call stack.

import test from 'ava';
import { compileThread, observedRegisters } from '../../src/litmus/compile.ts';
import type { Prop } from '../../src/litmus/ir.ts';
import { MAX_NESTING } from '../../src/litmus/lexer.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { computeLayout } from '../../src/memory/layout.ts';
import { threadTraces } from '../../src/model/enumerate/trace.ts';
import { checkModel } from '../../src/model/index.ts';
import { refusal } from './refusal.ts';

const T = (body: string, cond = 'exists (0:r0=0)') =>
  `C T\n{}\nP0(int *x)\n{\n\tint r0;\n${body}\n}\n${cond}\n`;

/** The first line of the refusal of `text`: where and what. */
const refusalLine = (text: string) => refusal(text).split('\n')[0]!;

const DEEP = 500;
const tooDeep = (line: number) =>
  new RegExp(
    `^T\\.litmus:${line}:\\d+: nested more than ${MAX_NESTING} levels deep \\(parentheses, operators, blocks or if\\)`,
  );

const deep: [string, string, number][] = [
  ['parentheses', T(`\tr0 = ${'('.repeat(DEEP)}1${')'.repeat(DEEP)};`), 6],
  ['unary minus', T(`\tr0 = ${'-'.repeat(DEEP)}1;`), 6],
  ['unary !', T(`\tr0 = ${'!'.repeat(DEEP)}1;`), 6],
  ['blocks', T(`${'{'.repeat(DEEP)} r0 = 1; ${'}'.repeat(DEEP)}`), 6],
  ['if', T(`${'\tif (r0)\n'.repeat(DEEP)}\tr0 = 1;`), 5 + MAX_NESTING],
  ['a chain of 10,000 +', T(`\tr0 = ${Array(10_000).fill('1').join(' + ')};`), 6],
  [
    'parentheses in the condition',
    T('\tr0 = 1;', `exists ${'('.repeat(DEEP)}0:r0=0${')'.repeat(DEEP)}`),
    8,
  ],
  ['~ in the condition', T('\tr0 = 1;', `exists ${'~'.repeat(DEEP)}0:r0=0`), 8],
];

for (const [what, text, line] of deep) {
  test(`${DEEP} levels of ${what}: refused naming the limit and the line`, (t) => {
    t.regex(refusalLine(text), tooDeep(line));
  });
}

test('nesting just under the limit is accepted and checked by the model', (t) => {
  const n = MAX_NESTING - 10;
  const lit = parseLitmus(T(`\tr0 = ${'('.repeat(n)}1${')'.repeat(n)};`), 'T.litmus');
  t.is(checkModel(lit, 'lkmm').observation, 'Never');
});

function depth(p: Prop): number {
  if (p.kind === 'and' || p.kind === 'or') return 1 + Math.max(depth(p.left), depth(p.right));
  if (p.kind === 'not') return 1 + depth(p.arg);
  return 0;
}

test('a flat chain of 10,000 /\\ becomes a balanced tree the model and the compiler take', (t) => {
  const terms = Array.from({ length: 10_000 }, () => '0:r0=1');
  const lit = parseLitmus(
    T('\tr0 = READ_ONCE(*x);', `exists (${terms.join(' /\\ ')})`),
    'T.litmus',
  );
  t.true(depth(lit.condition.prop) <= 14);
  t.is(checkModel(lit, 'lkmm').observation, 'Never');
  const ors = parseLitmus(
    T('\tr0 = READ_ONCE(*x);', `exists (${terms.join(' \\/ ')})`),
    'T.litmus',
  );
  t.is(checkModel(ors, 'lkmm').observation, 'Never');
});

test('a thread of 3,000 statements: parsed, lowered, compiled, and checked by the model', (t) => {
  const body = `\tr0 = 0;\n${'\tr0 = r0 + 1;\n'.repeat(3000)}\tWRITE_ONCE(*x, r0);`;
  const lit = parseLitmus(T(body, 'exists (x=3000)'), 'T.litmus');
  t.is(lit.threads[0]!.body.length, 3002);
  const layout = computeLayout({
    size: 1,
    variables: lit.locations.length,
    observedRegisters: [observedRegisters(lit, 0).length],
    packed: false,
  });
  t.true(compileThread(lit, lit.threads[0]!, layout).source.length > 3000);
  t.is(checkModel(lit, 'lkmm').observation, 'Always');
});

test('a thread of 3,000 stores and a load: every trace of it, without recursion', (t) => {
  const lit = parseLitmus(
    T(`${'\tWRITE_ONCE(*x, 1);\n'.repeat(3000)}\tr0 = READ_ONCE(*x);`),
    'T.litmus',
  );
  // The domain of x given, not computed: valueDomains takes minutes over 3,000 stores.
  const traces = threadTraces(lit, lit.threads[0]!, [[0, 1]], () => {});
  t.deepEqual(
    traces.map((tr) => tr.regs.get('r0')),
    [0, 1],
  );
  t.is(traces[0]!.events.length, 3001);
});
