// `smplab run SCENARIO --on model` as a user runs it: the table's cells (reachable, or never
// with how far it holds), the JSON record per variant, --loop-bound's bounded answer, a budget
// that runs out leaving a labelled partial answer, --loop-bound refused where it means
// nothing, code that reads the host's clock or randomness refused with the call and its line,
// and --explain, --ablate and --dot as they print.

import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { DEFAULT_MODEL_TIMEOUT_S, DEFAULT_SCENARIO_MODEL_TIMEOUT_S } from '../../src/cli/flags.ts';
import { smplab } from '../cli/smplab.ts';

// The model's default budget (60 s a variant) is a user's; under a busy CI host an exhaustive answer of
// atomic-bool can take longer, and these tests assert exhaustive answers, not speed.
const BUDGET = ['--model-timeout', '900'] as const;

test('run atomic-bool --on model --model tso: never, exhaustively, in every variant', async (t) => {
  const r = await smplab('run', 'atomic-bool', '--on', 'model', '--model', 'tso', ...BUDGET);
  t.is(r.code, 0, r.stderr);
  const row = r.stdout.split('\n').find((l) => l.startsWith('flag seen, data stale'));
  t.truthy(row, r.stdout);
  t.is(row!.match(/never — exhaustive, 5 executions/g)?.length, 4, row);
  // How far each variant went, also where no outcome is never (then no cell else says it).
  const explored = r.stdout.split('\n').find((l) => l.startsWith('explored'));
  t.is(explored?.match(/exhaustive: 5 executions, [\d.]+ s/g)?.length, 4, explored);
  t.regex(r.stdout, /^model tso: every execution of the model instance \(one publication/m);
});

test("the JSON record has each variant's extent and every outcome's verdict", async (t) => {
  const r = await smplab('run', 'atomic-bool', '--on', 'model', '--variant', 'once', '--json');
  t.is(r.code, 0, r.stderr);
  const record = JSON.parse(r.stdout);
  // No --model-timeout: a scenario's default budget per variant, not a litmus test's 10 s.
  t.is(record.options.modelTimeout, DEFAULT_SCENARIO_MODEL_TIMEOUT_S);
  t.true(DEFAULT_SCENARIO_MODEL_TIMEOUT_S > DEFAULT_MODEL_TIMEOUT_S);
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
    ...BUDGET,
  );
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /never within loop bound 1 \(\d+ executions; \d+ cut at the bound\)/);
  t.notRegex(r.stdout, /exhaustive/);
});

test('a budget that runs out leaves a labelled partial answer', async (t) => {
  // Far too many executions for a second, however fast the explorer gets: the budget ends it.
  const file = fileURLToPath(new URL('../fixtures/scenarios/many-orders.ts', import.meta.url));
  const r = await smplab('run', file, '--on', 'model', '--model-timeout', '1', '--json');
  t.is(r.code, 0, r.stderr);
  const model = JSON.parse(r.stdout).backends.model;
  t.is(model.variants[0].extent.kind, 'gave-up');
  t.true(model.variants[0].extent.percent < 100);
  // What was not reached is not called never: unknown, the extent says why.
  for (const o of model.variants[0].outcomes as { verdict: string; executions: number }[])
    t.is(o.verdict, o.executions > 0 ? 'reachable' : 'unknown');
  const text = await smplab('run', file, '--on', 'model', '--model-timeout', '1');
  t.regex(text.stdout, /^PARTIAL \(the budget, --model-timeout or the heap, ran out\): only$/m);
  t.regex(text.stdout, /^never seen +gave up after the budget: [\d,]+ executions?, about \d+%$/m);
  t.regex(text.stdout, /^explored +gave up, about \d+%: [\d,]+ executions, [\d.]+ s$/m);
  t.notRegex(text.stdout, /never —|exhaustive/);
});

test('--loop-bound does not apply to a litmus test', async (t) => {
  const r = await smplab('run', 'SB+poonceonces', '--loop-bound', '2');
  t.is(r.code, 2);
  t.regex(
    r.stderr,
    /--loop-bound does not apply to .*: it bounds the loops of a program scenario on the model; a litmus test has none/,
  );
});

const CLOCK_READER = fileURLToPath(
  new URL('../fixtures/scenarios/clock-reader.ts', import.meta.url),
);

for (const [variant, call, instead] of [
  ['date', 'Date.now()', 'ktime_get_ns()'],
  ['random', 'Math.random()', 'prandom_u32_state()'],
  ['performance', 'performance.now()', 'ktime_get_ns()'],
] as const) {
  test(`a scenario that calls ${call} is refused on the model, the call and its line named`, async (t) => {
    const r = await smplab('run', CLOCK_READER, '--on', 'model', '--variant', variant);
    t.is(r.code, 2, r.stdout);
    // The call in the thread's code (the variants' descriptions name it too, above).
    const lines = readFileSync(CLOCK_READER, 'utf8').split('\n');
    const line = lines.length - [...lines].reverse().findIndex((l) => l.includes(call));
    t.is(
      r.stderr.trim(),
      `${CLOCK_READER}:${line}:${/:(\d+): /.exec(r.stderr)?.[1]}: scenario clock-reader, thread reader calls ${call}: code explored on the model must be deterministic given its reads (use ${instead}, which the explorer answers)`,
    );
  });
}

