// The explorer replays a scenario's code and needs the same run from the same answers
// (src/explore/determinism.ts, thread.ts): every host source of time and randomness is refused
// by name at the line that calls it, and the host's functions are back as they were after; code
// that keeps state between runs is refused where its replay first differs, not given a verdict.

import nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { exploreVariant } from '../../src/explore/scenario.ts';
import { defineScenario, READ_ONCE, WRITE_ONCE } from '../../src/kernel/index.ts';
import type { Scenario } from '../../src/kernel/scenario.ts';
import type { ModelName } from '../../src/model/core/base.ts';

const FILE = fileURLToPath(import.meta.url);
const LINES = readFileSync(FILE, 'utf8').split('\n');
/** The 1-based line of this file holding `text` (once). */
const lineOf = (text: string) => LINES.findIndex((l) => l.includes(text)) + 1;
/** The line of a row of CALLS' call: the first arrow at or after its label. */
const callLine = (label: string) =>
  LINES.findIndex((l, i) => i >= lineOf(`'${label}',`) - 1 && l.includes('=>')) + 1;

const lkmm = { model: 'lkmm' as ModelName, timeoutMs: 60_000 };

/** p0 writes x from `value()` (before its first read, so every replay makes the call). */
function hostValue(value: () => number): Scenario {
  const s = defineScenario({
    name: 'host-value',
    description: 'p0 writes a value from the host',
    kind: 'iterations',
    memory: { x: 'int', y: 'int' },
    variants: { v: 'the one' },
    threads: {
      p0(_cpu, m) {
        WRITE_ONCE(m.x, Math.abs(Math.floor(value())) % 2);
        READ_ONCE(m.y);
      },
      p1(_cpu, m) {
        WRITE_ONCE(m.y, 1);
        return READ_ONCE(m.x);
      },
    },
    arbiter: (m) => (m.x.mem.load(m.x.i) === 1 ? 'one' : 'zero'),
    outcomes: { one: 'acceptable', zero: 'acceptable' },
  });
  return { ...s, file: FILE };
}

// One row per trap: a label (unique in this file, to find its line), the call as refused, the call.
const CALLS: [label: string, call: string, value: () => number][] = [
  ['new-date', 'new Date()', () => new Date().getUTCSeconds()],
  ['date-fn', 'Date()', () => Date().length],
  ['date-now', 'Date.now()', () => Date.now()],
  ['perf-now', 'performance.now()', () => performance.now()],
  ['perf-mark', 'performance.mark()', () => performance.mark('m').startTime],
  ['perf-measure', 'performance.measure()', () => performance.measure('m').duration],
  ['hrtime', 'process.hrtime()', () => process.hrtime()[1]],
  ['hrtime-bigint', 'process.hrtime.bigint()', () => Number(process.hrtime.bigint() % 1000n)],
  ['uptime', 'process.uptime()', () => process.uptime() * 1e6],
  ['cpu-usage', 'process.cpuUsage()', () => process.cpuUsage().user],
  ['resource-usage', 'process.resourceUsage()', () => process.resourceUsage().userCPUTime],
  ['os-uptime', 'os.uptime()', () => os.uptime()],
  ['math-random', 'Math.random()', () => Math.random() * 2],
  ['get-random', 'crypto.getRandomValues()', () => crypto.getRandomValues(new Uint32Array(1))[0]!],
  ['uuid', 'crypto.randomUUID()', () => crypto.randomUUID().charCodeAt(0)],
  ['node-bytes', 'crypto.randomBytes()', () => nodeCrypto.randomBytes(1)[0]!],
  [
    'node-fill-sync',
    'crypto.randomFillSync()',
    () => nodeCrypto.randomFillSync(new Uint8Array(1))[0]!,
  ],
  [
    'node-fill',
    'crypto.randomFill()',
    () => Number(nodeCrypto.randomFill(new Uint8Array(1), () => {})),
  ],
  ['node-int', 'crypto.randomInt()', () => nodeCrypto.randomInt(2)],
  ['node-uuid', 'crypto.randomUUID()', () => nodeCrypto.randomUUID().charCodeAt(0)],
  [
    'node-get-random',
    'crypto.getRandomValues()',
    () => nodeCrypto.getRandomValues(new Uint8Array(1))[0]!,
  ],
];

