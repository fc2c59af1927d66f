// ktime_get_ns() on the explorer (src/explore/clock.ts): each read after a CPU's first is an
// explored gap, a moment or past any deadline, so a timeout may fire at any read; what two gaps
// cannot give (a window, one CPU's time against another's) leaves every never of a variant whose
// code read the clock saying "clock aside". ndelay() and the lab's latency stamps (cpu.stamp())
// make no choice, and a loop that polls only the clock ends at the loop bound.

import test from 'ava';
import { explainOutcome } from '../../src/explore/explain.ts';
import { exploreVariant, type VariantVerdict } from '../../src/explore/scenario.ts';
import {
  cpu_relax,
  defineScenario,
  ktime_get_ns,
  ndelay,
  READ_ONCE,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import { MODELS } from '../../src/model/core/base.ts';
import { notReached } from '../../src/report/scenario-model-text.ts';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { executions } from './tiny-scenario.ts';

const under = (model: (typeof MODELS)[number]) => ({ model, timeoutMs: 60_000 });
const clockAside = (v: VariantVerdict) => (v.extent as { clockAside?: true }).clockAside === true;

/** A waiter looks for a flag up to three times, and stops early once 10 ms have passed. */
const TIMEOUT = defineScenario({
  name: 'timeout',
  description: 'three looks for a flag, or fewer if 10 ms pass',
  kind: 'iterations',
  memory: { flag: 'int' },
  variants: { v: 'the setter sets the flag once' },
  threads: {
    waiter(_cpu, m) {
      const deadline = ktime_get_ns() + 10_000_000;
      for (let look = 0; look < 3; look++) {
        if (READ_ONCE(m.flag) === 1) return [1, look];
        if (ktime_get_ns() > deadline) return [2, look];
        cpu_relax();
      }
      return [0, 3];
    },
    setter(_cpu, m) {
      WRITE_ONCE(m.flag, 1);
    },
  },
  arbiter: (_m, r) => {
    const [how, look] = r.waiter!;
    if (how === 2) return look === 0 ? 'timed out at the first look' : 'timed out later';
    return how === 1 ? 'saw the flag' : 'gave up';
  },
  outcomes: {
    'gave up': 'acceptable',
    'saw the flag': 'acceptable',
    'timed out at the first look': 'acceptable',
    'timed out later': 'acceptable',
  },
});

test('a timeout may fire at any read of the clock, or not at all, under every model', (t) => {
  for (const model of MODELS) {
    const v = exploreVariant(TIMEOUT, 'v', under(model));
    for (const o of v.outcomes) t.true(o.executions > 0, `${model}: ${o.outcome}`);
    t.true(clockAside(v), model);
  }
});

// --explain says which gap each read took: the witness of a timeout at the first look is an
// hour between the waiter's two reads.
test("--explain shows each read's gap", (t) => {
  const outcome = 'timed out at the first look';
  const v = exploreVariant(TIMEOUT, 'v', { ...under('sc'), explain: outcome });
  const e = explainOutcome(TIMEOUT, v, outcome);
  const answers = e.witness!.threads[0]!.calls.flatMap((c) => c.answers);
  t.deepEqual(answers, ['ktime_get_ns: an hour later']);
});

/** The time between two reads must fall inside (1 ms, 2 ms): two gaps never do. */
const WINDOW = defineScenario({
  name: 'window',
  description: 'an elapsed time inside a window',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'one reader' },
  threads: {
    reader(_cpu, m) {
      const t0 = ktime_get_ns();
      READ_ONCE(m.x);
      const dt = ktime_get_ns() - t0;
      return dt > 1_000_000 && dt < 2_000_000 ? 1 : 0;
    },
  },
  arbiter: (_m, r) => (r.reader![0] === 1 ? 'in the window' : 'outside'),
  outcomes: { 'in the window': 'acceptable', outside: 'acceptable' },
});

// The kernel can take 1.5 ms between the two reads. The explorer's moment (1 ns) and hour miss
// the window: its never must say so, not stand as exhaustive.
test('a never the two gaps cannot vouch for says clock aside', (t) => {
  const v = exploreVariant(WINDOW, 'v', under('sc'));
  t.true(executions(v, 'in the window') > 0 || clockAside(v));
  const never = notReached({ extent: v.extent, executions: v.stats.executions });
  t.regex(never, /clock aside/);
});

/** One CPU sends the time it started at; the other compares the time it started at with it. */
const ACROSS = defineScenario({
  name: 'across',
  description: "one CPU's time against another's",
  kind: 'iterations',
  memory: { sent: 'int' },
  variants: { v: 'one message' },
  threads: {
    sender(_cpu, m) {
      WRITE_ONCE(m.sent, ktime_get_ns() + 1);
    },
    receiver(_cpu, m) {
      const started = ktime_get_ns();
      const sent = READ_ONCE(m.sent);
      return sent > started + 1 ? 1 : 0;
    },
  },
  arbiter: (_m, r) => (r.receiver![0] === 1 ? 'sender started later' : 'not later'),
  outcomes: { 'sender started later': 'acceptable', 'not later': 'acceptable' },
});

// Every CPU's clock starts at 0 on the explorer, so the sender never starts later there; the
// kernel's sender may (it ran after the receiver began). Its never must say so.
test("one CPU's time compared with another's leaves its never saying clock aside", (t) => {
  const v = exploreVariant(ACROSS, 'v', under('lkmm'));
  t.true(executions(v, 'sender started later') > 0 || clockAside(v));
});

