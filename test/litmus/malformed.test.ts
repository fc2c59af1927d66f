// Malformed litmus files: each is refused with one exact message at the offending token.
// The expected strings are what the user sees (formatUserError): `file:line:col: message`,
// the line, and a caret under the column.

import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import test from 'ava';
import { formatUserError, UserError } from '../../src/errors.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { printLitmus } from '../../src/litmus/print.ts';
import { CORPUS_DIR, litmusFiles, withoutPositions } from './kernel-tests.ts';
import { refusal } from './refusal.ts';

/** A one-thread test (kernel style, tab-indented) around a body, a condition and an init block. */
const T = (body: string, cond = 'exists (0:r0=0)', init = '{}') =>
  `C T\n${init}\nP0(int *x, int *y)\n{\n\tint r0;\n${body}\n}\n${cond}\n`;

const NO_LOOPS = (loop: string) =>
  `C-litmus has no loops (${loop}): a litmus test is loop-free so that every execution can be enumerated; code that loops or retries is a program scenario (scenarios/*.ts, see "Program scenarios" in README.md)`;

const cases: [title: string, text: string, expected: string][] = [
  [
    "diy7's *(x + e) left open",
    T('\tr0 = READ_ONCE(*(x + 1;'),
    "T.litmus:6:24: expected ')' to close *(, found ';'\n  \tr0 = READ_ONCE(*(x + 1;\n  \t                      ^",
  ],
  [
    'unknown macro, with the closest name',
    T('\tsmp_mbb();'),
    'T.litmus:6:2: unknown macro smp_mbb (did you mean smp_mb?)\n  \tsmp_mbb();\n  \t^',
  ],
  [
    'a location assigned as if it were a register',
    'C T\n{ int z; }\nP0(int *x) { z = 1; }\nexists (x=1)\n',
    'T.litmus:3:14: z is not a parameter of P0: add int *z to its parameters\n' +
      '  P0(int *x) { z = 1; }\n               ^',
  ],
  [
    'unknown location',
    T('\tWRITE_ONCE(*z, 1);'),
    'T.litmus:6:14: unknown location z in P0 (did you mean x, y?)\n  \tWRITE_ONCE(*z, 1);\n  \t            ^',
  ],
  [
    'wrong number of arguments',
    T('\tWRITE_ONCE(*x);'),
    'T.litmus:6:2: WRITE_ONCE takes 2 arguments, found 1\n  \tWRITE_ONCE(*x);\n  \t^',
  ],
  [
    'a macro that returns nothing used as a value',
    T('\tr0 = smp_mb();'),
    'T.litmus:6:7: smp_mb returns no value\n  \tr0 = smp_mb();\n  \t     ^',
  ],
  [
    'threads out of order',
    'C T\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nP2(int *x) { WRITE_ONCE(*x, 2); }\nexists (x=1)\n',
    'T.litmus:4:1: expected thread P1, found P2 (threads are numbered from P0 in order)\n' +
      '  P2(int *x) { WRITE_ONCE(*x, 2); }\n  ^',
  ],
  [
    'a location the thread was not passed',
    'C T\n{ int z; }\nP0(int *x) { WRITE_ONCE(*z, 1); }\nexists (x=1)\n',
    'T.litmus:3:26: z is not a parameter of P0: add int *z to its parameters\n' +
      '  P0(int *x) { WRITE_ONCE(*z, 1); }\n                           ^',
  ],
  [
    'the condition names a thread that does not exist',
    T('\tr0 = READ_ONCE(*x);', 'exists (1:r0=0)'),
    'T.litmus:8:9: the condition names thread 1 but the test has only P0\n  exists (1:r0=0)\n          ^',
  ],
  [
    'the condition names a register that does not exist',
    T('\tr0 = READ_ONCE(*x);', 'exists (0:r1=0)'),
    'T.litmus:8:9: P0 has no register r1 (did you mean r0?)\n  exists (0:r1=0)\n          ^',
  ],
  [
    'the condition names a location that does not exist',
    T('\tr0 = READ_ONCE(*x);', 'exists (0:r0=0 /\\ z=1)'),
    'T.litmus:8:19: unknown location z (did you mean x, y?)\n  exists (0:r0=0 /\\ z=1)\n                    ^',
  ],
  [
    'integer out of the 32-bit range',
    T('\tWRITE_ONCE(*x, 2147483648);'),
    'T.litmus:6:17: integer 2147483648 is out of the 32-bit range\n  \tWRITE_ONCE(*x, 2147483648);\n  \t               ^',
  ],
  [
    'unterminated comment, blamed on where it opens',
    T('\tr0 = READ_ONCE(*x);', 'exists (0:r0=0) (* Bad outcome.'),
    'T.litmus:8:17: unterminated comment (missing *))\n  exists (0:r0=0) (* Bad outcome.\n                  ^',
  ],
  [
    'missing condition after exists',
    'C T\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists',
    'T.litmus:4:7: expected a condition after exists, found end of file\n  exists\n        ^',
  ],
  [
    'a struct other than srcu_struct',
    'C T\n{}\nP0(struct foo *s) { }\nexists (true)\n',
    'T.litmus:3:11: struct foo is not supported (struct srcu_struct * is)\n  P0(struct foo *s) { }\n            ^',
  ],
  [
    'a memory read on the right of &&',
    T('\tif (r0 == 0 && READ_ONCE(*y))\n\t\tWRITE_ONCE(*x, 1);'),
    'T.litmus:6:17: a memory access on the right of && is not supported here (herd7 takes it; here it would not be conditional): read it into a register first\n' +
      '  \tif (r0 == 0 && READ_ONCE(*y))\n  \t               ^',
  ],
  [
    'assigning to a location instead of storing to it',
    T('\tx = 1;'),
    'T.litmus:6:2: x is a location: write *x = ... to store to it\n  \tx = 1;\n  \t^',
  ],
  [
    'spin_lock on a pointer',
    T('\tspin_lock(x);', 'exists (0:r0=0)', '{ int *x = &y; }'),
    'T.litmus:6:12: spin_lock needs a spinlock_t, but x is a pointer\n  \tspin_lock(x);\n  \t          ^',
  ],
  [
    'READ_ONCE(x) instead of READ_ONCE(*x)',
    T('\tr0 = READ_ONCE(x);'),
    'T.litmus:6:17: the first argument of READ_ONCE must be *x or *r (a location to access)\n  \tr0 = READ_ONCE(x);\n  \t               ^',
  ],
  [
    'missing semicolon, blamed just after the statement',
    T('\tr0 = READ_ONCE(*x)\n\tWRITE_ONCE(*y, 1);'),
    "T.litmus:6:20: expected ';' after the assignment, found 'WRITE_ONCE'\n  \tr0 = READ_ONCE(*x)\n  \t                  ^",
  ],
  [
    'a register of a type the language does not have',
    T('\tu64 r1;'),
    'T.litmus:6:2: unknown type u64 (herd7 takes any type name; here a register is declared int r, int *r, intptr_t r or long r)\n  \tu64 r1;\n  \t^',
  ],
  [
    'not a C litmus test',
    'X86 SB\n{ x=0; }\n',
    'T.litmus:1:1: only C litmus tests are supported (this one is X86)\n  X86 SB\n  ^',
  ],
  [
    'a location declared with two types',
    'C T\n{ int s; }\nP0(spinlock_t *s) { spin_lock(s); }\nexists (s=0)\n',
    'T.litmus:3:16: s is declared spinlock_t here but int at line 2\n  P0(spinlock_t *s) { spin_lock(s); }\n                 ^',
  ],
  [
    "a thread whose '{' is missing, where it is missing (not as an unterminated comment)",
    'C T\n{}\nP0(int *x)\n\tint r0;\n\tWRITE_ONCE(*x, 1);\n\tr0 = READ_ONCE(*x);\n}\nexists (0:r0=0)\n',
    "T.litmus:3:11: expected '{' to open the body of P0, found 'int'\n  P0(int *x)\n            ^",
  ],
  [
    'a while loop, pointing to program scenarios',
    T('\twhile (READ_ONCE(*x) == 0)\n\t\tcpu_relax();'),
    `T.litmus:6:2: ${NO_LOOPS('while')}\n  \twhile (READ_ONCE(*x) == 0)\n  \t^`,
  ],
  [
    'a for loop, pointing to program scenarios',
    T('\tfor (r0 = 0; r0 < 2; r0++) WRITE_ONCE(*x, r0);'),
    `T.litmus:6:2: ${NO_LOOPS('for')}\n  \tfor (r0 = 0; r0 < 2; r0++) WRITE_ONCE(*x, r0);\n  \t^`,
  ],
];

