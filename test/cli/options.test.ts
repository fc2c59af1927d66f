// Section 3: each command refuses the options that mean nothing to it, naming the option and
// why; check and compare speak JSON; run says when the model contradicts the file's Result line;
// check reports a broken file with its place and checks the rest, and compares Result lines
// (LKMM's claims) only under lkmm; compare marks states a test cannot have with "—".

import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { smplab } from './smplab.ts';

const LITMUS = fileURLToPath(new URL('../../scenarios/litmus/', import.meta.url));

const refusals: [args: string[], message: string][] = [
  [
    ['run', 'atomic-bool', '--size', '10'],
    '--size does not apply to program scenario atomic-bool: it is the batch of a litmus run; a program scenario runs each variant for --time seconds',
  ],
  [
    ['run', 'atomic-bool', '--runs', '10'],
    '--runs does not apply to program scenario atomic-bool: it counts litmus test instances; a program scenario runs each variant for --time seconds',
  ],
  [
    ['run', 'atomic-bool', '--on', 'hw', '--ablate'],
    '--ablate explores the scenario again on the model; add it: --on hw,model',
  ],
  [
    ['run', 'atomic-bool', '--explain'],
    '--explain on a program scenario takes the outcome to explain: smplab run atomic-bool --on model --explain "flag seen, data fresh" (outcomes: "flag seen, data fresh", "flag seen, data stale", "flag not seen (reader gave up)")',
  ],
  [
    ['run', 'atomic-bool', '--explain', 'stael'],
    '--explain "stael" names no outcome of atomic-bool (did you mean "flag seen, data stale"?); outcomes: "flag seen, data fresh", "flag seen, data stale", "flag not seen (reader gave up)"',
  ],
  [
    ['run', 'atomic-bool', '--explain', 'flag seen'],
    '--explain "flag seen" names more than one outcome of atomic-bool: "flag seen, data fresh", "flag seen, data stale"',
  ],
  [
    ['run', 'atomic-bool', '--on', 'hw', '--explain', 'stale'],
    '--explain shows an execution the model explores; add it: --on hw,model',
  ],
  [
    ['run', 'SB+poonceonces', 'MP+poonceonces', '--svg', 'x.svg'],
    '--svg writes one file for one test: run each test alone, or use check --junit',
  ],
  [
    ['run', 'SB+poonceonces', '--variant', 'plain'],
    '--variant does not apply to a litmus test: it chooses variants of a program scenario; a litmus test has none',
  ],
  [
    ['run', 'SB+poonceonces', '--loop-bound', '2'],
    '--loop-bound does not apply to a litmus test: it bounds the loops of a program scenario on the model; a litmus test has none',
  ],
  [
    ['check', LITMUS, '--runs', '5'],
    '--runs does not apply to check: check runs the model alone, on each file',
  ],
  // the flags of later commands (serve, report, merge, JUnit, drawings) are refused too
  [['list', '--junit', 'x.xml'], '--junit does not apply to list: list takes no options'],
  [
    ['compare', 'SB+poonceonces', 'MP+poonceonces', '--junit', 'x.xml'],
    '--junit does not apply to compare: compare writes no JUnit file; run or check each test with --junit',
  ],
  [
    ['run', 'SB+poonceonces', '--port', '3'],
    '--port does not apply to a litmus test: it is the port of smplab serve',
  ],
  [
    ['run', 'atomic-bool', '--svg', 'x.svg'],
    '--dot and --svg draw the execution --explain OUTCOME finds: smplab run atomic-bool --on model --explain "flag seen, data fresh" --svg FILE',
  ],
  [
    ['check', LITMUS, '-o', 'out'],
    '--out does not apply to check: it is the output folder of smplab report and smplab merge',
  ],
  // every command takes only its own flags (issue 16 §5): these were accepted silently
  [
    ['report', '--junit', 'x.xml'],
    '--junit does not apply to report: it writes the JUnit XML file of smplab run and smplab check',
  ],
  [
    ['merge', 'a', '-o', 'b', '--on', 'hw'],
    '--on does not apply to merge: it chooses the backends of smplab run and smplab compare',
  ],
  [
    ['serve', '--runs', '5'],
    '--runs does not apply to serve: the page chooses it (a field of the page, or ?runs=&size=&seed= in its address)',
  ],
  [['engines', '--json'], '--json does not apply to engines: engines takes no options'],
  [['engines', '--ablate'], '--ablate does not apply to engines: engines takes no options'],
  [
    ['run', 'atomic-bool', '--engine', 'bun'],
    "--engine does not apply to program scenario atomic-bool: it runs a litmus test's threads on another engine; a program scenario runs in this process, on Node",
  ],
  [
    ['compare', LITMUS, LITMUS, '--runs', '5'],
    '--runs does not apply to compare: compare of result folders reads the runs saved there, as they were run',
  ],
  [
    ['gen', 'SB', '--runs', '5'],
    '--runs does not apply to gen: it counts the litmus test instances of smplab run and smplab compare',
  ],
  [['help', '--json'], '--json does not apply to help: help takes no options'],
  [
    ['run', 'SB+poonceonces', '--rnus', '5'],
    'unknown option --rnus (did you mean --runs?) (smplab help lists the options)',
  ],
];

