// The model backend's qualifiers say exactly what bounded the search: the loop bound only when
// it cut something, the events per thread when a run was cut for its length, lkmm's guessed
// reads when a path was cut at the cap, the rounds of guessed values when they ran out.

import test from 'ava';
import type { Extent } from '../../src/explore/scenario.ts';
import { notReached } from '../../src/report/scenario-model-text.ts';

const never = (extent: Extent, executions = 8) => notReached({ extent, executions });

test('never: exhaustive, or within what cut the search', (t) => {
  t.is(never({ kind: 'exhaustive' }), 'never — exhaustive, 8 executions');
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 2 }),
    'never within loop bound 3 (8 executions; 2 cut at the bound)',
  );
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 0, guesses: 2 }),
    'never within 2 guessed reads per execution (8 executions)',
  );
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 0, guesses: 1 }, 1),
    'never within 1 guessed read per execution (1 execution)',
  );
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 5, guesses: 2, rounds: 8 }),
    'never within loop bound 3 and 2 guessed reads per execution and 8 rounds of guessed values (8 executions; 5 cut at the bound)',
  );
  // a run cut for its length, not at the loop bound (a long straight-line thread)
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 0, events: { limit: 2000, cut: 1 } }),
    'never within 2,000 events per thread (8 executions; 1 cut at 2,000 events)',
  );
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 2, events: { limit: 2000, cut: 1 } }),
    'never within loop bound 3 and 2,000 events per thread (8 executions; 2 cut at the bound; 1 cut at 2,000 events)',
  );
});

test('never: races aside, after how far the search went', (t) => {
  t.is(
    never({ kind: 'exhaustive', racesAside: true }),
    'never — exhaustive, 8 executions, races aside',
  );
  t.is(
    never({ kind: 'bounded', loopBound: 3, cut: 2, racesAside: true }),
    'never within loop bound 3 (8 executions; 2 cut at the bound), races aside',
  );
});

test("a refused variant's extent is its own kind, not exhaustive", (t) => {
  t.is(never({ kind: 'refused' }), 'not explored');
});
