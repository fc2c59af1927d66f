// smplab's text is herd7's log where it says what herd7 says, and litmus7's where it says what
// litmus7 says, so that mcompare7 and the kernel's judgelitmus.sh read it:
// - the model's block of `run --on model` is herd7's output line by line (the Test line, States,
//   the states, Ok/No, Witnesses, Positive/Negative, Condition, Observation, Hash=) for the
//   kernel's 35 tests and the 1,876 luc tests of ../shared (their herd7-out/); only smplab's own
//   lines (File, Result line, the model's summary) and Time's figure differ. Skipped, saying
//   so, where ../shared is absent.
// - a run's block is litmus7's: `count*>state` lines (the count left-aligned in 6), Ok/No, a
//   blank line, Witnesses, `Positive: p, Negative: n`, `Condition … is validated`, Hash=,
//   Observation, Time; the grades follow as `#` comments, which mcompare7's reader skips.
// - forall and ~exists count Witnesses and say Ok as herd7 7.58 does (checked by hand against
//   it: Required/Forbidden, the counts of ~exists swapped in Witnesses, not in Observation).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import type { BackendResult } from '../../src/backends/backend.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel } from '../../src/model/index.ts';
import { formatLitmusReport } from '../../src/report/litmus-text.ts';
import { hostInfo } from '../../src/runtime/host.ts';
import type { RunsResult } from '../../src/runtime/litmus/run.ts';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const SETS = [
  ['lkmm/litmus-tests', 'lkmm/herd7-out'],
  ['lkmm-luc/litmus-tests', 'lkmm-luc/herd7-out'],
] as const;

function modelReport(file: string): string {
  const t = loadLitmus(file);
  const v = checkModel(t, 'lkmm');
  const results: BackendResult[] = [{ tag: 'ran', backend: 'model', verdict: v }];
  return formatLitmusReport({
    test: t,
    host: hostInfo(),
    results,
    grading: { graded: v, bounds: new Map(), unchecked: [], breaches: [] },
  });
}

/** The lines both print: smplab's own lines and the Time lines (a duration) left out. */
const shared = (text: string): string[] =>
  text
    .trimEnd()
    .split('\n')
    .filter((l) => !/^(File |Result line: |model |Time )/.test(l));

const herdTest = existsSync(join(SHARED, 'lkmm')) ? test : test.skip;

herdTest('the model block is herd7 7.58 output, line by line, on 1,911 tests', (t) => {
  t.timeout(300_000);
  let compared = 0;
  const differ: string[] = [];
  for (const [tests, outs] of SETS) {
    const dir = join(SHARED, tests);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      if (!f.endsWith('.litmus')) continue;
      const out = join(SHARED, outs, `${f}.out`);
      if (!existsSync(out)) continue;
      compared++;
      const ours = shared(modelReport(join(dir, f)));
      const herd = shared(readFileSync(out, 'utf8'));
      if (JSON.stringify(ours) !== JSON.stringify(herd))
        differ.push(`${f}:\n${ours.join('\n')}\n--- herd7:\n${herd.join('\n')}`);
    }
  }
  t.true(compared >= 35, `${compared} tests compared`);
  t.log(`${compared} tests compared with herd7's output`);
  t.deepEqual(differ.slice(0, 3), []);
});

const MP = `C MP+demo
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)
`;

function runs(counts: [number[], number][]): RunsResult {
  const histogram = new Map(
    counts.map(([values, count]) => [`1:r0=${values[0]}; 1:r1=${values[1]};`, { values, count }]),
  );
  return {
    histogram,
    runs: counts.reduce((n, [, c]) => n + c, 0),
    elapsedMs: 570,
    memory: 'x86',
    host: hostInfo(),
  } as unknown as RunsResult;
}

