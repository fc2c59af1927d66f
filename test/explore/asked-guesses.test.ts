// What a check asked lkmm's guess domain, kept with a state it dropped (src/explore/asked-guesses.ts):
// asked again of the domain, the same answers say the check would drop the state again, and
// any answer that changed says it must run again — whichever question changed, and a question
// asked twice is kept once.

import test from 'ava';
import { AskingGuesses, sameAnswers } from '../../src/explore/asked-guesses.ts';
import type { Guesses } from '../../src/explore/guess-resolution.ts';

/** A domain of tables the test changes: writes/plain by "u:loc:value", times by "u:loc:value|*". */
function domain() {
  const writes = new Set<string>();
  const plain = new Set<string>();
  const times = new Map<string, number>();
  const g: Guesses = {
    values: () => [1],
    writes: (u, loc, v) => writes.has(`${u}:${loc}:${v}`),
    plain: (u, loc, v) => plain.has(`${u}:${loc}:${v}`),
    times: (u, loc, v) => times.get(`${u}:${loc}:${v ?? '*'}`) ?? 0,
  };
  return { g, writes, plain, times };
}

/** A check that asks what a justifiable check asks: writes, then plain and times of each. */
function check(g: Guesses): boolean {
  if (!g.writes(1, 0, 5)) return false;
  g.writes(1, 0, 5);
  return g.plain(1, 0, 5) || g.times(1, 0, 5) > g.times(1, 0);
}

test('the same answers say the check drops the state again; a changed one says ask it again', (t) => {
  const d = domain();
  d.writes.add('1:0:5');
  d.times.set('1:0:*', 2);
  const asking = new AskingGuesses(d.g);
  asking.start();
  t.false(check(asking));
  const asked = asking.asked()!;
  // writes (asked twice, kept once), plain, times of the value, times of any
  t.is(asked.length, 4 * 5);
  t.true(sameAnswers(asked, d.g));
  // a question the check did not ask changes nothing
  d.writes.add('2:0:5');
  d.times.set('2:0:*', 9);
  t.true(sameAnswers(asked, d.g));
  // each question it asked, changed alone, is seen
  for (const change of [
    () => d.plain.add('1:0:5'),
    () => d.times.set('1:0:5', 3),
    () => d.times.set('1:0:*', 1),
  ]) {
    const before = { plain: new Set(d.plain), times: new Map(d.times) };
    change();
    t.false(sameAnswers(asked, d.g));
    d.plain.clear();
    for (const p of before.plain) d.plain.add(p);
    d.times.clear();
    for (const [k, v] of before.times) d.times.set(k, v);
    t.true(sameAnswers(asked, d.g));
  }
  d.writes.delete('1:0:5');
  t.false(sameAnswers(asked, d.g));
});

test('a check that asked for values keeps nothing (the check runs again)', (t) => {
  const asking = new AskingGuesses(domain().g);
  asking.start();
  asking.values(0, [1]);
  t.is(asking.asked(), undefined);
  asking.start();
  asking.writes(1, 0, 5);
  t.deepEqual(asking.asked(), [0, 1, 0, 5, 0]);
});
