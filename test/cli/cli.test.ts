// The smplab command as a user meets it: exit statuses, error messages without stack traces,
// result files, and the text a run prints. Each test runs the real CLI in a child process.

import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { smplab } from './smplab.ts';

const resultFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

function tempLitmus(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'smplab-litmus-')), name);
  writeFileSync(path, text);
  return path;
}

test('an unknown name exits 2 and names the closest tests', async (t) => {
  const r = await smplab('run', 'SB+poonceoncez');
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /unknown test or scenario 'SB\+poonceoncez'; the closest names: SB\+poonceonces/,
  );
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
});

test('an unknown option value exits 2 with the allowed values', async (t) => {
  const r = await smplab('run', 'SB+poonceonces', '--model', 'lkm');
  t.is(r.code, 2);
  t.regex(r.stderr, /unknown model 'lkm' \(did you mean lkmm\?\); one of: sc, tso, lkmm/);
});

test('a malformed litmus file: file:line:col, the line, exit 2, no result file', async (t) => {
  const file = tempLitmus(
    'Bad.litmus',
    'C Bad\n{}\nP0(int *x)\n{\n\tsmp_mbb();\n}\nexists (x=1)\n',
  );
  const r = await smplab('run', file);
  t.is(r.code, 2);
  t.regex(r.stderr, /Bad\.litmus:5:2: unknown macro smp_mbb \(did you mean smp_mb\?\)/);
  t.regex(r.stderr, /\tsmp_mbb\(\);/);
  t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  t.deepEqual(resultFiles(r.results), []);
});

test('run --on model prints herd7 lines and writes a whole JSON record', async (t) => {
  const r = await smplab('run', 'SB+fencembonceonces', '--on', 'model');
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /model lkmm: Never — 3 final states allowed, condition unreachable/);
  t.regex(r.stdout, /Observation SB\+fencembonceonces Never 0 3/);
  const files = resultFiles(r.results);
  t.is(files.length, 1);
  t.true(files[0]!.startsWith('SB+fencembonceonces/'));
  const record = JSON.parse(readFileSync(join(r.results, files[0]!), 'utf8'));
  t.is(record.test, 'SB+fencembonceonces');
  t.is(record.model.observation, 'Never');
  t.is(record.partial, false);
  t.is(record.hw, null);
});

test('run on hw and model: the histogram sums to the runs and no state is outside the model', async (t) => {
  const r = await smplab(
    'run',
    'SB+fencembonceonces',
    '--runs',
    '20000',
    '--size',
    '1000',
    '--json',
  );
  t.is(r.code, 0, r.stderr);
  const record = JSON.parse(r.stdout);
  const counts = Object.values(record.hw.histogram) as number[];
  t.is(
    counts.reduce((a, b) => a + b, 0),
    20000,
  );
  t.is(record.hw.runs, 20000);
  for (const state of Object.keys(record.hw.histogram)) t.truthy(record.model.states[state], state);
  t.falsy(record.hw.histogram['0:r0=0; 1:r0=0;'], 'the forbidden state of SB+fencembonceonces');
});

test('check exits 1 when a Result line disagrees with the model', async (t) => {
  const file = tempLitmus(
    'SB+wrong.litmus',
    'C SB+wrong\n(* Result: Never *)\n{}\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\n' +
      'P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\nexists (0:r0=0 /\\ 1:r0=0)\n',
  );
  const r = await smplab('check', file);
  t.is(r.code, 1);
  t.regex(r.stdout, /SB\+wrong\s+Never\s+Sometimes\s+4\s+.*MISMATCH/);
});

test('check of the corpus agrees with every Result line', async (t) => {
  const r = await smplab('check', 'scenarios/litmus');
  t.is(r.code, 0, r.stdout + r.stderr);
  t.regex(r.stdout, / 0 mismatched/);
});

test('list shows litmus tests and program scenarios', async (t) => {
  const r = await smplab('list');
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /SB\+poonceonces\s+litmus\s+Sometimes/);
  t.regex(r.stdout, /mmu-lock-yield\s+program\s+/);
});

test('help lists the commands', async (t) => {
  const r = await smplab('help');
  t.is(r.code, 0);
  for (const cmd of ['list', 'run', 'check', 'compare'])
    t.regex(r.stdout, new RegExp(`smplab ${cmd}`));
});
