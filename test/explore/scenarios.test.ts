// The seed scenarios on the explorer: the verdicts the issue asks for (what must never happen is
// asserted `never` with an exhaustive extent; what must be possible `reachable`), and every
// outcome the scenarios' own result tables show on hw or weak is reachable in the model (hw ⊆
// tso, weak ⊆ lkmm). A reachable answer holds however early the search stops, so those checks
// stop at the first execution that reaches the outcome (`until`). Timings are the bench's
// (npm run bench -- explore), never asserted here.

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { exploreVariant, type VariantVerdict } from '../../src/explore/scenario.ts';
import { variantResult } from '../../src/explore/scenario-result.ts';
import {
  cond_resched,
  defineScenario,
  need_resched,
  READ_ONCE,
  type Scenario,
  WRITE_ONCE,
} from '../../src/kernel/index.ts';
import type { ModelName } from '../../src/model/core/base.ts';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { toTheInstanceEnd } from './instance-end.ts';

const TIMEOUT_MS = 120_000;

async function explore(
  name: string,
  variant: string,
  model: ModelName,
  until?: string[],
): Promise<VariantVerdict> {
  const s = await loadScenario(name);
  return exploreVariant(s, variant, { model, timeoutMs: TIMEOUT_MS, ...(until && { until }) });
}

const count = (v: VariantVerdict, outcome: string) => {
  const o = v.outcomes.find((x) => x.outcome === outcome);
  if (!o) throw new Error(`no outcome "${outcome}" in ${v.variant}`);
  return o.executions;
};

/** `never`, and exhaustively so (to the end of the model instance: instance-end.ts). */
async function never(
  t: import('ava').ExecutionContext,
  name: string,
  variant: string,
  model: ModelName,
  outcome: string,
) {
  const v = await explore(name, variant, model);
  t.true(toTheInstanceEnd(v.extent), `${name} ${variant} under ${model}: ${v.extent.kind}`);
  t.is(count(v, outcome), 0, `${name} ${variant} under ${model}: ${outcome}`);
}

async function reachable(
  t: import('ava').ExecutionContext,
  name: string,
  variant: string,
  model: ModelName,
  outcome: string,
) {
  const v = await explore(name, variant, model, [outcome]);
  t.true(
    count(v, outcome) > 0,
    `${name} ${variant} under ${model}: ${outcome} not reached (${v.extent.kind})`,
  );
}

const STALE = 'flag seen, data stale';

test('atomic-bool: stale data reachable under lkmm with plain and ONCE accesses', async (t) => {
  await reachable(t, 'atomic-bool', 'plain', 'lkmm', STALE);
  await reachable(t, 'atomic-bool', 'once', 'lkmm', STALE);
});

test('atomic-bool: stale data never with release-acquire or wmb-rmb, never under tso', async (t) => {
  await never(t, 'atomic-bool', 'release-acquire', 'lkmm', STALE);
  await never(t, 'atomic-bool', 'wmb-rmb', 'lkmm', STALE);
  for (const variant of ['plain', 'once', 'release-acquire', 'wmb-rmb'])
    await never(t, 'atomic-bool', variant, 'tso', STALE);
});

test('refcount: a lost update (a leak, an early release) under sc with plain ++/--, never with atomics', async (t) => {
  await reachable(t, 'refcount', 'plain', 'sc', 'never released (leak)');
  await reachable(t, 'refcount', 'plain', 'sc', 'released early, while in use');
  for (const model of ['sc', 'lkmm'] as const)
    for (const outcome of ['never released (leak)', 'released early, while in use'])
      await never(t, 'refcount', 'atomic', model, outcome);
});

test('rwlock-exclusion: a torn record never with read_lock (under lkmm within the bounds), reachable without it', async (t) => {
  const TORN = 'record torn (fields of two updates)';
  await never(t, 'rwlock-exclusion', 'read-locked', 'sc', TORN);
  await never(t, 'rwlock-exclusion', 'read-locked', 'tso', TORN);
  // Under lkmm within the loop bound and guesses (read_lock's slow path is the shape of
  // herd7/rwlock-read-slowpath.litmus, which herd7 says is Never: herd7.test.ts).
  const v = await explore('rwlock-exclusion', 'read-locked', 'lkmm');
  t.not(v.extent.kind, 'gave-up');
  t.is(count(v, TORN), 0);
  await reachable(t, 'rwlock-exclusion', 'writer-locked', 'sc', TORN);
});

