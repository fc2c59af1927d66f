// Toy scenarios for the runner's tests (loaded by export name with loadScenarioFile): a
// deadlock, a livelock, a thread that ignores the stop request, one that throws, one that
// records an undeclared outcome, and two whose counts are known in advance.

import {
  cpu_relax,
  defineScenario,
  kthread_should_stop,
  READ_ONCE,
  spin_lock,
  spin_unlock,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';

/** ABBA: each thread takes its first lock, waits until the other holds its own, takes the other's. */
export const deadlock = defineScenario({
  name: 'toy-deadlock',
  description: 'two spinlocks taken in opposite orders, with a handshake that makes it certain',
  kind: 'long-running',
  memory: { a: 'spinlock_t', b: 'spinlock_t', hasA: 'int', hasB: 'int' },
  variants: { abba: 'P0 takes a then b, P1 takes b then a' },
  threads: {
    P0(cpu, m) {
      spin_lock(m.a);
      WRITE_ONCE(m.hasA, 1);
      cpu.progress('holds a, waits for P1 to hold b');
      // Wait for P1's store saying it holds b.
      while (READ_ONCE(m.hasB) === 0) cpu_relax();
      cpu.progress('holds a, taking b');
      spin_lock(m.b);
      spin_unlock(m.b);
      spin_unlock(m.a);
    },
    P1(cpu, m) {
      spin_lock(m.b);
      WRITE_ONCE(m.hasB, 1);
      cpu.progress('holds b, waits for P0 to hold a');
      // Wait for P0's store saying it holds a.
      while (READ_ONCE(m.hasA) === 0) cpu_relax();
      cpu.progress('holds b, taking a');
      spin_lock(m.a);
      spin_unlock(m.a);
      spin_unlock(m.b);
    },
  },
  outcomes: { 'both finished': 'acceptable' },
  budget: { seconds: 30 },
});

/** One thread that spins without progress ('livelock') or makes progress until told to stop. */
export const spinner = defineScenario({
  name: 'toy-spinner',
  description: 'a livelock the scenario expects, and the same variant that does not livelock',
  kind: 'long-running',
  memory: { x: 'int' },
  variants: {
    livelock: { description: 'spins forever, never calls progress', stall: 'expected' },
    progress: { description: 'makes progress until kthread_should_stop()', stall: 'expected' },
    ignore: {
      description: 'makes progress but never looks at kthread_should_stop()',
      stall: 'forbidden',
    },
  },
  threads: {
    spinner(cpu, m, variant) {
      if (variant === 'livelock') {
        cpu.progress('entering the spin');
        // Waits for a store nobody makes: the livelock under test.
        while (READ_ONCE(m.x) === 0) cpu_relax();
      } else {
        for (let n = 1; variant === 'ignore' || !kthread_should_stop(); n++) {
          cpu.progress(n % 2 ? 'odd pass' : 'even pass');
          cpu_relax();
        }
      }
    },
  },
  outcomes: { unused: 'acceptable' },
  budget: { seconds: 30 },
});

/** A thread that throws, and one that records an outcome the scenario does not declare. */
export const broken = defineScenario({
  name: 'toy-broken',
  description: 'scenario bugs: an exception, an undeclared outcome',
  kind: 'long-running',
  memory: { x: 'int' },
  variants: {
    throws: 'the thread throws',
    undeclared: 'the thread observes an undeclared outcome',
  },
  threads: {
    worker(cpu, _m, variant) {
      if (variant === 'throws') throw new Error('boom at step 3');
      cpu.observe('nonsense' as never);
    },
    bystander(cpu, _m, variant) {
      // 'throws': finish at once and wait at the end barrier, which the failure aborts (a
      // second-hand error that must not hide the first). Otherwise run until stopped.
      if (variant === 'throws') return;
      while (!kthread_should_stop()) {
        cpu.progress('waiting');
        cpu_relax();
      }
    },
  },
  outcomes: { fine: 'acceptable' },
  budget: { seconds: 30 },
});

/** Per race: each thread returns its id, counts a tick and records a latency of 1000·id + 5 ns. */
export const counting = defineScenario({
  name: 'toy-counting',
  description: 'known counts: ticks, latencies and results add up',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { one: 'the only variant' },
  threads: {
    t: {
      count: 3,
      run(cpu) {
        cpu.count('ticks');
        cpu.latency('latency', 1000 * cpu.id + 5);
        return cpu.id;
      },
    },
  },
  arbiter: (_m, r) => (r.t0![0]! + r.t1![0]! + r.t2![0]! === 3 ? 'results 0+1+2' : 'results wrong'),
  outcomes: { 'results 0+1+2': 'acceptable', 'results wrong': 'forbidden' },
  metrics: { ticks: 'counter', latency: 'latency' },
  budget: { batch: 10 },
});

/** Long-running with a known end: each thread observes 'tick' TICKS times and returns. */
export const TICKS = 1000;
export const ticking = defineScenario({
  name: 'toy-ticking',
  description: 'each thread observes an outcome a known number of times',
  kind: 'long-running',
  memory: { x: 'int' },
  variants: { one: 'the only variant' },
  threads: {
    t: {
      count: 2,
      run(cpu) {
        for (let n = 0; n < TICKS; n++) cpu.observe('tick');
        return 7;
      },
    },
  },
  arbiter: (_m, r) => (r.t0![0] === 7 && r.t1![0] === 7 ? 'returned 7' : 'tick'),
  outcomes: { tick: 'acceptable', 'returned 7': 'acceptable' },
  budget: { seconds: 30 },
});