/** Each trapped property's holder and key, as the host has them outside a run. */
const HOST: [object, string][] = [
  [globalThis, 'Date'],
  [Date, 'now'],
  [performance, 'now'],
  [performance, 'mark'],
  [performance, 'measure'],
  [Object.getPrototypeOf(performance) as object, 'now'],
  [process, 'hrtime'],
  [process.hrtime, 'bigint'],
  [process, 'uptime'],
  [process, 'cpuUsage'],
  [process, 'resourceUsage'],
  [os, 'uptime'],
  [Math, 'random'],
  [crypto, 'getRandomValues'],
  [Object.getPrototypeOf(crypto) as object, 'getRandomValues'],
  [Object.getPrototypeOf(crypto) as object, 'randomUUID'],
  [nodeCrypto, 'randomBytes'],
  [nodeCrypto, 'randomInt'],
  [nodeCrypto, 'randomUUID'],
];
const hostNow = () => HOST.map(([o, k]) => Object.getOwnPropertyDescriptor(o, k));

for (const [label, call, value] of CALLS)
  test(`${call} (${label}) is refused, naming the call and its line; the host's functions are back after`, (t) => {
    const before = hostNow();
    const e = t.throws(() => exploreVariant(hostValue(value), 'v', lkmm), {
      instanceOf: UserError,
    });
    t.is(
      e!.message,
      `scenario host-value, thread p0 calls ${call}: code explored on the model must be deterministic given its reads (use ${call.startsWith('crypto') || call === 'Math.random()' ? 'prandom_u32_state()' : 'ktime_get_ns()'}, which the explorer answers)`,
    );
    t.is((e as UserError).file, FILE);
    t.is((e as UserError).pos?.line, callLine(label));
    t.deepEqual(hostNow(), before);
  });

test('the host functions work again after a refusal, and a deterministic scenario is explored', (t) => {
  t.throws(() =>
    exploreVariant(
      hostValue(() => Math.random()),
      'v',
      lkmm,
    ),
  );
  t.true(new Date() instanceof Date);
  t.true(Date.now() > 0 && typeof Date() === 'string');
  t.is(process.hrtime.bigint() > 0n && process.hrtime().length, 2);
  t.is(crypto.randomUUID().length, 36);
  t.is(nodeCrypto.randomBytes(4).length, 4);
  const v = exploreVariant(
    hostValue(() => 1),
    'v',
    lkmm,
  );
  t.deepEqual(
    v.outcomes.map((o) => [o.outcome, o.executions > 0]),
    [
      ['one', true],
      ['zero', false],
    ],
  );
});

test('a Date made from a value, and Date.UTC, still work under the explorer (no clock read)', (t) => {
  const made = new Date(0);
  const v = exploreVariant(
    hostValue(
      () =>
        new Date(86_400_000).getUTCDate() + Date.UTC(1970, 0, 1) + (made instanceof Date ? 0 : 1),
    ),
    'v',
    lkmm,
  );
  // 2 (1970-01-02) is even: x = 0
  t.deepEqual(
    v.outcomes.map((o) => [o.outcome, o.executions > 0]),
    [
      ['one', false],
      ['zero', true],
    ],
  );
});

test('a refusal the code catches is refused all the same', (t) => {
  const caught = () => {
    try {
      return Math.random();
    } catch {
      return 0;
    }
  };
  t.throws(() => exploreVariant(hostValue(caught), 'v', lkmm), {
    message: /thread p0 calls Math\.random\(\)/,
  });
});

/** A scenario whose p0 is `code`, run with `runs` counting its runs (state kept between them). */
function counting(code: (m: { x: never; y: never }, runs: number) => void): Scenario {
  let runs = 0;
  const s = defineScenario({
    name: 'module-state',
    description: 'p0 keeps a count of its runs',
    kind: 'iterations',
    memory: { x: 'int', y: 'int' },
    variants: { v: 'the one' },
    threads: {
      p0(_cpu, m) {
        runs++;
        code(m as never, runs);
      },
      p1(_cpu, m) {
        WRITE_ONCE(m.y, 1);
      },
    },
    arbiter: (m) => (m.x.mem.load(m.x.i) === 1 ? 'first' : 'later'),
    outcomes: { first: 'acceptable', later: 'acceptable' },
  });
  return { ...s, file: FILE };
}

