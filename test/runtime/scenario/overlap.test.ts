// The overlap estimate of an 'iterations' scenario (runtime/scenario/overlap.ts): copy k of a
// batch runs in each thread's k-th equal slice of its batch time, and counts when every
// thread's slice shares an instant; and how the text report says it (scenario-text.ts).

import test from 'ava';
import { formatScenarioResult, overlapLines } from '../../../src/report/scenario-text.ts';
import { overlappedCopies } from '../../../src/runtime/scenario/overlap.ts';
import type { ScenarioResult, VariantResult } from '../../../src/runtime/scenario/result.ts';
import { MIN_OVERLAPPED } from '../../../src/runtime/scenario/run.ts';

test('two threads in step overlap in every copy; one after the other in none', (t) => {
  t.is(overlappedCopies([0, 100, 0, 100], 2, 10), 10);
  t.is(overlappedCopies([0, 100, 100, 200], 2, 10), 0);
  t.is(overlappedCopies([0, 100, 200, 300], 2, 10), 0);
});

test('shifted by half a copy they still meet; by more than one copy, only where slices meet', (t) => {
  // Thread 1 starts 5 ms late, copies of 10 ms: copy k of both share 5 ms.
  t.is(overlappedCopies([0, 100, 5, 105], 2, 10), 10);
  // 25 ms late: thread 1's copy k runs while thread 0 is at copy k+2: never the same copy.
  t.is(overlappedCopies([0, 100, 25, 125], 2, 10), 0);
  // Thread 1 twice as fast: its copy k is thread 0's when k < 1 only (slices [0,10] and [0,5]).
  t.is(overlappedCopies([0, 100, 0, 50], 2, 10), 1);
});

test('three threads overlap in a copy only when all three are inside at once', (t) => {
  t.is(overlappedCopies([0, 100, 0, 100, 0, 100], 3, 4), 4);
  t.is(overlappedCopies([0, 100, 0, 100, 100, 200], 3, 4), 0);
});

const variant = (name: string, iterations: number, overlapped: number): VariantResult => ({
  variant: name,
  description: name,
  elapsedSeconds: 8,
  iterations,
  overlapped,
  stoppedBy: 'time',
  outcomes: [{ outcome: 'stale', count: 0, grade: 'forbidden' }],
  counters: [],
  latencies: [],
  stall: undefined,
  stallGrade: 'forbidden',
  error: undefined,
});

test('the table says how much the threads overlapped, and a short overlap gets a line', (t) => {
  const vs = [variant('met', 50_000, 20_000), variant('apart', 50_000, 12)];
  t.deepEqual(overlapLines(vs), [
    `apart: the threads overlapped in 12 of 50,000 races in 8.0 s (fewer than ${MIN_OVERLAPPED.toLocaleString('en-US')}: a busy machine, or bodies too short to meet); a 0 there may only mean they never met`,
  ]);
  const text = formatScenarioResult({
    scenario: 's',
    description: 'd',
    file: 's.ts',
    hash: 'h',
    refs: [],
    kind: 'iterations',
    date: '2026-12-06T00:00:00Z',
    backend: 'hw',
    memory: 'x86',
    seed: 1,
    host: {
      arch: 'x64',
      cpuModel: 'cpu',
      cores: 2,
      os: 'Linux',
      engine: { name: 'node', version: '20', jsEngine: 'V8', jsVersion: '11', flags: [] },
    },
    options: { variants: ['met', 'apart'], timeSeconds: 2, stallSeconds: 2, iterations: undefined },
    threads: ['a', 'b'],
    variants: vs,
    failures: [],
    notes: [],
  } satisfies ScenarioResult);
  t.regex(text, /^threads overlapped +20,000 \(40%\) +12 \(0\.0%\)$/m);
  t.regex(text, /^Overlap\n {2}apart: the threads overlapped in 12 of 50,000 races/m);
});