for (const [title, text, expected] of cases) {
  test(`refused: ${title}`, (t) => {
    t.is(refusal(text), expected);
  });
}

test('a parameter or register that tries to inject code is a parse error', (t) => {
  const payload = 'x);process.exit(1);(';
  const inParam = `C T\n{}\nP0(int *${payload})\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n`;
  const inRegister = T(`\tint ${payload};`);
  const noDot = `C T\n{}\nP0(int *x);exit(1);(int *y)\n{\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n`;
  for (const text of [inParam, inRegister, noDot]) {
    const err = t.throws(() => parseLitmus(text, 'evil.litmus'), { instanceOf: UserError });
    t.is(err?.file, 'evil.litmus');
  }
  t.is(
    refusal(inParam),
    'T.litmus:3:19: unexpected character "."\n  P0(int *x);process.exit(1);()\n                    ^',
  );
  t.is(
    refusal(noDot),
    "T.litmus:3:11: expected '{' to open the body of P0, found ';'\n  P0(int *x);exit(1);(int *y)\n            ^",
  );
});

test('names that are not identifiers never reach the IR, and __proto__ is reserved', (t) => {
  t.is(
    refusal(T('\tint __proto__;')),
    'T.litmus:6:6: __proto__ is a reserved name\n  \tint __proto__;\n  \t    ^',
  );
  const nameRule =
    'may only use letters, digits and _ . + - (and not start with . + or -), in parts joined by /';
  t.is(refusal('C T;rm\n{}\n'), `T.litmus:1:3: test name "T;rm" ${nameRule}\n  C T;rm\n    ^`);
  // The name becomes a directory of results/: `..` must not, nor a part of it.
  t.is(refusal('C ..\n{}\n'), `T.litmus:1:3: test name ".." ${nameRule}\n  C ..\n    ^`);
  t.is(
    refusal('C auto/../T\n{}\n'),
    `T.litmus:1:3: test name "auto/../T" ${nameRule}\n  C auto/../T\n    ^`,
  );
  t.is(refusal('C /T\n{}\n'), `T.litmus:1:3: test name "/T" ${nameRule}\n  C /T\n    ^`);
  t.is(
    refusal(T('\tconstructor(x);')),
    'T.litmus:6:2: unknown macro constructor\n  \tconstructor(x);\n  \t^',
  );
});

