// Reading records back, whatever shape they were written in: the first shape (top-level
// `model` and `hw`), the current one (`backends` of tagged results), and backends this reader
// does not know (weak), each kept by name; files that are not records are listed, not dropped.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { gradeRecord } from '../../src/report/grade.ts';
import { normalise, readRecords, readRecordsUntil } from '../../src/report/records.ts';

const fixture = (p: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/${p}`, import.meta.url)), 'utf8'));

test('the first record shape and the keyed one read the same way', (t) => {
  const legacy = normalise('a.json', fixture('legacy-results/SB+poonceonces-v1-toplevel.json'));
  if (typeof legacy === 'string') return t.fail(legacy);
  t.is(legacy.name, 'SB+poonceonces');
  t.is(legacy.modelAnswer?.observation, 'Sometimes');
  t.deepEqual(
    legacy.observed.map((o) => [o.backend, o.runs]),
    [['hw', 200_000]],
  );
  t.false(gradeRecord(legacy).failed);
});

test('a weak backend is kept by name, a refusal is a skipped backend with its reason', (t) => {
  const base = readRecords(
    fileURLToPath(new URL('../fixtures/results', import.meta.url)),
  ).records.find((r) => r.name === 'SB+poonceonces')!;
  const raw = structuredClone(base.raw) as { backends: Record<string, unknown> };
  raw.backends.weak = {
    tag: 'ran',
    backend: 'weak',
    runs: { histogram: { '0:r0=0; 1:r0=0;': 5, '0:r0=1; 1:r0=1;': 5 }, runs: 10 },
  };
  raw.backends.hw = { tag: 'refused', backend: 'hw', reason: 'no threads today' };
  const r = normalise('b.json', raw);
  if (typeof r === 'string') return t.fail(r);
  t.deepEqual(
    r.observed.map((o) => o.backend),
    ['weak'],
  );
  t.deepEqual(r.skipped, { hw: 'no threads today' });
  const g = gradeRecord(r);
  t.like(g.backends[0], { backend: 'weak', positive: 5, negative: 5, observation: 'Sometimes' });
});

test('files that are not records are listed with the reason', (t) => {
  const dir = mkdtempSync(join(os.tmpdir(), 'smplab-records-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'broken.json'), '{');
  writeFileSync(join(dir, 'other.json'), '{"name": "x"}');
  const read = readRecords(dir);
  t.deepEqual(read.records, []);
  t.deepEqual(
    read.skipped.map((s) => [s.path, s.reason.replace(/:.*/, '')]),
    [
      ['broken.json', 'not JSON'],
      ['other.json', 'no "kind"'],
    ],
  );
});

test('reading for report stops at a signal, between two files; otherwise it reads what readRecords reads', async (t) => {
  const dir = fileURLToPath(new URL('../fixtures/results', import.meta.url));
  const whole = await readRecordsUntil(dir, new AbortController().signal);
  t.false(whole.interrupted);
  const sync = readRecords(dir);
  t.deepEqual(
    whole.records.map((r) => r.path),
    sync.records.map((r) => r.path),
  );
  t.true(whole.records.length > 1);
  const stopped = new AbortController();
  stopped.abort();
  const none = await readRecordsUntil(dir, stopped.signal);
  t.true(none.interrupted);
  t.deepEqual(none.records, []);
});
