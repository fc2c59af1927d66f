// Every lock under contention on real worker threads (the scenario runner, one worker per
// thread): the forbidden outcome of each toy scenario (lock-scenarios.ts) — a lost update, a
// reader seeing a half-done write, a torn seqlock read, readers that cannot share, a writer
// that cannot let a waiter in — must never appear, and every race must be classified.

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { loadScenarioFile } from '../../src/runtime/scenario/load.ts';
import { runScenario } from '../../src/runtime/scenario/run.ts';

const FILE = fileURLToPath(new URL('./lock-scenarios.ts', import.meta.url));
/** Races per scenario: enough for contention, few enough for a quick suite. */
const ITERATIONS = 8;

async function run(exportName: string) {
  const s = await loadScenarioFile(FILE, exportName);
  const r = await runScenario(s, { iterations: ITERATIONS, timeSeconds: 30 });
  return r.variants[0]!;
}

function counts(v: { outcomes: { outcome: string; count: number }[] }) {
  return Object.fromEntries(v.outcomes.map((o) => [o.outcome, o.count]));
}

test('spin_lock: threads incrementing a plain counter under it never lose an update', async (t) => {
  const v = await run('spinlockExclusion');
  t.is(v.error, undefined);
  t.is(v.stall, undefined);
  t.deepEqual(counts(v), { 'total exact': ITERATIONS, 'update lost': 0 });
});

test('write_lock: writers alone (total exact), read_lock readers never see a half-done update', async (t) => {
  const v = await run('rwlockExclusion');
  t.is(v.error, undefined);
  t.is(v.stall, undefined);
  t.deepEqual(counts(v), {
    'total exact': ITERATIONS,
    'update lost': 0,
    'reader saw a half-done update': 0,
  });
});

test('read_lock: two readers are inside together (each waits inside for the other)', async (t) => {
  const v = await run('readersTogether');
  t.is(v.error, undefined);
  t.is(v.stall, undefined, 'readers excluded each other');
  t.deepEqual(counts(v), { 'both readers inside together': ITERATIONS });
});

test('rwlock_needbreak + cond_resched_rwlock_write: the holder sees the waiter and lets it in', async (t) => {
  const v = await run('needbreakYield');
  t.is(v.error, undefined);
  t.is(v.stall, undefined, 'the waiting reader was never let in');
  t.deepEqual(counts(v), { 'reader let in by a yield': ITERATIONS, 'no yield needed': 0 });
  t.true(v.counters[0]!.value >= ITERATIONS, 'at least one yield per race');
});

test('seqlock: readers in a read_seqbegin/read_seqretry loop never return a torn u64', async (t) => {
  const v = await run('seqlockTorn');
  t.is(v.error, undefined);
  t.is(v.stall, undefined);
  t.deepEqual(counts(v), { 'every read whole': ITERATIONS, 'reader returned a torn value': 0 });
});
