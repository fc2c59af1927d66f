// herdSplit: where herd7 7.58 finds a file's init block and its final part. The cases are
// ones herd7 itself was run on (2026-12-06, herd7 7.58 built from herdtools7's tag): the
// files it loaded, and the ones it refused with `unexpected ','` because a comment before the
// init block held a `{`, as every file `smplab gen` wrote with a ctrl edge did.

import { readFileSync } from 'node:fs';
import test from 'ava';
import { herdSplit } from '../../src/litmus/herd-split.ts';
import { KERNEL_TESTS_DIR, litmusFiles } from './kernel-tests.ts';

const body = `
P0(int *x)
{
  WRITE_ONCE(*x, 1);
}

exists (x=1)
`;

const file = (head: string) => `C T\n${head}\n{}\n${body}`;
const initOf = (text: string) => text.indexOf('\n{') + 1;

test('comments and metadata before the init block, as herd7 reads them', (t) => {
  for (const head of [
    '(* Result: Never *)',
    '(*\n * Result: Never\n * if (r0 != 0) { ... }\n *)',
    '"PodWR Fre PodWR Fre"\nCycle=Fre PodWR {odd} Fre PodWR',
    '(* (* nested *) comment *)',
  ]) {
    const text = file(head);
    t.deepEqual(herdSplit(text), { init: initOf(text), final: text.indexOf('exists') }, head);
  }
});

test("a `{` in a one-line comment before the init block opens herd7's init block there", (t) => {
  // gen's ctrl note until 2026-12: herd7 said `line 9, characters 55-56: unexpected ','`.
  const head =
    '(* ctrl: a real control dependency, if (r == v) { ... }, as the kernel writes it *)';
  const s = herdSplit(file(head));
  t.false('error' in s);
  if (!('error' in s)) t.is(s.init, 'C T\n'.length + head.indexOf('{'));
});

test('comments nest: a `(*` inside one needs its own `*)`', (t) => {
  // herd7: `splitter error in sublexer eof in skip_comment`.
  t.deepEqual(herdSplit(file('(*\n * if (r0) WRITE_ONCE(*y, 1);\n *)')), {
    error: 'a comment before the init block does not close',
  });
});

test('in the code, a final word ends it and a string must close on its line', (t) => {
  const code = (line: string) => `C T\n{}\nP0(int *x)\n{\n  ${line}\n}\nexists (x=1)\n`;
  const commented = code('WRITE_ONCE(*x, 1); // exists here');
  t.deepEqual(herdSplit(commented), {
    init: commented.indexOf('{'),
    final: commented.indexOf('exists here'),
  });
  const word = code('WRITE_ONCE(*x, 1); // existsx, my-exists: no keyword');
  t.is((herdSplit(word) as { final: number }).final, word.lastIndexOf('exists ('));
  t.deepEqual(herdSplit(code('WRITE_ONCE(*x, 1); // "a quote')), {
    error: 'a " in the code opens a string that does not close on its line',
  });
});

test("the kernel's tests are cut where smplab's lexer cuts them", (t) => {
  const files = litmusFiles(KERNEL_TESTS_DIR);
  if (files.length === 0) return t.pass();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const s = herdSplit(text);
    t.false('error' in s, f);
    if ('error' in s) continue;
    t.is(text[s.init], '{', f);
    t.regex(text.slice(s.final), /^(exists|locations|~exists|forall)/, f);
  }
});
