// Loops on the explorer (docs/explore.md "Loops", "Possible livelock"): a loop cut at the loop
// bound is a possible livelock only when it goes round while the others make no progress — not
// a spin-wait a fair scheduler ends by running the CPU that sets its flag; a run cut for its
// length, not its loop bound, says so; an await whose cond is not pure is refused.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { exploreVariant } from '../../src/explore/scenario.ts';
import { variantResult } from '../../src/explore/scenario-result.ts';
import { MAX_THREAD_EVENTS } from '../../src/explore/thread.ts';
import {
  atomic_cond_read_relaxed,
  cpu_relax,
  defineScenario,
  READ_ONCE,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import type { ModelName } from '../../src/model/core/base.ts';
import { cell } from '../../src/report/scenario-model-text.ts';

const MODELS: ModelName[] = ['sc', 'tso', 'lkmm'];
const explore = (s: Parameters<typeof exploreVariant>[0], variant: string, model: ModelName) =>
  exploreVariant(s, variant, { model, timeoutMs: 60_000 });

/** p0 spins until the flag is 1; p1 sets it, or writes 0 (a value that does not let p0 out). */
const SPIN = defineScenario({
  name: 'spin',
  description: 'p0 spins with cpu_relax() until the flag is 1',
  kind: 'iterations',
  memory: { flag: 'int' },
  variants: {
    set: 'p1 sets the flag',
    'set-zero': { description: 'p1 writes 0: nothing lets p0 out', stall: 'expected' },
    alone: { description: 'nobody writes the flag', stall: 'expected' },
  },
  threads: {
    p0(_cpu, m) {
      while (READ_ONCE(m.flag) !== 1) cpu_relax();
    },
    p1(_cpu, m, variant) {
      if (variant !== 'alone') WRITE_ONCE(m.flag, variant === 'set' ? 1 : 0);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

for (const model of MODELS)
  test(`a spin-wait is a possible livelock under ${model} only when no other CPU can let it out`, (t) => {
    // The spin is cut at the loop bound where p1's write is not (yet) read, with its passes
    // alike; p1's write lets it out in every execution, so that is no livelock.
    const set = explore(SPIN, 'set', model);
    t.like(set.extent, { kind: 'bounded', loopBound: 3 });
    t.is(set.stats.livelock, undefined);
    t.true(set.outcomes[0]!.executions > 0);
    for (const variant of ['set-zero', 'alone']) {
      const v = explore(SPIN, variant, model);
      // bounded all the same: a cut path never makes an answer exhaustive
      t.like(v.extent, { kind: 'bounded', loopBound: 3 }, variant);
      t.deepEqual(
        variantResult(SPIN, v).livelock,
        { thread: 'p0', cycle: ['READ_ONCE: R flag=0', 'barrier'] },
        variant,
      );
    }
  });

/**
 * Two polite CPUs: each raises its hand, backs off while the other's is up, and tries again —
 * in lock step they go round for ever, each pass undoing what the other's would need.
 */
const POLITE = defineScenario({
  name: 'polite',
  description: 'each CPU backs off while the other one wants in',
  kind: 'iterations',
  memory: { a: 'int', b: 'int' },
  variants: { v: { description: 'symmetric back-off', stall: 'expected' } },
  threads: {
    p0(_cpu, m) {
      for (;;) {
        WRITE_ONCE(m.a, 1);
        if (READ_ONCE(m.b) === 0) return;
        WRITE_ONCE(m.a, 0);
        cpu_relax();
      }
    },
    p1(_cpu, m) {
      for (;;) {
        WRITE_ONCE(m.b, 1);
        if (READ_ONCE(m.a) === 0) return;
        WRITE_ONCE(m.b, 0);
        cpu_relax();
      }
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

test('two CPUs each backing off for the other are a possible livelock (each goes round its pass)', (t) => {
  const v = explore(POLITE, 'v', 'sc');
  t.like(v.extent, { kind: 'bounded', loopBound: 3 });
  const l = variantResult(POLITE, v).livelock;
  t.is(l?.thread, 'p1');
  t.deepEqual(l?.cycle, ['WRITE_ONCE: W b=1', 'READ_ONCE: R a=1', 'WRITE_ONCE: W b=0', 'barrier']);
});

/** Two CPUs that spin reading nothing: each cut before its first question. */
const IDLE = defineScenario({
  name: 'idle',
  description: 'two CPUs spin with cpu_relax() for ever',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: { description: 'nothing to wait for', stall: 'expected' } },
  threads: {
    p0() {
      for (;;) cpu_relax();
    },
    p1() {
      for (;;) cpu_relax();
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

test('two CPUs spinning on nothing are a possible livelock, each going round', (t) => {
  const v = explore(IDLE, 'v', 'sc');
  t.like(v.extent, { kind: 'bounded', cut: 1 });
  t.deepEqual(variantResult(IDLE, v).livelock, { thread: 'p0', cycle: ['barrier'] });
});

/** A thread longer than MAX_THREAD_EVENTS with no loop at all. */
const LONG = defineScenario({
  name: 'long',
  description: 'p0 writes 2,500 times in a row, p1 reads once',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { v: 'straight-line code' },
  threads: {
    p0(_cpu, m) {
      for (let i = 1; i <= 2_500; i++) WRITE_ONCE(m.x, i);
    },
    p1(_cpu, m) {
      return READ_ONCE(m.x);
    },
  },
  arbiter: (_m, r) => (r.p1![0] === -1 ? 'negative' : 'read'),
  outcomes: { read: 'acceptable', negative: 'forbidden' },
});

test('a run cut for its length says so, not the loop bound it never reached', (t) => {
  const v = explore(LONG, 'v', 'sc');
  t.deepEqual(v.extent, {
    kind: 'bounded',
    loopBound: 3,
    cut: 0,
    events: { limit: MAX_THREAD_EVENTS, cut: 1 },
  });
  const r = variantResult(LONG, v);
  t.is(
    cell(r, r.outcomes.find((o) => o.outcome === 'negative')!),
    'never within 2,000 events per thread (0 executions; 1 cut at 2,000 events)',
  );
});

/** An await whose cond gives up after three looks: not a test of the value alone. */
const IMPURE = defineScenario({
  name: 'impure-cond',
  description: 'atomic_cond_read_relaxed() whose cond counts its calls',
  kind: 'iterations',
  memory: { flag: 'atomic_t' },
  variants: { v: 'nobody sets the flag' },
  threads: {
    p0(_cpu, m) {
      let looks = 0;
      return atomic_cond_read_relaxed(m.flag, (v) => ++looks > 3 || v === 1);
    },
  },
  arbiter: () => 'done',
  outcomes: { done: 'acceptable' },
});

test('an await whose cond answers one value two ways is refused, naming the call and its line', (t) => {
  const e = t.throws(() => explore(IMPURE, 'v', 'sc'), { instanceOf: UserError }) as UserError;
  t.is(
    e.message,
    "scenario impure-cond, thread p0: atomic_cond_read_relaxed()'s cond is not pure: asked again on the value 0 it had refused, it let the wait out; on the model a failed pass is skipped as changing nothing, so cond must only test the value (give up with a loop of your own and cpu_relax() instead)",
  );
  t.true(e.file?.endsWith('test/explore/livelock.test.ts'), e.file);
  const source = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  t.is(e.pos?.line, source.findIndex((l) => l.includes('atomic_cond_read_relaxed(m.flag')) + 1);
});
