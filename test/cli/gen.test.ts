// `smplab gen` as a user meets it: a family written to a folder and checked by `smplab check`
// (the round trip through the CLI), files never replaced silently, a test printed with -o -,
// and a bad cycle, or one diy7 refuses, as a one-line error with exit status 2.

import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { smplab } from './smplab.ts';

test('gen --family writes one file per variant, and check agrees with every Result: line', async (t) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'smplab-gen-')), 'SB');
  const gen = await smplab('gen', '--family', 'SB', '-o', dir);
  t.is(gen.code, 0, gen.stderr);
  t.deepEqual(readdirSync(dir).sort(), [
    'SB+fencembonceonce+poonceonce.litmus',
    'SB+fencembonceonces.litmus',
    'SB+poonceonces.litmus',
  ]);
  t.regex(gen.stdout, /3 tests of SB in .*SB: 1 Never, 2 allowed/);
  const check = await smplab('check', dir);
  t.is(check.code, 0, check.stdout);
  t.regex(check.stdout, /3 tests, 3 as expected, 0 mismatched/);

  // The same run again finds the same text: nothing to refuse.
  t.is((await smplab('gen', '--family', 'SB', '-o', dir)).code, 0);
  // A file changed by hand is not replaced, and nothing else is written either.
  const edited = join(dir, 'SB+poonceonces.litmus');
  appendFileSync(edited, '(* my note *)\n');
  const again = await smplab('gen', '--family', 'SB', '-o', dir);
  t.is(again.code, 2);
  t.is(
    again.stderr.trim(),
    `${edited} already exists with other text; nothing written (--force overwrites, -o DIR writes elsewhere)`,
  );
  t.regex(readFileSync(edited, 'utf8'), /my note/);
  t.is((await smplab('gen', '--family', 'SB', '-o', dir, '--force')).code, 0);
  t.notRegex(readFileSync(edited, 'utf8'), /my note/);
});

test('gen --cycle -o - prints the test; gen NAME writes it', async (t) => {
  const out = await smplab(
    'gen',
    '--cycle',
    'PodWWOnceRelease Rfe PodRRAcquireOnce Fre',
    '-o',
    '-',
  );
  t.is(out.code, 0, out.stderr);
  t.true(out.stdout.startsWith('C MP+pooncerelease+poacquireonce\n'));
  t.regex(out.stdout, /\(\* Result: Never \*\)/);
  const dir = mkdtempSync(join(tmpdir(), 'smplab-gen-'));
  const named = await smplab('gen', 'WRC+pooncerelease+fencermbonceonce+Once', '-o', dir);
  t.is(named.code, 0, named.stderr);
  t.regex(named.stdout, /WRC\+pooncerelease\+fencermbonceonce\+Once\.litmus {2}Result: Never/);
});

test('a bad cycle is a one-line error with status 2', async (t) => {
  const r = await smplab('gen', '--cycle', 'PodWR Fre PodWR Frx');
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /^unknown edge 'Frx' \(did you mean Fre, Fri\?\); smplab gen supports Rfe Fre Coe/,
  );
  t.notRegex(r.stderr, /at .*\.ts:/);
  const refused = await smplab('gen', '--cycle', 'Rfe PodRR Fre');
  t.is(refused.code, 2);
  t.regex(
    refused.stderr,
    /^diy7 refuses W\+RR\+poonceonce\+Once \[Rfe PodRR Fre\]: cannot get changing loc across PodRR /,
  );
  const none = await smplab('gen');
  t.is(none.code, 2);
  t.is(
    none.stderr.trim(),
    'gen takes one of: a pattern or test name (gen SB), --cycle "EDGES", --family PATTERN',
  );
});
