// The litmus report never hides a state the model forbids, and grades the others.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadLitmus } from '../../src/litmus/load.ts';
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
    memory: 'x86',
    seed: 1,
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