test("a run's block is litmus7's", (t) => {
  const mp = parseLitmus(MP, 'MP+demo.litmus');
  const v = checkModel(mp, 'lkmm');
  const hw = runs([
    [[0, 0], 5000],
    [[1, 0], 3],
    [[1, 1], 994997],
  ]);
  const text = formatLitmusReport({
    test: mp,
    host: hostInfo(),
    results: [
      { tag: 'ran', backend: 'model', verdict: v },
      { tag: 'ran', backend: 'hw', runs: hw },
    ],
    grading: { graded: v, bounds: new Map([['lkmm', v]]), unchecked: [], breaches: [] },
  });
  const block = text.slice(text.indexOf('Histogram')).split('\n').slice(0, 13);
  t.deepEqual(block, [
    'Histogram (3 states)',
    '5000  :>1:r0=0; 1:r1=0;  # allowed',
    '3     *>1:r0=1; 1:r1=0;  # allowed, interesting',
    '994997:>1:r0=1; 1:r1=1;  # allowed',
    'Ok',
    '',
    'Witnesses',
    'Positive: 3, Negative: 999997',
    'Condition exists (1:r0=1 /\\ 1:r1=0) is validated',
    `Hash=${mp.herdHash}`,
    'Observation MP+demo Sometimes 3 999997',
    'Time MP+demo 0.57',
    'Allowed by lkmm but not seen on hw (1):',
  ]);
  // judgelitmus.sh takes the first Observation line: the model's.
  t.regex(text, /^Test MP\+demo Allowed\n/);
  t.is(/^Observation .*$/m.exec(text)![0], 'Observation MP+demo Sometimes 1 3');
});

/** herd7 7.58's answers, run by hand on these tests: kind, Ok, Witnesses, Observation. */
const SMALL = '{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nP1(int *x) { int r0; r0 = READ_ONCE(*x); }\n';
const TWO =
  '{ x=1; }\nP0(int *x, int *y) { int r1; WRITE_ONCE(*x, 1); r1 = READ_ONCE(*y); }\nP1(int *x, int *y) { int r0; r0 = READ_ONCE(*x); }\n';
const HERD_ANSWERS = [
  [SMALL, 'forall (1:r0=0 \\/ 1:r0=1)', 'Required', 'Ok', 'Positive: 2 Negative: 0', 'Always 2 0'],
  [SMALL, '~exists (1:r0=2)', 'Forbidden', 'Ok', 'Positive: 2 Negative: 0', 'Never 0 2'],
  [SMALL, '~exists (1:r0=1)', 'Forbidden', 'No', 'Positive: 1 Negative: 1', 'Sometimes 1 1'],
  [
    TWO,
    'exists (1:r0=1 /\\ ~(0:r1=1) /\\ (x=1 \\/ y=0))',
    'Allowed',
    'Ok',
    'Positive: 2 Negative: 0',
    'Always 2 0',
  ],
] as const;

test('forall and ~exists: the kind, Ok and the Witnesses as herd7 prints them', (t) => {
  for (const [body, cond, kind, ok, witnesses, observation] of HERD_ANSWERS) {
    const f = parseLitmus(`C F\n${body}${cond}\n`, 'F.litmus');
    const v = checkModel(f, 'lkmm');
    const text = formatLitmusReport({
      test: f,
      host: hostInfo(),
      results: [{ tag: 'ran', backend: 'model', verdict: v }],
      grading: { graded: v, bounds: new Map(), unchecked: [], breaches: [] },
    });
    t.regex(text, new RegExp(`^Test F ${kind}$`, 'm'), cond);
    t.regex(text, new RegExp(`^${ok}$`, 'm'), cond);
    t.true(text.includes(`\nWitnesses\n${witnesses}\n`), `${cond}: ${text}`);
    t.true(text.includes(`\nObservation F ${observation}\n`), cond);
    if (body === TWO)
      t.regex(
        text,
        /^Condition exists \(1:r0=1 \/\\ not \(0:r1=1\) \/\\ \(\[x\]=1 \\\/ \[y\]=0\)\)$/m,
      );
  }
});