test('a write that changes between replays (a counter kept between runs) is refused at its line', (t) => {
  const s = counting((m, runs) => {
    WRITE_ONCE(m.x, runs); // count-before-read
    READ_ONCE(m.y);
  });
  const e = t.throws(() => exploreVariant(s, 'v', lkmm), { instanceOf: UserError });
  t.is(
    e!.message,
    "scenario module-state, thread p0: the code is not deterministic given its reads: replayed with the same answers, its event 1 is WRITE_ONCE's once write of 2 where the earlier run's was a once write of 1 (state kept between runs, or the host's clock or randomness?)",
  );
  t.is((e as UserError).file, FILE);
  t.is((e as UserError).pos?.line, lineOf('// count-before-read'));
});

test('a write after the last read that changes between runs is refused (a finished run is run twice)', (t) => {
  const s = counting((m, runs) => {
    READ_ONCE(m.y);
    WRITE_ONCE(m.x, runs); // count-after-read
  });
  const e = t.throws(() => exploreVariant(s, 'v', lkmm), { instanceOf: UserError });
  t.regex(
    e!.message,
    /^scenario module-state, thread p0: the code is not deterministic given its reads: replayed with the same answers, its event 2 is WRITE_ONCE's once write of \d+ where the earlier run's was a once write of \d+ /,
  );
  t.is((e as UserError).pos?.line, lineOf('// count-after-read'));
});

test('a read asked at another place on a replay is refused where it is asked', (t) => {
  const s = counting((m, runs) => {
    if (runs > 1) READ_ONCE(m.x); // read-only-on-replays
    READ_ONCE(m.y);
  });
  const e = t.throws(() => exploreVariant(s, 'v', lkmm), { instanceOf: UserError });
  t.is(
    e!.message,
    'scenario module-state, thread p0: the code is not deterministic given its reads: replayed with the same answers, it asked the value of a read at another location after 0 events where the earlier run asked the value of a read after 0',
  );
  t.is((e as UserError).pos?.line, lineOf('// read-only-on-replays'));
});

test('what a finished run observes differently on a second run with its answers is refused', (t) => {
  let runs = 0;
  const s = defineScenario({
    name: 'observes-runs',
    description: 'p0 observes whether it ran before',
    kind: 'iterations',
    memory: { y: 'int' },
    variants: { v: 'the one' },
    threads: {
      p0(cpu, m) {
        READ_ONCE(m.y);
        cpu.observe(runs++ === 0 ? 'first' : 'later');
      },
      p1(_cpu, m) {
        WRITE_ONCE(m.y, 1);
      },
    },
    arbiter: () => 'ran',
    outcomes: { first: 'acceptable', later: 'acceptable', ran: 'acceptable' },
  });
  t.throws(() => exploreVariant(s, 'v', lkmm), {
    message:
      /^the code is not deterministic given its reads: run twice with the same answers, it returned or observed \{"results":\[\],"observed":\["\w+"\]\}, then \{"results":\[\],"observed":\["later"\]\}$/,
  });
});

test('deterministic code that reads its answers many ways is explored (no false refusal)', (t) => {
  // the arbiter's and the threads' own Date(ms) and values computed from reads only
  const s = counting((m) => {
    const r = READ_ONCE(m.y);
    WRITE_ONCE(m.x, new Date(r * 1000).getTime() / 1000 + 1);
  });
  for (const model of ['sc', 'tso', 'lkmm'] as const) {
    const v = exploreVariant(s, 'v', { model, timeoutMs: 60_000 });
    t.deepEqual(
      v.outcomes.map((o) => [o.outcome, o.executions]),
      [
        ['first', 1],
        ['later', 1],
      ],
      model,
    );
  }
});
