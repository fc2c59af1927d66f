// Adversarial review of the explorer's lkmm claims (issue 15; docs/explore.md "Why, with no path
// cut at a cap, every execution lkmm accepts is reached", "Races aside", "Dependencies",
// "Deadlock", "Determinism"): small tests on which the explorer must give what the model gives, and the model
// what herd7 gives (herd7's answers recorded beside each test, herd7 -conf linux-kernel.cfg,
// 2026-12-07; herd7 itself never runs here).
//
// data/adversarial-lkmm/:
//   in-cycle/   load buffering closed through a plain access where a value is written only
//               inside the cycle (the guess domain of accepted executions misses it): D1-D3 a
//               value *computed* there (`WRITE_ONCE(*x, r1 + 1)`: in D3 no constant of the
//               program is the value the middle read needs), C1-C2 a cmpxchg's success;
//   generated/  tests of generate-data-lb.ts and generate-mixed-lb.ts (seed in the name) on which
//               the model equals herd7 and the explorer missed states, each a cycle through a
//               plain access (all found since a litmus test with a plain access guesses from its
//               IR's writes, static-guesses.ts);
//   herd7/      tests on which the *model* differs from herd7 (below: MODEL_NOT_HERD): a cycle
//               through a plain access whose values nothing determines (thin air), which herd7
//               keeps symbolic (`0:r0=S8`) and the model fills in from its value domains; and
//               one whose value herd7 derives from a cmpxchg's success and the domains lack.
// Program scenarios (defined below): A2, A5 and D1 written as code, deadlocks that only load
// buffering reaches, a spin-wait and an impure await, a call_rcu() callback run only at the
// caller's next RCU call, a grace-period poll that always says ended, a timeout on the logical
// clock, a pointer followed or read beside (dependencies: the no-dependency mark,
// rcu_dereference()), and code that reads the host's clock or randomness through calls the
// explorer does not trap, or keeps state between runs.
//
// A finding the explorer (or the model) still gets wrong is a `test.failing` naming what breaks.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { exploreLitmus } from '../../src/explore/litmus.ts';
import { exploreVariant } from '../../src/explore/scenario.ts';
import {
  call_rcu,
  cpu_relax,
  defineScenario,
  ktime_get_ns,
  plain_load,
  plain_store,
  poll_state_synchronize_rcu,
  READ_ONCE,
  rcu_assign_pointer,
  rcu_barrier,
  rcu_dereference,
  rcu_read_lock,
  rcu_read_unlock,
  smp_cond_load_acquire,
  smp_rmb,
  smp_wmb,
  spin_lock,
  spin_unlock,
  start_poll_synchronize_rcu,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import type { ModelInstance } from '../../src/kernel/scenario.ts';
import type { Test } from '../../src/litmus/ir.ts';
import { litmusFilesUnder, loadLitmus } from '../../src/litmus/load.ts';
import { checkModel } from '../../src/model/index.ts';
import { type HerdOut, herdOut } from '../litmus/herd-out.ts';
import { dataLbTest } from './generate-data-lb.ts';
import { mixedLbTest } from './generate-mixed-lb.ts';
import { executions } from './tiny-scenario.ts';

const DATA = fileURLToPath(new URL('data/adversarial-lkmm/', import.meta.url));

/** What the model, or the explorer fed the test's compiled code, says under lkmm, as herd7 prints it. */
function answer(t: Test, by: 'model' | 'explorer'): HerdOut {
  const v = by === 'model' ? checkModel(t, 'lkmm') : exploreLitmus(t, 'lkmm');
  return {
    states: [...v.states.keys()].map((s) => s.trim()).sort(),
    counts: `${v.positive}/${v.negative}`,
    observation: v.observation,
  };
}

const recorded = (t: Test): HerdOut => herdOut(readFileSync(`${t.file}.out`, 'utf8'));
const folder = (name: string) => litmusFilesUnder(`${DATA}${name}`).map(loadLitmus);
const inCycle = folder('in-cycle');
const generated = folder('generated');
const thinAir = folder('herd7');

test('the adversarial tests are all there', (t) => {
  t.deepEqual(
    inCycle.map((x) => x.name.split('-')[0]),
    ['C1', 'C2', 'D1', 'D2', 'D3'],
  );
  t.is(generated.length, 9);
  t.deepEqual(
    thinAir.map((x) => x.name.split('-')[0]),
    ['D4', 'M1', 'M2', 'MB5', 'MB6', 'MP', 'RD1'],
  );
});

for (const x of [...inCycle, ...generated])
  test(`model = herd7 on ${x.name}`, (t) => {
    t.deepEqual(answer(x, 'model'), recorded(x));
  });

// The value written only inside the cycle: a litmus test with a plain access guesses from every
// write its IR can make (xgap, src/explore/static-guesses.ts), which has it.
for (const x of [...inCycle, ...generated])
  test(`explorer = model on ${x.name} (a value written only inside a cycle through a plain access)`, (t) => {
    t.deepEqual(answer(x, 'explorer'), answer(x, 'model'));
  });

// The model once differed from herd7 here (the value domains of src/model/enumerate/values.ts):
//   - D4, M1, M2: it filled in a value herd7 leaves symbolic (a thin-air cycle through a plain
//     access): M1's r0=7 was Never under herd7 and Sometimes under the model; M2's S8 state and
//     D4's self-justifying executions were counted with domain values.
//   - MB5: it missed a value herd7 derives from a cmpxchg's success (`cmpxchg_relaxed(z, 1, 3)`
//     succeeding pins z to 1, so `*x = r0 + 1` writes 2 and `WRITE_ONCE(*z, r1 - 1)` writes 1):
//     herd7 Sometimes 1/3, the model Never 0/5.
// src/model/solve now solves values as herd7 does (xmodel; test/model/thin-air.test.ts holds
// these tests too, with their states). MB6 is MB5 with the plain write marked: an hb cycle,
// Never under both. MP-addr and RD1 are the litmus forms of the pointer scenarios below (the
// model equals herd7 on both).
const MODEL_NOT_HERD: string[] = [];

const modelVsHerd = (t: { deepEqual(a: unknown, b: unknown): void }, x: Test) => {
  const model = answer(x, 'model');
  const herd = recorded(x);
  t.deepEqual(
    { counts: model.counts, observation: model.observation },
    { counts: herd.counts, observation: herd.observation },
  );
};

for (const x of thinAir)
  if (MODEL_NOT_HERD.includes(x.name.split('-')[0]!))
    test.failing(`model = herd7 on ${x.name} (a value the value domains get wrong)`, (t) =>
      modelVsHerd(t, x));
  else test(`model = herd7 on ${x.name}`, (t) => modelVsHerd(t, x));

/** The generated tests the explorer and the model answer differently, by name. */
function disagreements(tests: Test[]): string[] {
  return tests.flatMap((x) =>
    JSON.stringify(answer(x, 'explorer')) === JSON.stringify(answer(x, 'model')) ? [] : [x.name],
  );
}

// One-off runs (2026-12-07, the figures in this session's report): 300 marked and 1,000 with
// plain accesses of generate-data-lb.ts; 399 marked and 400 with plain accesses of
// generate-mixed-lb.ts; all equal since the guesses of a litmus test with a plain access come
// from its IR (static-guesses.ts; before, 18 of the 1,000 and 1 of the 400 missed states).
test('explorer = model on 60 generated data-dependency tests of marked accesses', (t) => {
  t.deepEqual(disagreements(Array.from({ length: 60 }, (_, i) => dataLbTest(i + 1, false))), []);
});

test('explorer = model on 60 generated data-dependency tests with plain accesses', (t) => {
  t.deepEqual(disagreements(Array.from({ length: 60 }, (_, i) => dataLbTest(i + 1, true))), []);
});

test('explorer = model on 24 generated mixed tests (locks, trylock, rmws, atomic_t, RCU, fences)', (t) => {
  const tests = Array.from({ length: 12 }, (_, i) => [
    mixedLbTest(i + 1),
    mixedLbTest(i + 1, true),
  ]);
  t.deepEqual(disagreements(tests.flat()), []);
});

// ---- Program scenarios ----

/**
 * Load-buffering cycles through a plain access, as code: A2 (a plain read; data/adversarial-
 * guesses/plain-thin-air/A2.litmus), A5 (a plain write), D1 (data/adversarial-lkmm/in-cycle/:
 * a value computed in the cycle), each with its litmus test's accesses and dependencies; and A2
 * with READ_ONCE(). herd7 allows the first three cycles (the data-race flag), forbids the last.
 */
function cyclesCode(name: string, model?: ModelInstance) {
  return defineScenario({
    name,
    description: 'load buffering closed through a plain access, as code',
    kind: 'iterations',
    memory: { x: 'int', y: 'int' },
    variants: {
      a2: 'p0 reads x plainly, writes y if it read 1',
      'a2-once': 'p0 reads x with READ_ONCE()',
      a5: 'p0 writes y plainly if it read 1',
      d1: 'p0 reads x plainly, writes y if it read 2; p1 writes x = what it read + 1',
    },
    threads: {
      p0(_cpu, m, variant) {
        if (variant === 'd1') {
          const r0 = plain_load(m.x);
          if (r0 === 2) WRITE_ONCE(m.y, 1);
          return r0;
        }
        const r0 = variant === 'a2' ? plain_load(m.x) : READ_ONCE(m.x);
        if (r0 === 1) variant === 'a5' ? plain_store(m.y, 1) : WRITE_ONCE(m.y, 1);
        return r0;
      },
      p1(_cpu, m, variant) {
        if (variant.startsWith('a2')) WRITE_ONCE(m.x, 2);
        const r1 = READ_ONCE(m.y);
        if (variant === 'd1') WRITE_ONCE(m.x, r1 + 1);
        else if (r1 === 1) WRITE_ONCE(m.x, 1);
        return r1;
      },
    },
    arbiter: (_m, r, variant) =>
      r.p1![0] === 1 && r.p0![0] === (variant === 'd1' ? 2 : 1) ? 'cycle' : 'other',
    outcomes: { cycle: 'interesting', other: 'acceptable' },
    ...(model && { model }),
  });
}
const CYCLES_CODE = cyclesCode('cycles-code');

const lkmm = { model: 'lkmm', timeoutMs: 60_000 } as const;

// The kernel's model accepts these cycles (herd7: Sometimes, with the data-race flag), so an
// unqualified never for them is wrong for the kernel's model (docs/explore.md "Known gap": the
// guess domain). Sound: reachable, or a never that says "races aside" (extent.racesAside).
const racesAside = (v: ReturnType<typeof exploreVariant>) =>
  (v.extent as { racesAside?: true }).racesAside === true;

for (const variant of ['a2', 'a5', 'd1'])
  test(`${variant} as code: the cycle through a plain access is reachable or its never says races aside`, (t) => {
    const v = exploreVariant(CYCLES_CODE, variant, lkmm);
    t.true(executions(v, 'cycle') > 0 || racesAside(v));
  });

test('A2 as code with READ_ONCE(): never, as the kernel has it (the control dependencies make an hb cycle)', (t) => {
  const v = exploreVariant(CYCLES_CODE, 'a2-once', lkmm);
  t.is(executions(v, 'cycle'), 0);
  t.is(executions(v, 'other'), 2);
  t.is(v.extent.kind, 'exhaustive');
});

/**
 * Each CPU waits for the other's flag only if it read the other's first write: both wait (a
 * deadlock) only when each read the other's write made after its own read (load buffering).
 */
const LB_DEADLOCK = defineScenario({
  name: 'lb-deadlock',
  description: 'a deadlock that only load buffering reaches',
  kind: 'iterations',
  memory: { x: 'int', y: 'int', go0: 'int', go1: 'int' },
  variants: { lb: { description: 'each waits if it saw the other', stall: 'expected' } },
  threads: {
    p0(_cpu, m) {
      const r0 = READ_ONCE(m.x);
      WRITE_ONCE(m.y, 1);
      if (r0 === 1) smp_cond_load_acquire(m.go0, (v) => v === 1);
      WRITE_ONCE(m.go1, 1);
    },
    p1(_cpu, m) {
      const r1 = READ_ONCE(m.y);
      WRITE_ONCE(m.x, 1);
      if (r1 === 1) smp_cond_load_acquire(m.go1, (v) => v === 1);
      WRITE_ONCE(m.go0, 1);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

test('a deadlock only load buffering reaches: found under lkmm, none under sc and tso', (t) => {
  const v = exploreVariant(LB_DEADLOCK, 'lb', lkmm);
  t.deepEqual(
    v.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind]),
    [
      [0, 'read'],
      [1, 'read'],
    ],
  );
  t.is(executions(v, 'done'), 3);
  for (const model of ['sc', 'tso'] as const) {
    const w = exploreVariant(LB_DEADLOCK, 'lb', { model, timeoutMs: 60_000 });
    t.is(w.stats.deadlock, undefined, model);
    t.is(executions(w, 'done'), 3, model);
  }
});

/** p0 writes x from the host's clock or randomness through `call`. */
function hostValue(call: string, value: () => number) {
  return defineScenario({
    name: 'host-value',
    description: `p0 writes a value from ${call}`,
    kind: 'iterations',
    memory: { x: 'int' },
    variants: { v: call },
    threads: {
      p0(_cpu, m) {
        WRITE_ONCE(m.x, Math.abs(Math.floor(value())) % 2);
      },
      p1(_cpu, m) {
        return READ_ONCE(m.x);
      },
    },
    arbiter: (m) => (m.x.mem.load(m.x.i) === 1 ? 'one' : 'zero'),
    outcomes: { one: 'acceptable', zero: 'acceptable' },
  });
}

test('Math.random() is refused, naming the call (the explorer traps it)', (t) => {
  const s = hostValue('Math.random()', () => Math.random() * 2);
  t.throws(() => exploreVariant(s, 'v', lkmm), { message: /Math\.random\(\)/ });
});

// Not trapped until xdet (determinism.ts trapped Date.now, Math.random, performance.now,
// process.hrtime only): each run of p0 could write another value, and the verdicts were whatever
// the replays happened to see; process.hrtime.bigint() failed with a TypeError (its trap had no
// .bigint). Now each is refused by name (test/explore/determinism.test.ts has every trap).
for (const [call, value] of [
  // biome-ignore lint/complexity/useDateNow: the constructor is the call under test, not Date.now()
  ['new Date()', () => new Date().getTime()],
  ['crypto.getRandomValues()', () => crypto.getRandomValues(new Uint32Array(1))[0]!],
  ['crypto.randomUUID()', () => crypto.randomUUID().charCodeAt(0)],
  ['process.hrtime.bigint()', () => Number(process.hrtime.bigint() % 1000n)],
  ['process.uptime()', () => process.uptime() * 1e6],
] as const)
  test(`${call} is refused, naming the call`, (t) => {
    const s = hostValue(call, value);
    const name = call.replace(/[().]/g, (c) => `\\${c}`);
    t.throws(() => exploreVariant(s, 'v', lkmm), { message: new RegExp(`calls ${name}`) });
  });

/** A module-level counter the thread's code bumps on each run: its write changes between replays. */
let runs = 0;
const MODULE_STATE = defineScenario({
  name: 'module-state',
  description: 'p0 writes how many times its code ran',
  kind: 'iterations',
  memory: { x: 'int', y: 'int' },
  variants: { v: 'p0 counts its runs in a module variable' },
  threads: {
    p0(_cpu, m) {
      runs++;
      WRITE_ONCE(m.x, runs);
      READ_ONCE(m.y);
    },
    p1(_cpu, m) {
      WRITE_ONCE(m.y, 1);
    },
  },
  arbiter: (m) => (m.x.mem.load(m.x.i) === 1 ? 'first' : 'later'),
  outcomes: { first: 'acceptable', later: 'acceptable' },
});

// One run of p0 writes x = 1 (the instance runs its threads once); the explorer replays p0's
// code once per answer, so the finished run's write says how often it was replayed. A replay
// whose events differ from the earlier run's with the same answers is code that is not
// deterministic given its reads: the explorer refuses it (thread.ts: a replay must repeat its
// prefix's run event for event), as it does when the number of questions differs.
test('code whose write changes between replays (a module-level counter) is refused', (t) => {
  runs = 0;
  t.throws(() => exploreVariant(MODULE_STATE, 'v', lkmm), { message: /not deterministic/ });
});

/** Two CPUs take two spinlocks in opposite orders, each only if it read the other's write. */
const ABBA_LB = defineScenario({
  name: 'abba-lb',
  description: 'an ABBA deadlock that only load buffering reaches',
  kind: 'iterations',
  memory: { x: 'int', y: 'int', a: 'spinlock_t', b: 'spinlock_t' },
  variants: { v: { description: 'each locks if it saw the other', stall: 'expected' } },
  threads: {
    p0(_cpu, m) {
      const r0 = READ_ONCE(m.x);
      WRITE_ONCE(m.y, 1);
      if (r0 !== 1) return;
      spin_lock(m.a);
      spin_lock(m.b);
      spin_unlock(m.b);
      spin_unlock(m.a);
    },
    p1(_cpu, m) {
      const r1 = READ_ONCE(m.y);
      WRITE_ONCE(m.x, 1);
      if (r1 !== 1) return;
      spin_lock(m.b);
      spin_lock(m.a);
      spin_unlock(m.a);
      spin_unlock(m.b);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

test('an ABBA deadlock only load buffering reaches: found under lkmm, none under sc and tso', (t) => {
  const v = exploreVariant(ABBA_LB, 'v', lkmm);
  t.deepEqual(
    v.stats.deadlock?.threads.map((b) => [b.thread, b.on.kind]),
    [
      [0, 'lock'],
      [1, 'lock'],
    ],
  );
  // the two lock orders after load buffering, and the three interleavings without it
  t.is(executions(v, 'done'), 5);
  for (const model of ['sc', 'tso'] as const) {
    const w = exploreVariant(ABBA_LB, 'v', { model, timeoutMs: 60_000 });
    t.is(w.stats.deadlock, undefined, model);
    t.is(executions(w, 'done'), 3, model);
  }
});

/** The kernel's commonest wait: spin with cpu_relax() until another CPU sets a flag. */
const FLAG_SPIN = defineScenario({
  name: 'flag-spin',
  description: 'p0 spins with cpu_relax() until p1 sets the flag',
  kind: 'iterations',
  memory: { flag: 'int' },
  variants: { v: 'p1 sets the flag once' },
  threads: {
    p0(_cpu, m) {
      while (READ_ONCE(m.flag) === 0) cpu_relax();
    },
    p1(_cpu, m) {
      WRITE_ONCE(m.flag, 1);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

// The spin is cut at the loop bound on the path where p1 has not run yet, with its last two
// passes alike; p1's write is still to come and lets p0 out in every execution (every write
// reaches every CPU, which lkmm assumes too), so this is no livelock: the others are not
// scheduled, not stuck. It was reported as one until src/explore/livelock.ts (xloop) asked what
// the other threads can still do. (The loop bound is honest: within loop bound 3, 1 cut.)
test('a spin-wait on a flag another CPU sets is not a possible livelock', (t) => {
  for (const model of ['sc', 'lkmm'] as const) {
    const v = exploreVariant(FLAG_SPIN, 'v', { model, timeoutMs: 60_000 });
    t.like(v.extent, { kind: 'bounded', loopBound: 3, cut: 1 }, model);
    t.is(v.stats.livelock, undefined, model);
  }
});

/** An await whose condition gives up after three looks (the kernel API asks for a pure cond). */
const IMPURE_AWAIT = defineScenario({
  name: 'impure-await',
  description: 'smp_cond_load_acquire() whose cond counts its calls',
  kind: 'iterations',
  memory: { flag: 'int' },
  variants: { v: { description: 'nobody sets the flag', stall: 'expected' } },
  threads: {
    p0(_cpu, m) {
      let looks = 0;
      return smp_cond_load_acquire(m.flag, (v) => ++looks > 2 || v === 1);
    },
    p1(_cpu, m) {
      WRITE_ONCE(m.flag, 0);
    },
  },
  arbiter: (_m, r) => (r.p0![0] === 1 ? 'set' : 'gave-up'),
  outcomes: { set: 'acceptable', 'gave-up': 'acceptable' },
});

// docs/explore.md: `cond` must only test the value. The explorer prunes an await's failed pass
// (it changes nothing), so this cond once made a deadlock and "gave-up" never — exhaustive,
// where the code gives up on its third look in every execution; the kernel API now asks a cond
// again on the value it refused and refuses the scenario when the answer changes (xloop).
test('an await whose cond is not pure is refused, or not called a deadlock', (t) => {
  let v: ReturnType<typeof exploreVariant> | undefined;
  try {
    v = exploreVariant(IMPURE_AWAIT, 'v', { model: 'sc', timeoutMs: 60_000 });
  } catch (e) {
    t.regex((e as Error).message, /cond/);
    return;
  }
  t.is(v.stats.deadlock, undefined);
  t.true(executions(v, 'gave-up') > 0);
});

/** A call_rcu() callback frees the object; the updater then says it is done. */
const CALL_RCU_EARLY = defineScenario({
  name: 'call-rcu-early',
  description: 'a call_rcu() callback may run as soon as its grace period ends',
  kind: 'iterations',
  memory: { freed: 'int', done: 'int' },
  variants: { v: 'the updater queues the free, then sets done, then rcu_barrier()' },
  threads: {
    updater(_cpu, m) {
      call_rcu(m, (h) => WRITE_ONCE(h.freed, 1));
      WRITE_ONCE(m.done, 1);
      rcu_barrier();
    },
    reader(_cpu, m) {
      const freed = READ_ONCE(m.freed);
      smp_rmb();
      return [freed, READ_ONCE(m.done)];
    },
  },
  arbiter: (_m, r) => (r.reader![0] === 1 && r.reader![1] === 0 ? 'freed-before-done' : 'other'),
  outcomes: { 'freed-before-done': 'interesting', other: 'acceptable' },
});

// The exploring memory runs a callback only at its CPU's next call_rcu(), synchronize_rcu() or
// rcu_barrier() (src/kernel/rcu.ts, src/memory/derived.ts rcuWaits), here after
// `WRITE_ONCE(done, 1)` and behind rcu_barrier()'s grace-period fence, so the reader never sees
// the free before done. The kernel invokes it from softirq (or an rcuo kthread) as soon as its
// grace period has ended — with no reader in this instance, possibly before the updater's next
// statement — so the reader can see freed = 1 and then done = 0, even on a sequentially
// consistent machine. The answer is "never — exhaustive" under sc, tso and lkmm.
test('a call_rcu() callback that runs before the caller goes on is explored', (t) => {
  const v = exploreVariant(CALL_RCU_EARLY, 'v', lkmm);
  t.true(executions(v, 'freed-before-done') > 0);
});

/** An updater frees at once if a polled grace period has ended, else defers. */
const POLL_RCU = defineScenario({
  name: 'poll-rcu',
  description: 'poll_state_synchronize_rcu(): free now if the grace period ended, else defer',
  kind: 'iterations',
  memory: { gp: 'int', deferred: 'int' },
  variants: { v: 'one poll right after start_poll_synchronize_rcu()' },
  threads: {
    updater(_cpu, m) {
      WRITE_ONCE(m.gp, 1);
      const cookie = start_poll_synchronize_rcu();
      if (!poll_state_synchronize_rcu(cookie)) WRITE_ONCE(m.deferred, 1);
    },
    reader(_cpu, m) {
      rcu_read_lock();
      const p = READ_ONCE(m.gp);
      rcu_read_unlock();
      return p;
    },
  },
  arbiter: (m) => (READ_ONCE(m.deferred) === 1 ? 'deferred' : 'freed-now'),
  outcomes: { deferred: 'acceptable', 'freed-now': 'acceptable' },
});

// On the exploring memory poll_state_synchronize_rcu() always answers "ended" (and places the
// grace period's fence there: src/memory/explore.ts polls), so deferred is never — exhaustive
// under every model. The kernel answers false until the grace period has ended, which a poll
// right after start_poll_synchronize_rcu() nearly always sees (here: whenever the reader's
// section is still open). Sound: the answer an explored choice, "ended" with the fence.
test('poll_state_synchronize_rcu() may say the grace period has not ended', (t) => {
  const v = exploreVariant(POLL_RCU, 'v', lkmm);
  t.true(executions(v, 'deferred') > 0);
});

/** A pointer published after its object (smp_wmb()), read, then followed; or a read beside it. */
const POINTER = defineScenario({
  name: 'pointer',
  description: 'a reader follows a published pointer, or reads beside it',
  kind: 'iterations',
  memory: { p: 'int', y: 'int', obj: { type: 'int', length: 2 } },
  variants: {
    follow: 'READ_ONCE(p), then READ_ONCE(obj[p]): an address dependency in C',
    beside: 'rcu_dereference(p), then READ_ONCE(y): no dependency in C',
  },
  threads: {
    writer(_cpu, m, variant) {
      if (variant === 'follow') {
        WRITE_ONCE(m.obj[1]!, 42);
        smp_wmb();
        WRITE_ONCE(m.p, 1);
      } else {
        WRITE_ONCE(m.y, 1);
        smp_wmb();
        rcu_assign_pointer(m.p, 1);
      }
    },
    reader(_cpu, m, variant) {
      if (variant === 'follow') {
        const i = READ_ONCE(m.p);
        return i === 0 ? [0, 42] : [i, READ_ONCE(m.obj[i]!)];
      }
      rcu_read_lock();
      const i = rcu_dereference(m.p);
      const y = READ_ONCE(m.y);
      rcu_read_unlock();
      return [i, y === 1 ? 42 : 0];
    },
  },
  arbiter: (_m, r) => (r.reader![0] === 1 && r.reader![1] === 0 ? 'stale' : 'fresh'),
  outcomes: { stale: 'interesting', fresh: 'acceptable' },
});

// follow is MP+wmb+addr (data/adversarial-lkmm/herd7/MP-addr.litmus, herd7: Never, as the kernel's
// MP+fencewmbonceonce+addr): code has no dependency, so stale is reachable, and the issue asks
// that it be marked so. The mark's check (explore.ts orderedReads) orders every read before the
// later accesses of its thread with a *control* dependency, which lkmm does not count between two
// reads (ppo's to-r is `addr ; [R]`; ctrl orders only writes, rwdep): the check still accepts the
// stale execution (ordered = 1), and stale shows as reachable with no `no dependency` mark.
test('an outcome an address dependency forbids is marked no dependency', (t) => {
  const v = exploreVariant(POINTER, 'follow', lkmm);
  const stale = v.outcomes.find((o) => o.outcome === 'stale')!;
  t.true(stale.executions > 0);
  t.is(stale.ordered, 0);
});

// beside is RD1 (data/adversarial-lkmm/herd7/RD1.litmus, herd7: Sometimes): in C the read of y
// does not depend on what rcu_dereference() read, and lkmm orders nothing between them. The
// kernel API's rcu_dereference() is READ_ONCE() then smp_rmb() (src/kernel/rcu.ts, to stand for
// the address dependency a JS value cannot carry), which orders *every* later read: stale is
// never — exhaustive, a never the kernel's model does not have.
test('rcu_dereference() does not order a later read that does not depend on it', (t) => {
  const v = exploreVariant(POINTER, 'beside', lkmm);
  t.true(executions(v, 'stale') > 0);
});

/** The same, declared (model.plain) to make plain accesses in a2 and d1 only: a5 left out. */
const A5_DECLARED = cyclesCode('a5-declared', {
  description: 'one publication each way',
  plain: ['a2', 'd1'],
});

// model.plain is trusted: a5's plain write is made only inside the cycle, so no run the search
// makes meets it and nothing refuses the wrong declaration, and cycle is an unqualified
// never — exhaustive (herd7: A5 Sometimes). Sound: the declaration only adds variants to what
// the source scan finds (xgap, NOTES.md 12:37).
test('a wrong model.plain declaration does not make a plain-access cycle an unqualified never', (t) => {
  const v = exploreVariant(A5_DECLARED, 'a5', lkmm);
  t.true(executions(v, 'cycle') > 0 || racesAside(v));
});

/** A waiter looks for a flag at most three times, and gives up early once 10 ms have passed. */
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
        if (READ_ONCE(m.flag) === 1) return 1;
        if (ktime_get_ns() > deadline) return 2;
        cpu_relax();
      }
      return 0;
    },
    setter(_cpu, m) {
      WRITE_ONCE(m.flag, 1);
    },
  },
  arbiter: (_m, r) => (['gave-up', 'saw-flag', 'timed-out'] as const)[r.waiter![0]!]!,
  outcomes: { 'gave-up': 'acceptable', 'saw-flag': 'acceptable', 'timed-out': 'acceptable' },
});

// In the kernel any time may pass between two calls of ktime_get_ns() (an interrupt,
// preemption, a stalled vCPU), so the timeout can fire before the third look. The explorer
// chooses each read's gap since the previous one, a moment or past any deadline (src/explore/
// clock.ts; it was a logical clock, +1 ms per call, and timed-out was never — exhaustive).
test('a timeout checked with ktime_get_ns() may fire', (t) => {
  const v = exploreVariant(TIMEOUT, 'v', lkmm);
  t.true(executions(v, 'timed-out') > 0);
});
