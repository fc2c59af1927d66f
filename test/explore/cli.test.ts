// `smplab run SCENARIO --on model` as a user runs it: the table's cells (reachable, or never
// with how far it holds), the JSON record per variant, --loop-bound's bounded answer, a budget
// that runs out leaving a labelled partial answer, and --loop-bound refused where it means
// nothing.

import test from 'ava';
import { smplab } from '../cli/smplab.ts';

test('run atomic-bool --on model --model tso: never, exhaustively, in every variant', async (t) => {
  const r = await smplab('run', 'atomic-bool', '--on', 'model', '--model', 'tso');
  t.is(r.code, 0, r.stderr);
  const row = r.stdout.split('\n').find((l) => l.startsWith('flag seen, data stale'));
  t.truthy(row, r.stdout);
  t.is(row!.match(/never — exhaustive, 5 executions/g)?.length, 4, row);
  t.regex(r.stdout, /^model tso: every execution of the model instance \(one publication/m);
});

test("the JSON record has each variant's extent and every outcome's verdict", async (t) => {
  const r = await smplab('run', 'atomic-bool', '--on', 'model', '--variant', 'once', '--json');
  t.is(r.code, 0, r.stderr);
  const record = JSON.parse(r.stdout);
  const model = record.backends.model;
  t.is(model.model, 'lkmm');
  t.deepEqual(
    model.variants.map((v: { variant: string; extent: { kind: string } }) => [
      v.variant,
      v.extent.kind,
    ]),
    [['once', 'exhaustive']],
  );
  t.deepEqual(
    model.variants[0].outcomes.map((o: { outcome: string; verdict: string }) => [
      o.outcome,
      o.verdict,
    ]),
    [
      ['flag seen, data fresh', 'reachable'],
      ['flag seen, data stale', 'reachable'],
      ['flag not seen (reader gave up)', 'reachable'],
    ],
  );
});

test('--loop-bound 1: a never within the bound, with the cut counted', async (t) => {
  const r = await smplab(
    'run',
    'atomic-bool',
    '--on',
    'model',
    '--variant',
    'wmb-rmb',
    '--loop-bound',
    '1',
  );
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /never within loop bound 1 \(\d+ executions; \d+ cut at the bound\)/);
  t.notRegex(r.stdout, /exhaustive/);
});

test('a budget that runs out leaves a labelled partial answer', async (t) => {
  const r = await smplab(
    'run',
    'pf-invalidate-race',
    '--on',
    'model',
    '--variant',
    'full-check',
    '--model-timeout',
    '0.5',
  );
  // The budget runs from when the worker takes the variant up (not from when it was queued):
  // what 0.5 s reaches depends on the load, and a forbidden outcome found by then is a FAILURE.
  t.is(r.code, /^FAILURE /m.test(r.stdout) ? 1 : 0, r.stderr);
  t.regex(r.stdout, /gave up after the budget: \d+ executions?, about \d+%/);
});

test('--loop-bound does not apply to a litmus test', async (t) => {
  const r = await smplab('run', 'SB+poonceonces', '--loop-bound', '2');
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /--loop-bound does not apply to .*: it bounds the loops of a program scenario on the model; a litmus test has none/,
  );
});
