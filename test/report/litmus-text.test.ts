// The litmus report never hides a state the model forbids, and grades the others.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { stateSatisfies } from '../../src/litmus/state.ts';
import { checkModel } from '../../src/model/index.ts';
import { formatLitmusReport, statesOutsideModel } from '../../src/report/litmus-text.ts';
import { hostInfo } from '../../src/runtime/host.ts';
import type { HwResult } from '../../src/runtime/litmus-hw.ts';

const LITMUS = fileURLToPath(new URL('../../scenarios/litmus/', import.meta.url));
const sb = loadLitmus(join(LITMUS, 'SB+fencembonceonces.litmus'));
const verdict = checkModel(sb, 'lkmm');

function fakeHw(histogram: Map<string, number>): HwResult {
  const runs = [...histogram.values()].reduce((a, b) => a + b, 0);
  return {
    histogram,
    runs,
    elapsedMs: 10,
    wallMs: 20,
    stoppedBy: 'done',
    partial: false,
    threads: 2,
    workers: 2,
    barrier: 'spin',
    size: runs,
    mapping: 'x86',
    packed: false,
    lostMeetings: 0,
  };
}

test('a hw state the model forbids is printed as outside the model, loudly', (t) => {
  const hw = fakeHw(
    new Map([
      ['0:r0=0; 1:r0=0;', 5],
      ['0:r0=1; 1:r0=1;', 95],
    ]),
  );
  t.deepEqual(statesOutsideModel(hw.histogram, verdict), ['0:r0=0; 1:r0=0;']);
  const text = formatLitmusReport({ test: sb, verdict, hw, host: hostInfo() });
  t.regex(text, / 5 {2}\*> {2}0:r0=0; 1:r0=0; {2}FORBIDDEN {2}outside the model/);
  t.regex(
    text,
    /!!! OUTSIDE THE MODEL: hw produced 1 final state\(s\) that lkmm forbids:\n!!! {3}0:r0=0; 1:r0=0;/,
  );
  t.regex(text, /Observation SB\+fencembonceonces Sometimes 5 95/);
});

test('allowed states are graded, and the ones hw did not show are listed', (t) => {
  const hw = fakeHw(new Map([['0:r0=1; 1:r0=1;', 100]]));
  t.deepEqual(statesOutsideModel(hw.histogram, verdict), []);
  const text = formatLitmusReport({ test: sb, verdict, hw, host: hostInfo() });
  t.regex(text, /100 {2}:> {2}0:r0=1; 1:r0=1; {2}allowed/);
  t.regex(text, /Allowed by lkmm but not seen on hw \(2\):\n +0:r0=0; 1:r0=1;\n +0:r0=1; 1:r0=0;/);
  t.notRegex(text, /OUTSIDE/);
});

test('stateSatisfies reads a printed state against the condition', (t) => {
  t.true(stateSatisfies(sb, '0:r0=0; 1:r0=0;'));
  t.false(stateSatisfies(sb, '0:r0=0; 1:r0=1;'));
});

test("the model's flags are herd7's `Flag data-race` lines, where herd7 prints them", (t) => {
  const racy = parseLitmus(
    `C MP+plain\n{}
     P0(int *x, int *y) { *x = 1; WRITE_ONCE(*y, 1); }
     P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = *x; }
     exists (1:r0=1 /\\ 1:r1=0)`,
    'MP+plain.litmus',
  );
  const v = checkModel(racy, 'lkmm');
  const alone = formatLitmusReport({ test: racy, verdict: v, host: hostInfo() });
  t.regex(alone, /\nWitnesses Positive: 1 Negative: 3 .*\nFlag data-race\nObservation MP\+plain /);
  const hw = fakeHw(new Map([['1:r0=1; 1:r1=1;', 100]]));
  const withHw = formatLitmusReport({ test: racy, verdict: v, hw, host: hostInfo() });
  t.regex(withHw, /\nmodel lkmm: Sometimes .*\nFlag data-race\nhw /);
  // And none for a test without plain accesses.
  t.notRegex(formatLitmusReport({ test: sb, verdict, host: hostInfo() }), /Flag/);
});
