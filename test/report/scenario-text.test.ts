// The scenario table: variants side by side, grades next to counts, FAILURE lines for
// forbidden outcomes seen, the stall with its thread and last progress.

import test from 'ava';
import { formatScenarioResult } from '../../src/report/scenario-text.ts';
import type { ScenarioResult, VariantResult } from '../../src/runtime/scenario/result.ts';
import { failuresOf } from '../../src/runtime/scenario/result.ts';

function variant(name: string, stale: number, patch: Partial<VariantResult> = {}): VariantResult {
  return {
    variant: name,
    description: `${name} variant`,
    elapsedSeconds: 1,
    iterations: 1000 + stale,
    stoppedBy: 'time',
    outcomes: [
      { outcome: 'flag seen, data fresh', count: 1000, grade: 'acceptable' },
      {
        outcome: 'flag seen, data stale',
        count: stale,
        grade: name === 'once' ? 'interesting' : 'forbidden',
      },
    ],
    counters: [],
    latencies: [
      { name: 'flag visible', count: 10, p50Ns: 250, p99Ns: 1500, maxNs: 2_500_000, meanNs: 400 },
    ],
    stall: undefined,
    stallGrade: 'forbidden',
    error: undefined,
    ...patch,
  };
}

function result(variants: VariantResult[]): ScenarioResult {
  return {
    scenario: 'atomic-bool',
    description: 'publish data then a flag',
    file: 'scenarios/atomic-bool.ts',
    hash: '0123456789abcdef',
    refs: [],
    kind: 'iterations',
    date: '2026-11-24T21:00:00.000Z',
    backend: 'hw',
    memory: 'x86',
    seed: 1,
    host: {
      arch: 'x64',
      cpuModel: 'AMD EPYC',
      cores: 2,
      os: 'Linux',
      engine: { name: 'node', version: '20.20.2', jsEngine: 'V8', jsVersion: '11.3', flags: [] },
    },
    options: {
      variants: variants.map((v) => v.variant),
      timeSeconds: 1,
      stallSeconds: 2,
      iterations: undefined,
    },
    threads: ['writer', 'reader'],
    variants,
    failures: variants.flatMap(failuresOf),
    notes: ['x86 is TSO'],
  };
}

test('outcome and metric tables, variants side by side, then failures and notes', (t) => {
  const text = formatScenarioResult(result([variant('once', 3), variant('wmb-rmb', 2)]));
  t.is(
    text,
    [
      'Scenario atomic-bool  (scenarios/atomic-bool.ts)',
      'publish data then a flag',
      'hw x64 AMD EPYC, 2 CPUs, node 20.20.2 (V8 11.3), memory x86; iterations, threads writer, reader; 1 s per variant; 2026-11-24T21:00:00.000Z',
      '',
      'Outcome                            once              wmb-rmb',
      'flag seen, data fresh  1,000 acceptable     1,000 acceptable',
      'flag seen, data stale     3 interesting  2 forbidden FAILURE',
      'iterations                        1,003                1,002',
      'elapsed                   1.00 s (time)        1.00 s (time)',
      '',
      'Metric                   once  wmb-rmb',
      'flag visible p50       250 ns   250 ns',
      'flag visible p99      1.50 µs  1.50 µs',
      'flag visible max      2.50 ms  2.50 ms',
      'flag visible samples       10       10',
      '',
      'Variants',
      '  once: once variant',
      '  wmb-rmb: wmb-rmb variant',
      '',
      'FAILURE wmb-rmb: "flag seen, data stale" is forbidden in this variant but was seen 2 times',
      '',
      'Notes',
      '  x86 is TSO',
      '',
    ].join('\n'),
  );
});

test('a stall: its grade, the blamed thread, every thread’s state and last note', (t) => {
  const stall = {
    reason: 'no progress' as const,
    thread: 'zapper',
    lastNote: 'yielded at gfn 512',
    silentSeconds: 2.04,
    threads: [
      {
        thread: 'zapper',
        heartbeats: 1234,
        lastNote: 'yielded at gfn 512',
        silentSeconds: 2.04,
        state: 'body' as const,
      },
      {
        thread: 'vcpu0',
        heartbeats: 99,
        lastNote: 'fault served',
        silentSeconds: 0.01,
        state: 'done' as const,
      },
    ],
  };
  const v = variant('once', 0, { stall, stallGrade: 'expected', stoppedBy: 'stall' });
  const text = formatScenarioResult(result([v]));
  t.true(
    text.includes(
      '  once: no progress, expected: thread zapper silent 2.0 s, last progress "yielded at gfn 512"',
    ),
  );
  t.true(
    text.includes(
      '    zapper       body            1,234 heartbeats, silent 2.0 s, last "yielded at gfn 512"',
    ),
  );
  t.false(text.includes('FAILURE'), 'an expected stall is no failure');
});