for (const [args, message] of refusals) {
  test(`refused: smplab ${args.join(' ').replaceAll(LITMUS, 'scenarios/litmus/')}`, async (t) => {
    const r = await smplab(...args);
    t.is(r.code, 2);
    t.is(r.stderr.trim(), message);
  });
}

test('run: a Result line the model contradicts is a MISMATCH line and exit 1', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-claim-'));
  const file = join(dir, 'SB+fencembonceonces.litmus');
  const text = readFileSync(join(LITMUS, 'SB+fencembonceonces.litmus'), 'utf8');
  writeFileSync(file, text.replace('Result: Never', 'Result: Sometimes'));
  const r = await smplab('run', file, '--on', 'model');
  t.is(r.code, 1);
  t.regex(
    r.stdout,
    /^MISMATCH: the file's Result: line says Sometimes; the model lkmm says Never$/m,
  );
});

test('run --json keeps --explain', async (t) => {
  const r = await smplab('run', 'SB+fencembonceonces', '--on', 'model', '--explain', '--json');
  t.is(r.code, 0);
  const rec = JSON.parse(r.stdout);
  t.regex(
    rec.explanation[0],
    /^SB\+fencembonceonces under lkmm: the condition .* is never reached\.$/,
  );
  t.deepEqual(rec.resultLine, { expected: 'Never', model: 'lkmm', got: 'Never', agrees: true });
});

test('check of a folder with a broken file: its file:line:col, the rest checked, exit 1; --json', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-check-'));
  cpSync(join(LITMUS, 'SB+poonceonces.litmus'), join(dir, 'SB+poonceonces.litmus'));
  writeFileSync(
    join(dir, 'broken.litmus'),
    'C broken\n{}\nP0(int *x)\n\tWRITE_ONCE(*x, 1);\n}\nexists (x=1)\n',
  );
  const r = await smplab('check', dir);
  t.is(r.code, 1);
  // the states column is "-": check settles the verdict without meeting every state
  t.regex(r.stdout, /^SB\+poonceonces\s+Sometimes\s+Sometimes\s+-\s+\S+ s\s+ok$/m);
  t.regex(
    r.stdout,
    new RegExp(`^  ${dir}/broken\\.litmus:3:11: expected '\\{' to open the body of P0`, 'm'),
  );
  const j = await smplab('check', dir, '--json');
  t.is(j.code, 1);
  const out = JSON.parse(j.stdout);
  t.deepEqual(
    out.tests.map((x: { test: string; ok: boolean }) => [x.test, x.ok]),
    [
      ['SB+poonceonces', true],
      [join(dir, 'broken.litmus'), false],
    ],
  );
});

test('check --model tso does not grade Result lines (they are LKMM claims)', async (t) => {
  // SB+poonceonces claims Sometimes (lkmm); sc says Never: not a mismatch, another model.
  const r = await smplab('check', join(LITMUS, 'SB+poonceonces.litmus'), '--model', 'sc');
  t.is(r.code, 0);
  t.regex(r.stdout, /expected \(lkmm\)\s+got \(sc\)/);
  t.regex(r.stdout, /Result lines not compared: they state lkmm's verdict, not sc's/);
});

test('compare --json, and "—" for states of another test\'s registers', async (t) => {
  const r = await smplab('compare', 'SB+poonceonces', 'MP+poonceonces', '--on', 'model');
  t.is(r.code, 0);
  t.regex(r.stdout, /^1:r0=0; 1:r1=0;\s+—\s+allowed$/m);
  t.regex(r.stdout, /^0:r0=0; 1:r0=0;\s+allowed\*\s+—$/m);
  const j = await smplab('compare', 'SB+poonceonces', 'MP+poonceonces', '--on', 'model', '--json');
  const out = JSON.parse(j.stdout);
  t.deepEqual(
    out.tests.map((x: { test: string }) => x.test),
    ['SB+poonceonces', 'MP+poonceonces'],
  );
});
