// The backend registry and what each backend refuses, with the exact message a user sees.

import test from 'ava';
import {
  BACKEND_NAMES,
  BACKENDS,
  backendNamed,
  defaultBackends,
} from '../../src/backends/registry.ts';
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

test('defaults: every default backend for a litmus test, hw for a program scenario', (t) => {
  t.deepEqual(defaultBackends('program'), ['hw']);
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
    { model: 'lkmm', modelTimeoutS: 10, runs: 10 },
    { signal: new AbortController().signal },
  );
  t.is(r.tag, 'refused');
  t.is(r.backend, 'hw');
});

test('only threads backends run program scenarios', (t) => {
  t.is(backendNamed('model').scenarioMemory, undefined);
  t.truthy(backendNamed('hw').scenarioMemory);
});
