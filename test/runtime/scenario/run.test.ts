// The runner on toy scenarios (../scenario-toys.ts): a deadlock and a livelock are stopped by the
// watchdog with the thread named and its last progress, the run still ends; an expected stall
// that does not come is a failure; a thread that throws or records an undeclared outcome is a
// failure naming it; counts add up exactly. No timing is asserted beyond "stopped".

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { STALL_OUTCOME } from '../../../src/kernel/scenario.ts';
import { loadScenarioFile } from '../../../src/runtime/scenario/load.ts';
import { type RunOptions, runScenario } from '../../../src/runtime/scenario/run.ts';
import { TICKS } from '../scenario-toys.ts';

const FILE = fileURLToPath(new URL('../scenario-toys.ts', import.meta.url));
/**
 * The stall window: long enough that a thread merely descheduled on a 2-core host at load 20
 * does not look stalled (1 s did); the tests run one at a time for the same reason (each starts
 * 1–3 spinning workers).
 */
const STALL = 5;

async function run(exportName: string, opts: RunOptions = {}) {
  return runScenario(await loadScenarioFile(FILE, exportName), { stallSeconds: STALL, ...opts });
}

test.serial(
  'a deadlock (ABBA spinlocks) is stopped by the watchdog, blaming a thread stuck taking its second lock',
  async (t) => {
    const r = await run('deadlock');
    const v = r.variants[0]!;
    t.is(v.stoppedBy, 'stall');
    t.is(v.stall?.reason, 'no progress');
    t.true(['P0', 'P1'].includes(v.stall!.thread));
    t.is(v.stall!.lastNote, v.stall!.thread === 'P0' ? 'holds a, taking b' : 'holds b, taking a');
    t.deepEqual(
      v.stall!.threads.map((p) => [p.thread, p.state, p.lastNote]),
      [
        ['P0', 'body', 'holds a, taking b'],
        ['P1', 'body', 'holds b, taking a'],
      ],
    );
    t.deepEqual(v.outcomes.at(-1), { outcome: STALL_OUTCOME, count: 1, grade: 'forbidden' });
    t.deepEqual(
      r.failures.map((f) => f.kind),
      ['stall'],
    );
    t.regex(
      r.failures[0]!.message,
      /^abba: stalled \(no progress\): thread P[01], silent [\d.]+ s, last progress "holds/,
    );
  },
);

test.serial(
  'an expected livelock is reported but is no failure; its absence is; a thread ignoring stop is caught',
  async (t) => {
    const r = await run('spinner', { timeSeconds: 0.5 });
    const [livelock, progress, ignore] = r.variants;
    t.is(livelock!.stall?.reason, 'no progress');
    t.is(livelock!.stall?.thread, 'spinner');
    t.is(livelock!.stall?.lastNote, 'entering the spin');
    t.is(livelock!.outcomes.at(-1)?.grade, 'expected');
    t.is(progress!.stall, undefined);
    t.is(progress!.stoppedBy, 'time');
    t.is(ignore!.stall?.reason, 'did not stop');
    t.regex(ignore!.stall!.lastNote, /^(odd|even) pass$/);
    t.deepEqual(
      r.failures.map((f) => [f.variant, f.kind]),
      [
        ['progress', 'missing-stall'],
        ['ignore', 'stall'],
      ],
    );
  },
);

test.serial(
  'a thread that throws, or observes an undeclared outcome, fails its variant by name; the others are stopped',
  async (t) => {
    const r = await run('broken', { timeSeconds: 20 });
    const [throws, undeclared] = r.variants;
    t.is(throws!.stoppedBy, 'error');
    t.is(throws!.error, 'worker: boom at step 3');
    t.is(
      undeclared!.error,
      'worker: scenario toy-broken: worker recorded outcome "nonsense", which the scenario does not declare (declared: "fine")',
    );
    t.true(throws!.elapsedSeconds < 20, 'the bystander was stopped, not left to the budget');
    t.deepEqual(
      r.failures.map((f) => [f.variant, f.kind]),
      [
        ['throws', 'error'],
        ['undeclared', 'error'],
      ],
    );
  },
);

test.serial(
  'iterations: outcomes add up to the iterations; counters and latency samples to threads × iterations',
  async (t) => {
    const r = await run('counting', { iterations: 50 });
    const v = r.variants[0]!;
    t.is(v.iterations, 50);
    t.is(v.stoppedBy, 'iterations');
    t.deepEqual(
      v.outcomes.map((o) => [o.outcome, o.count]),
      [
        ['results 0+1+2', 50],
        ['results wrong', 0],
      ],
    );
    t.deepEqual(v.counters, [{ name: 'ticks', value: 150 }]);
    const lat = v.latencies[0]!;
    t.is(lat.count, 150);
    t.is(lat.maxNs, 2005);
    t.is(lat.meanNs, (5 + 1005 + 2005) / 3);
    t.true(Math.abs(lat.p50Ns - 1005) <= 1005 / 16, `p50 ${lat.p50Ns} within a bucket of 1005`);
    t.deepEqual(r.failures, []);
  },
);

test.serial(
  'long-running: observed outcomes add up, the arbiter sees what the threads returned',
  async (t) => {
    const r = await run('ticking');
    const v = r.variants[0]!;
    t.is(v.stoppedBy, 'done');
    t.deepEqual(
      v.outcomes.map((o) => [o.outcome, o.count]),
      [
        ['tick', 2 * TICKS],
        ['returned 7', 1],
      ],
    );
    t.is(JSON.parse(JSON.stringify(r)).variants[0].outcomes[0].count, 2 * TICKS, 'plain JSON data');
  },
);

test.serial('an AbortSignal stops the running variant at once and skips the rest', async (t) => {
  const ac = new AbortController();
  const r = await run('spinner', {
    variants: ['progress', 'ignore'],
    timeSeconds: 60,
    signal: ac.signal,
    // Abort once the first variant is running (every thread started: progress is reported).
    onProgress: () => ac.abort(),
  });
  t.deepEqual(
    r.variants.map((v) => [v.variant, v.stoppedBy]),
    [['progress', 'signal']],
  );
  t.true(r.variants[0]!.elapsedSeconds < 60);
});