test('torn-64bit: a torn read without a lock (two 32-bit halves), never with atomics', async (t) => {
  const TORN = 'read torn value (halves of two writes)';
  for (const model of ['sc', 'tso', 'lkmm'] as const) {
    await reachable(t, 'torn-64bit', 'unprotected', model, TORN);
    await never(t, 'torn-64bit', 'atomics', model, TORN);
  }
  await never(t, 'torn-64bit', 'seqcount', 'tso', TORN);
  // Under lkmm the seqcount's reader races with the writer's plain halves: only with a data race.
  const v = await explore('torn-64bit', 'seqcount', 'lkmm');
  const o = v.outcomes.find((x) => x.outcome === TORN)!;
  t.is(o.raceFree, 0);
});

test('pf-invalidate-race: no freed pfn in full-check under any model; the no-check variant installs one', async (t) => {
  const FREED = 'freed pfn installed after the invalidation ended';
  // (under lkmm exhaustively, with no cap on guesses: docs/explore.md "The cap dropped")
  for (const model of ['sc', 'tso', 'lkmm'] as const)
    await never(t, 'pf-invalidate-race', 'full-check', model, FREED);
  await reachable(t, 'pf-invalidate-race', 'no-check', 'sc', FREED);
  await reachable(t, 'pf-invalidate-race', 'no-rmb', 'lkmm', FREED);
});

test('shm-toctou and warn-once: the double fetch overflows, check-then-set warns twice, even under sc', async (t) => {
  await reachable(t, 'shm-toctou', 'double-fetch', 'sc', 'used a length over MAX (overflow)');
  await never(t, 'shm-toctou', 'copy-then-check', 'lkmm', 'used a length over MAX (overflow)');
  await reachable(t, 'warn-once', 'check-then-set', 'sc', 'more than one warning');
  await never(t, 'warn-once', 'test-and-set', 'lkmm', 'more than one warning');
});

/** What a backend has shown: per scenario and variant, the outcomes seen (a non-zero count). */
type Shown = Record<string, Record<string, string[]>>;

const FRESH = 'flag seen, data fresh';
const PFN = {
  current: 'current pfn installed',
  retried: 'fault retried (invalidation seen)',
  outdated: 'outdated pfn installed during an invalidation',
  freed: 'freed pfn installed after the invalidation ended',
  stale: 'stale pfn still mapped when the invalidation ended',
};

/**
 * Every non-zero cell of the hw result tables in the scenarios' top comments (x86-64, so each
 * must be reachable under tso). mmu-lock-yield is left out: its table counts no outcome that could
 * fail (its claim, a livelock, has a test of its own below).
 */
const SHOWN_ON_HW: Shown = {
  'atomic-bool': {
    plain: [FRESH, 'flag not seen (reader gave up)'],
    once: [FRESH],
    'release-acquire': [FRESH],
    'wmb-rmb': [FRESH],
  },
  refcount: {
    plain: ['released once, at the last put', 'never released (leak)'],
    once: ['released once, at the last put'],
    atomic: ['released once, at the last put'],
  },
  'rwlock-exclusion': {
    unlocked: ['record consistent', 'record torn (fields of two updates)'],
    'writer-locked': ['record consistent', 'record torn (fields of two updates)'],
    'read-locked': ['record consistent'],
  },
  'torn-64bit': {
    unprotected: ['read whole value', 'read torn value (halves of two writes)'],
    dataview: ['read whole value', 'read torn value (halves of two writes)'],
    atomics: ['read whole value'],
    rwlock: ['read whole value'],
    seqcount: ['read whole value'],
  },
  'shm-toctou': {
    'double-fetch': [
      'refused (len > MAX)',
      'used the length it checked',
      'used another length (in bounds)',
      'used a length over MAX (overflow)',
    ],
    'copy-then-check': ['refused (len > MAX)', 'used the length it checked'],
  },
  'warn-once': {
    'check-then-set': ['exactly one warning', 'more than one warning'],
    'test-and-set': ['exactly one warning'],
  },
  'pf-invalidate-race': {
    'full-check': [PFN.current, PFN.retried],
    'no-check': [PFN.current, PFN.outdated, PFN.freed, PFN.stale],
    'seq-only': [PFN.current, PFN.retried, PFN.outdated, PFN.stale],
    'no-rmb': [PFN.current, PFN.retried],
  },
};

