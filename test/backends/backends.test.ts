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

test('hw refuses synchronize_rcu() with its position and the way out; the model runs it', (t) => {
  t.deepEqual(backendNamed('hw').refuse(withSyncRcu()), {
    reason:
      'synchronize_rcu() needs a grace period, which the hw backend does not implement; run this test with --on model',
    pos: { line: 9, col: 2 },
  });
  t.is(backendNamed('model').refuse(withSyncRcu()), undefined);
});

test('hw refuses SRCU and a spinlock accessed as data, each with its position; the model runs them', (t) => {
  const srcu = parseLitmus(
    'C T\n{}\nP0(struct srcu_struct *s) { int i; i = srcu_read_lock(s); srcu_read_unlock(s, i); }\nexists (true)',
    'T.litmus',
  );
  t.deepEqual(backendNamed('hw').refuse(srcu), {
    reason:
      'SRCU (srcu_read_lock, synchronize_srcu, ...) needs grace periods, which the hw backend does not implement; run this test with --on model',
    pos: { line: 3, col: 40 },
  });
  const mixed = parseLitmus(
    'C T\n{}\nP0(spinlock_t *s) { int r0; spin_lock(s); spin_unlock(s); r0 = READ_ONCE(*s); }\nexists (0:r0=0)',
    'T.litmus',
  );
  t.regex(
    backendNamed('hw').refuse(mixed)?.reason ?? '',
    /^a spinlock accessed as data \(herd7 flags it mixed-lock-accesses\) has no hw mapping/,
  );
  t.is(backendNamed('model').refuse(srcu), undefined);
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
    withSyncRcu(),
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
    other.refuse(withSyncRcu())?.reason.split(',')[0],
    'synchronize_rcu() needs a grace period',
  );
});
