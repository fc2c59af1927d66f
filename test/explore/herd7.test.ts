// Soundness of the explorer against herd7 itself, on code that takes locks and chains rmws: the
// compiled code of a test, run on the exploring memory and judged as the explorer judges a
// scenario (judge 'code': the events and dependencies the exploring memory makes, nothing from
// the IR), gives herd7's final states, Positive/Negative counts and observation under lkmm.
//
//   - herd7/: the lab's queued rwlock as the explorer runs it in rwlock-exclusion's read-locked
//     variant, written as a litmus test (read_lock's slow path against a writer holding the
//     lock): herd7 says the torn record is Never, so the explorer's never there holds for the
//     kernel's model (herd7/README.md says how herd7 ran);
//   - data/locks.tsv: herd7's answers for tests generated in the shapes a lock is made of
//     (generate-locks.ts: release hand-overs read through chains of rmws of every kind and
//     flavour, spinlocks, fences), recorded once; a test herd7 did not finish is listed as such.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { exploreLitmus } from '../../src/explore/litmus.ts';
import type { Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { type HerdOut, herdOut } from '../litmus/herd-out.ts';
import { REPO_ROOT } from '../litmus/kernel-tests.ts';
import { lockTestText } from './generate-locks.ts';

const DIR = join(REPO_ROOT, 'test', 'explore', 'herd7');
const TIMEOUT_MS = 600_000;

/** What the explorer says of `t` under lkmm, judging the code's own events, as herd7 prints it. */
function explored(t: Test): HerdOut {
  const v = exploreLitmus(t, 'lkmm', { judge: 'code', timeoutMs: TIMEOUT_MS });
  return {
    states: [...v.states.keys()].sort(),
    counts: `${v.positive}/${v.negative}`,
    observation: v.observation,
  };
}

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.litmus'));

test('the rwlock fixtures are there', (t) => {
  t.deepEqual(fixtures, ['rwlock-read-slowpath.litmus']);
});

for (const f of fixtures)
  test(`${f}: the explorer gives herd7's states, counts and observation`, (t) => {
    const herd = herdOut(readFileSync(join(DIR, `${f}.out`), 'utf8'));
    t.deepEqual(explored(loadLitmus(join(DIR, f))), herd);
  });

const digest = (states: string[]) =>
  createHash('sha256').update(states.join('\n')).digest('hex').slice(0, 12);

test("generated lock tests: the explorer gives herd7's recorded answer on each", (t) => {
  const rows = readFileSync(join(REPO_ROOT, 'test', 'explore', 'data', 'locks.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t') as [string, string]);
  const recorded = rows.filter(([, herd]) => !herd.startsWith('not recorded'));
  t.true(recorded.length >= 10, `${recorded.length} tests recorded`);
  const differ: string[] = [];
  for (const [seed, herd] of recorded) {
    const text = lockTestText(Number(seed));
    const e = explored(parseLitmus(text, `locks-${seed}.litmus`));
    const ours = `${e.observation} ${e.counts} ${e.states.length} ${digest(e.states)}`;
    if (ours !== herd) differ.push(`locks-${seed}: explorer ${ours}, herd7 ${herd}`);
  }
  t.deepEqual(differ, []);
});