/** A loop that polls only the clock (no memory access, no cpu_relax()). */
const POLL = defineScenario({
  name: 'poll',
  description: 'a busy-wait on the clock alone',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'one waiter' },
  threads: {
    waiter() {
      const end = ktime_get_ns() + 1_000;
      while (ktime_get_ns() < end) {
        // nothing but the clock
      }
      return 1;
    },
  },
  arbiter: () => 'waited',
  outcomes: { waited: 'acceptable', 'not waited': 'acceptable' },
});

// Each read with no event since the last is a pass of the loop bound: the moments' path is cut
// there (a thousand 1 ns moments would get out; the search stops at the bound and says so).
test('a loop that polls only the clock ends at the loop bound', (t) => {
  const v = exploreVariant(POLL, 'v', under('sc'));
  t.true(executions(v, 'waited') > 0);
  t.is(v.extent.kind, 'bounded');
  t.true(clockAside(v));
});

/** ndelay() between two reads of the clock, and a long one alone. */
const DELAY = defineScenario({
  name: 'delay',
  description: 'ndelay on the explorer',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { timed: 'ndelay between two reads', alone: 'ndelay with no read' },
  threads: {
    worker(_cpu, m, variant) {
      if (variant === 'alone') {
        ndelay(3_600_000_000_000);
        WRITE_ONCE(m.x, 1);
        return 1;
      }
      const t0 = ktime_get_ns();
      ndelay(500);
      return ktime_get_ns() - t0 >= 500 ? 1 : 0;
    },
  },
  arbiter: (_m, r) => (r.worker![0] === 1 ? 'waited long enough' : 'too short'),
  outcomes: { 'waited long enough': 'acceptable', 'too short': 'acceptable' },
});

test('ndelay() moves the clock on at once, with no choice of its own', (t) => {
  const timed = exploreVariant(DELAY, 'timed', under('sc'));
  t.is(executions(timed, 'too short'), 0);
  // the second read's two gaps, nothing more
  t.is(executions(timed, 'waited long enough'), 2);
  const alone = exploreVariant(DELAY, 'alone', under('sc'));
  t.is(alone.stats.executions, 1);
  t.deepEqual(alone.extent, { kind: 'exhaustive' });
});

/** Latency stamps around memory accesses, as mmu-lock-yield's zap and faults take them. */
const STAMPS = defineScenario({
  name: 'stamps',
  description: 'cpu.stamp() for a latency metric',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'one writer, one reader' },
  threads: {
    writer(cpu, m) {
      for (let i = 0; i < 5; i++) {
        const t0 = cpu.stamp();
        WRITE_ONCE(m.x, i);
        cpu.latency('write', cpu.stamp() - t0);
      }
    },
    reader(cpu, m) {
      const t0 = cpu.stamp();
      const x = READ_ONCE(m.x);
      cpu.latency('write', cpu.stamp() - t0);
      return x;
    },
  },
  arbiter: (_m, r) => (r.reader![0] === 4 ? 'last' : 'earlier'),
  outcomes: { last: 'acceptable', earlier: 'acceptable' },
  metrics: { write: 'latency' },
});

test('cpu.stamp() makes no choice and leaves a never plain', (t) => {
  const v = exploreVariant(STAMPS, 'v', under('lkmm'));
  // the reader reads one of six values, and nothing else is chosen
  t.is(v.stats.executions, 6);
  t.deepEqual(v.extent, { kind: 'exhaustive' });
});

// The seed scenarios time their latencies with cpu.stamp(): no never of theirs is clock aside.
test('the seed scenarios that take latencies read no clock on the explorer', async (t) => {
  for (const name of ['atomic-bool', 'mmu-lock-yield']) {
    const s = await loadScenario(name);
    const v = exploreVariant(s, s.variants[0]!.name, under('sc'));
    t.false(clockAside(v), name);
    t.not(v.extent.kind, 'gave-up', name);
  }
});

/** A thread that reads the clock twice, and an arbiter that reads it too. */
const ARBITER = defineScenario({
  name: 'arbiter-clock',
  description: "the arbiter's clock",
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'one writer, one reader' },
  threads: {
    writer(_cpu, m) {
      WRITE_ONCE(m.x, 1);
    },
    reader(_cpu, m) {
      ktime_get_ns();
      ktime_get_ns();
      return READ_ONCE(m.x);
    },
  },
  arbiter: () => (ktime_get_ns() > 0 ? 'late' : 'on time'),
  outcomes: { late: 'acceptable', 'on time': 'acceptable' },
});

// The arbiter runs on a CPU of its own, whose clock does not move: it used to reach the last
// thread's clock, whose run had ended, and a choice there escaped the search as a bare throw.
test("the arbiter's clock does not move, and a never that depends on it says clock aside", (t) => {
  const v = exploreVariant(ARBITER, 'v', under('sc'));
  t.is(executions(v, 'late'), 0);
  t.true(executions(v, 'on time') > 0);
  t.true(clockAside(v));
});

test('an arbiter that waits is refused, naming the call', (t) => {
  const waits = defineScenario({
    name: 'arbiter-waits',
    description: 'an arbiter that spins',
    kind: 'iterations',
    memory: { x: 'int' },
    variants: { v: 'one writer' },
    threads: {
      writer(_cpu, m) {
        WRITE_ONCE(m.x, 1);
      },
    },
    arbiter: () => {
      cpu_relax();
      return 'done';
    },
    outcomes: { done: 'acceptable' },
  });
  const e = t.throws(() => exploreVariant(waits, 'v', under('sc')));
  t.regex(e!.message, /scenario arbiter-waits, its arbiter: cpu_relax\(\): an arbiter judges/);
});
