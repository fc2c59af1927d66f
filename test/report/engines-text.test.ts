// The --engine table's comparison line: which final states some engines of a backend reached
// and others did not. A run cut short by Ctrl-C (a browser stopped while it started has 0 runs)
// is not compared: the states it had not reached yet say nothing about its engine.

import test from 'ava';
import { differLine, type EngineRow } from '../../src/report/engines-text.ts';
import type { RunsResult } from '../../src/runtime/litmus/run.ts';

const row = (engine: string, states: string[], partial = false): EngineRow => ({
  engine,
  backend: 'hw',
  runs: {
    histogram: new Map(states.map((s) => [s, { values: [], count: 1 }])),
    partial,
  } as unknown as RunsResult,
});
const A = '0:r0=0; 1:r0=1;';
const B = '0:r0=1; 1:r0=0;';
const W = '0:r0=0; 1:r0=0;';

test('a partial run is left out of the comparison, and the line says so', (t) => {
  const whole = [row('node', [A, B, W]), row('bun', [A, B, W])];
  t.is(differLine('hw', whole, [A, B, W], false), 'every engine reached the same final states');
  t.is(
    differLine('hw', [...whole, row('deno', [], true)], [A, B, W], false),
    'every engine reached the same final states (1 partial run not compared)',
  );
  t.is(
    differLine(
      'hw',
      [row('node', [A, B, W]), row('bun', [A, B]), row('deno', [A], true)],
      [A, B, W],
      true,
    ),
    `hw: seen on some engines only (1 partial run not compared): ${W}`,
  );
  t.is(
    differLine('hw', [row('node', [A]), row('deno', [], true)], [A], false),
    'one engine ran to the end (1 partial run not compared)',
  );
  t.is(differLine('hw', [row('node', [A])], [A], false), 'one engine ran');
});