test('--explain, --ablate and --dot on a scenario: the explanation of each variant, the ablation table, a picture per variant', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'smplab-explain-'));
  const dot = join(dir, 'stale.dot');
  const r = await smplab(
    'run',
    'atomic-bool',
    '--on',
    'model',
    '--variant',
    'once',
    '--variant',
    'wmb-rmb',
    '--explain',
    'data stale',
    '--ablate',
    '--dot',
    dot,
    ...BUDGET,
  );
  t.is(r.code, 0, r.stderr);
  const sections = r.stdout.split(/\n{2,}/);
  t.deepEqual(
    [...r.stdout.matchAll(/^Explanation\n(.*)$/gm)].map((m) => m[1]!.replace(/ — .*/, '')),
    [
      '"flag seen, data stale" in atomic-bool once under lkmm: reachable',
      '"flag seen, data stale" in atomic-bool wmb-rmb under lkmm: never',
    ],
  );
  t.regex(r.stdout, /^ {4}atomic-bool\.ts:\d+ +READ_ONCE\(\) +R data=0 from the initial value$/m);
  const ablation = sections.find((s) => s.startsWith('Ablation of atomic-bool under lkmm'));
  t.truthy(ablation, r.stdout);
  const rows = ablation!.split('\n').slice(2);
  t.deepEqual(
    rows.map((l) => l.split(/ {2,}/).slice(0, 5)),
    [
      [
        'wmb-rmb',
        `smp_wmb() at atomic-bool.ts:${lineIn('smp_wmb();')}`,
        'writer',
        'removed',
        'yes: reaches "flag seen, data stale" (forbidden)',
      ],
      [
        'wmb-rmb',
        `smp_rmb() at atomic-bool.ts:${lineIn('smp_rmb();')}`,
        'reader',
        'removed',
        'yes: reaches "flag seen, data stale" (forbidden)',
      ],
      ['No ordering call to weaken in: once'],
    ],
  );
  for (const variant of ['once', 'wmb-rmb']) {
    const file = join(dir, `stale.${variant}.dot`);
    t.true(existsSync(file), file);
    t.regex(readFileSync(file, 'utf8'), /^digraph execution \{/);
  }
  t.regex(r.stdout, /^Execution graphs written to .*stale\.once\.dot and .*stale\.wmb-rmb\.dot$/m);
});

/** The line of scenarios/atomic-bool.ts holding `text` (once). */
function lineIn(text: string): number {
  const lines = readFileSync(
    fileURLToPath(new URL('../../scenarios/atomic-bool.ts', import.meta.url)),
    'utf8',
  ).split('\n');
  return lines.findIndex((l) => l.includes(text)) + 1;
}

test('a deadlock: a row and each waiting CPU with its line in the text, the same in the JSON record', async (t) => {
  const file = fileURLToPath(new URL('../fixtures/scenarios/abba.ts', import.meta.url));
  const lineOf = (text: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;
  const [p0, p1] = [lineOf('p0 waits here'), lineOf('p1 waits here')];
  const text = await smplab('run', file, '--on', 'model', '--model', 'sc', ...BUDGET);
  t.is(text.code, 0, text.stderr);
  t.regex(
    text.stdout,
    /^deadlock +DEADLOCK: p0, p1 wait for good +never — exhaustive, 2 executions$/m,
  );
  t.true(
    text.stdout.includes(
      [
        'abba: DEADLOCK: an execution in which every CPU that has not finished waits for good:',
        `  p0 waits at spin_lock(b), held by p1 (spin_lock() at abba.ts:${p0})`,
        `  p1 waits at spin_lock(a), held by p0 (spin_lock() at abba.ts:${p1})`,
      ].join('\n'),
    ),
    text.stdout,
  );
  const json = await smplab('run', file, '--on', 'model', '--model', 'sc', '--json', ...BUDGET);
  t.is(json.code, 0, json.stderr);
  const [abba, ordered] = JSON.parse(json.stdout).backends.model.variants;
  t.deepEqual(abba.deadlock, {
    threads: [
      {
        thread: 'p0',
        waits: 'spin_lock(b), held by p1',
        call: 'spin_lock',
        file: 'abba.ts',
        line: p0,
      },
      {
        thread: 'p1',
        waits: 'spin_lock(a), held by p0',
        call: 'spin_lock',
        file: 'abba.ts',
        line: p1,
      },
    ],
    finished: [],
  });
  t.is(ordered.deadlock, undefined);
});