test('a file that cannot be read is a UserError naming it', (t) => {
  const err = t.throws(() => loadLitmus('/nonexistent/dir/X.litmus'), { instanceOf: UserError });
  t.is(formatUserError(err!), '/nonexistent/dir/X.litmus: no such file');
});

test('mutated corpus files: every one is accepted (and round-trips) or refused as a UserError inside the text', (t) => {
  // A seeded generator, so that a failure can be replayed.
  let seed = 20261124;
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  const pieces = [
    '(',
    ')',
    '{',
    '}',
    ';',
    '*',
    '&',
    '\\',
    '~',
    '=',
    ',',
    '\n',
    'r0',
    '1',
    '(*',
    '*)',
    'P1',
    'int',
    ':',
    '-',
  ];
  let accepted = 0;
  let refused = 0;
  for (const file of litmusFiles(CORPUS_DIR)) {
    const original = readFileSync(file, 'utf8');
    for (let k = 0; k < 40; k++) {
      const at = random(original.length);
      const cut = random(2) === 0 ? 1 + random(4) : 0;
      const text = original.slice(0, at) + pieces[random(pieces.length)] + original.slice(at + cut);
      try {
        const lit = parseLitmus(text, 'mutant.litmus');
        const again = withoutPositions(parseLitmus(printLitmus(lit), 'printed'));
        if (!isDeepStrictEqual(again, withoutPositions(lit))) t.fail(`no round trip:\n${text}`);
        accepted++;
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        const lines = text.split('\n').length;
        const inside = err.pos !== undefined && err.pos.line >= 1 && err.pos.line <= lines;
        if (!inside) t.fail(`position outside the text: ${formatUserError(err)}`);
        refused++;
      }
    }
  }
  t.true(accepted > 0 && refused > 0, `accepted ${accepted}, refused ${refused}`);
});