/**
 * What weak has shown (each must be reachable under lkmm): atomic-bool's weak table,
 * pf-invalidate-race's freed pfn in no-rmb (its comment and docs/weak.md), and for the scenarios
 * whose weak cell in the README's table says "the same verdicts", what hw showed. torn-64bit and
 * mmu-lock-yield are refused by weak.
 */
const SHOWN_ON_WEAK: Shown = {
  'atomic-bool': {
    plain: [FRESH, STALE],
    once: [FRESH, STALE],
    'release-acquire': [FRESH],
    'wmb-rmb': [FRESH],
  },
  'pf-invalidate-race': { 'no-rmb': [PFN.freed] },
  ...Object.fromEntries(
    ['refcount', 'rwlock-exclusion', 'warn-once', 'shm-toctou'].map((n) => [n, SHOWN_ON_HW[n]!]),
  ),
};

for (const [backend, model, shown] of [
  ['hw', 'tso', SHOWN_ON_HW],
  ['weak', 'lkmm', SHOWN_ON_WEAK],
] as const)
  for (const [name, variants] of Object.entries(shown))
    test(`${name}: what ${backend} has shown is reachable under ${model}`, async (t) => {
      const s = await loadScenario(name);
      for (const [variant, outcomes] of Object.entries(variants)) {
        // Each name is one of the scenario's: a renamed outcome fails here, not silently.
        for (const o of outcomes)
          t.true(
            s.outcomes.some((x) => x.name === o),
            `${name} has no outcome "${o}"`,
          );
        const v = await explore(name, variant, model, outcomes);
        for (const o of outcomes)
          t.true(count(v, o) > 0, `${name} ${variant} under ${model}: ${o} (${v.extent.kind})`);
      }
    });

test('mmu-lock-yield: without the guard a possible livelock, with the pass that repeats; with it none', async (t) => {
  const s = await loadScenario('mmu-lock-yield');
  // A livelock found holds however early the search stops, as a reachable outcome does; the
  // model instance is small enough to be searched to the loop bound (the docs' "Possible
  // livelock"), and is, with no deadlock.
  const v = exploreVariant(s, 'yield-no-guard', { model: 'sc', timeoutMs: TIMEOUT_MS });
  t.is(v.extent.kind, 'bounded');
  t.is(v.stats.deadlock, undefined);
  t.true(count(v, 'fault served') > 0 && count(v, 'zap completed') > 0);
  const l = variantResult(s, v).livelock;
  t.is(l?.thread, 'zapper');
  // The pass: write_lock() taken, the walk asked to yield at its first step, write_unlock().
  t.deepEqual(
    l?.cycle.filter((c) => /mmu_lock\.cnts/.test(c)),
    [
      'cmpxchg_acquire: R mmu_lock.cnts=0',
      'cmpxchg_acquire: W mmu_lock.cnts=255',
      'atomic_fetch_add_release: R mmu_lock.cnts=255',
      'atomic_fetch_add_release: W mmu_lock.cnts=0',
    ],
  );
  const guarded = exploreVariant(s, 'yield', { model: 'sc', timeoutMs: TIMEOUT_MS });
  t.true(toTheInstanceEnd(guarded.extent));
  t.is(variantResult(s, guarded).livelock, undefined);
  t.true(count(guarded, 'zap completed') > 0);
});

/** need_resched() asked twice, with or without a cond_resched() between. */
const RESCHED = defineScenario({
  name: 'resched-twice',
  description: 'need_resched() twice',
  kind: 'iterations',
  memory: { x: 'int' },
  variants: { held: 'nothing between', scheduled: 'cond_resched() between' },
  threads: {
    walker(_cpu, _m, variant) {
      const first = need_resched();
      if (variant === 'scheduled') cond_resched();
      return first && !need_resched() ? 1 : 0;
    },
  },
  arbiter: (_m, r) => (r.walker![0] === 1 ? 'cleared' : 'as it was'),
  outcomes: { cleared: 'interesting', 'as it was': 'acceptable' },
});

