// The backend registry and what each backend refuses, with the exact message a user sees.

import test from 'ava';
import {
  BACKEND_NAMES,
  BACKENDS,
  backendNamed,
  defaultBackends,
} from '../../src/backends/registry.ts';
import { threadsBackend } from '../../src/backends/threads.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { sb } from '../runtime/fixtures.ts';

const withSyncRcu = () => {
  const t = sb(false);
  t.threads[0]!.body.push({ kind: 'fence', annot: 'sync-rcu', pos: { line: 9, col: 2 } });
  return t;
};

/** synchronize_rcu() inside P0's read-side critical section: it would wait for itself. */
const withSyncInsideReader = () => {
  const t = sb(false);
  t.threads[0]!.body.push(
    { kind: 'fence', annot: 'rcu-lock', pos: { line: 8, col: 2 } },
    { kind: 'fence', annot: 'sync-rcu', pos: { line: 9, col: 2 } },
    { kind: 'fence', annot: 'rcu-unlock', pos: { line: 10, col: 2 } },
  );
  return t;
};

test('every registered backend has a distinct name, a description and answers refuse()', (t) => {
  t.is(new Set(BACKEND_NAMES).size, BACKENDS.length);
  for (const b of BACKENDS) {
    t.true(b.description.length > 20, b.name);
    t.is(b.refuse(sb(false)), undefined, `${b.name} runs SB`);
  }
  t.true(BACKEND_NAMES.includes('model') && BACKEND_NAMES.includes('hw'));
});

test('defaults: every default backend for a litmus test, model and hw for a program scenario', (t) => {
  t.deepEqual(defaultBackends('program'), ['model', 'hw']);
  t.deepEqual(
    defaultBackends('litmus'),
    BACKENDS.filter((b) => b.byDefault).map((b) => b.name),
  );
  t.true(defaultBackends('litmus').includes('model'));
});

test('hw runs synchronize_rcu() and SRCU; it refuses a grace period that would wait for itself, with its position; the model runs it', (t) => {
  t.is(backendNamed('hw').refuse(withSyncRcu()), undefined);
  const srcu = parseLitmus(
    'C T\n{}\nP0(struct srcu_struct *s) { int i; i = srcu_read_lock(s); srcu_read_unlock(s, i); synchronize_srcu(s); }\nexists (true)',
    'T.litmus',
  );
  t.is(backendNamed('hw').refuse(srcu), undefined);
  t.deepEqual(backendNamed('hw').refuse(withSyncInsideReader()), {
    reason:
      'synchronize_rcu() inside an RCU read-side critical section waits for itself (a deadlock in the kernel too)',
    pos: { line: 9, col: 2 },
  });
  t.is(backendNamed('model').refuse(withSyncInsideReader()), undefined);
});

test('hw refuses an rcu_read_lock() left unmatched on a path when the test has a grace period', (t) => {
  const unmatched = parseLitmus(
    'C T\n{}\nP0(int *x) { int r0; rcu_read_lock(); r0 = READ_ONCE(*x); if (r0) { rcu_read_unlock(); } }\nP1(int *x) { synchronize_rcu(); }\nexists (true)',
    'T.litmus',
  );
  t.deepEqual(backendNamed('hw').refuse(unmatched), {
    reason:
      "P0's rcu_read_lock() has no matching rcu_read_unlock() on every path: a grace period would wait for it forever; run this test with --on model",
    pos: { line: 3, col: 22 },
  });
});

test('hw refuses a spinlock accessed as data, with its position; the model runs it', (t) => {
  const mixed = parseLitmus(
    'C T\n{}\nP0(spinlock_t *s) { int r0; spin_lock(s); spin_unlock(s); r0 = READ_ONCE(*s); }\nexists (0:r0=0)',
    'T.litmus',
  );
  t.regex(
    backendNamed('hw').refuse(mixed)?.reason ?? '',
    /^a spinlock accessed as data \(herd7 flags it mixed-lock-accesses\) has no hw mapping/,
  );
  t.is(backendNamed('model').refuse(mixed), undefined);
});

test('a test without threads is refused by name', (t) => {
  const empty = { ...sb(false), threads: [] };
  t.deepEqual(backendNamed('hw').refuse(empty), {
    reason: 'the test has no threads: nothing to run on hw',
  });
  t.deepEqual(backendNamed('model').refuse(empty), { reason: 'the test has no threads' });
});

test('run() of a refused test returns the refusal as a tagged result, not an exception', async (t) => {
  const r = await backendNamed('hw').run(
    withSyncInsideReader(),
    { model: 'lkmm', modelTimeoutS: 10, runs: 10, seed: 1 },
    { signal: new AbortController().signal },
  );
  t.is(r.tag, 'refused');
  t.is(r.backend, 'hw');
});

test('threads backends run program scenarios on CPUs, the model explores them', (t) => {
  t.is(backendNamed('model').scenarioMemory, undefined);
  t.true(backendNamed('model').exploresScenarios);
  t.truthy(backendNamed('hw').scenarioMemory);
  t.falsy(backendNamed('hw').exploresScenarios);
});

test('a threads backend over another memory object is one threadsBackend() call (the seam weak plugs into)', async (t) => {
  const other = threadsBackend({
    name: 'other',
    description: 'hw threads with the portable memory object, standing in for a new backend',
    memory: 'portable',
    bounds: () => ['lkmm'],
  });
  const r = await other.run(
    sb(true),
    { model: 'lkmm', modelTimeoutS: 10, runs: 2_000, size: 500, seed: 7 },
    { signal: new AbortController().signal },
  );
  t.is(r.tag, 'ran');
  t.is(r.backend, 'other');
  t.is(r.runs?.memory, 'portable');
  t.is(r.runs?.seed, 7);
  t.is(r.runs?.runs, 2_000);
  t.is(r.runs?.histogram.get('0:r0=0; 1:r0=0;'), undefined, 'SB+mb stays forbidden');
  t.deepEqual(
    other.refuse(withSyncInsideReader())?.reason,
    'synchronize_rcu() inside an RCU read-side critical section waits for itself (a deadlock in the kernel too)',
  );
});