test('need_resched() stays true until cond_resched() schedules, as TIF_NEED_RESCHED does', (t) => {
  const held = exploreVariant(RESCHED, 'held', { model: 'sc', timeoutMs: TIMEOUT_MS });
  t.is(held.extent.kind, 'exhaustive');
  t.is(count(held, 'cleared'), 0);
  t.true(count(held, 'as it was') > 0);
  const scheduled = exploreVariant(RESCHED, 'scheduled', { model: 'sc', timeoutMs: TIMEOUT_MS });
  t.true(count(scheduled, 'cleared') > 0);
});

test('a scenario that refuses the explorer says why', (t) => {
  const s: Scenario = { ...RANDOM, model: { description: '-', refuse: 'too big for it' } };
  const e = t.throws(() => exploreVariant(s, 'only', { model: 'sc', timeoutMs: 1000 }));
  t.is(e!.message, 'scenario random-reader is not explored: too big for it');
});

const RANDOM = defineScenario({
  name: 'random-reader',
  description: 'reads a flag a random number of times',
  kind: 'iterations',
  memory: { flag: 'int' },
  variants: { only: 'the one' },
  threads: {
    writer(_cpu, m) {
      WRITE_ONCE(m.flag, 1);
    },
    reader(_cpu, m) {
      return Math.random() < 0.5 ? READ_ONCE(m.flag) : 0;
    },
  },
  arbiter: (_m, r) => (r.reader![0] === 1 ? 'seen' : 'not seen'),
  outcomes: { seen: 'acceptable', 'not seen': 'acceptable' },
});

test('code that reads the host clock or randomness is refused, the call and its place named', (t) => {
  const s: Scenario = { ...RANDOM, file: fileURLToPath(import.meta.url) };
  const e = t.throws(() => exploreVariant(s, 'only', { model: 'sc', timeoutMs: 10_000 }), {
    instanceOf: UserError,
  });
  t.regex(
    e!.message,
    /^scenario random-reader, thread reader calls Math\.random\(\): code explored on the model must be deterministic given its reads \(use prandom_u32_state\(\), which the explorer answers\)$/,
  );
  t.is((e as UserError).file, s.file);
  t.true(((e as UserError).pos?.line ?? 0) > 150);
});

/** Load buffering: each thread reads one flag, then sets the other; both read 1 only by a guess. */
const LB = defineScenario({
  name: 'lb-flags',
  description: 'two threads, each reading one flag before setting the other',
  kind: 'iterations',
  memory: { x: 'int', y: 'int' },
  variants: { capped: 'no guessed read', free: 'no cap' },
  threads: {
    a(_cpu, m) {
      const r = READ_ONCE(m.x);
      WRITE_ONCE(m.y, 1);
      return r;
    },
    b(_cpu, m) {
      const r = READ_ONCE(m.y);
      WRITE_ONCE(m.x, 1);
      return r;
    },
  },
  arbiter: (_m, r) => (r.a![0] === 1 && r.b![0] === 1 ? 'both' : 'not both'),
  outcomes: { both: 'interesting', 'not both': 'acceptable' },
  model: { description: 'as written', guesses: { capped: 0 } },
});

test('model.guesses per variant caps the variants it names, and only those', (t) => {
  // (its file, this one, names no plain accessor: no races aside)
  const lb: Scenario = { ...LB, file: fileURLToPath(import.meta.url) };
  const capped = exploreVariant(lb, 'capped', { model: 'lkmm', timeoutMs: TIMEOUT_MS });
  t.deepEqual(capped.extent, { kind: 'bounded', loopBound: 3, cut: 0, guesses: 0 });
  t.is(count(capped, 'both'), 0);
  const free = exploreVariant(lb, 'free', { model: 'lkmm', timeoutMs: TIMEOUT_MS });
  t.is(free.extent.kind, 'exhaustive');
  t.true(count(free, 'both') > 0);
});
