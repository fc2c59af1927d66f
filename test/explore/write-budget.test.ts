// The writes a thread may still make (src/explore/write-budget.ts, docs/explore.md "Writes
// left"): a thread that already made, at a location, as many writes of a value (or in all) as
// one accepted execution did cannot resolve a guess of it; k pending guesses of rmws' reads only
// one thread can resolve need k writes of it left. That it drops no execution of a whole search:
// test/explore/pending.test.ts and agreement.test.ts.

import test from 'ava';
import type { Guesses } from '../../src/explore/guess-resolution.ts';
import { rmwGuessesFit, writesLeft } from '../../src/explore/write-budget.ts';
import type { Value } from '../../src/litmus/ir.ts';
import type { EventSpec, Trace } from '../../src/model/core/events.ts';

const X = 0;
const INSTR = { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } } as const;

/** A trace writing these values at X, in order. */
function writing(values: Value[]): Trace {
  const events: EventSpec[] = values.map((value) => ({
    dir: 'W',
    loc: X,
    value,
    annot: 'once',
    instr: INSTR,
  }));
  return { thread: 1, events, regs: new Map(), addr: [], data: [], ctrl: [], rmw: [] };
}

/** A domain in which thread 1 wrote X at most `ofValue[v]` times with value v, `inAll` in all. */
function domain(ofValue: Record<number, number>, inAll: number): Guesses {
  return {
    values: () => Object.keys(ofValue).map(Number),
    writes: (_u, _loc, v) => (ofValue[v] ?? 0) > 0,
    plain: () => false,
    times: (_u, _loc, v) => (v === undefined ? inAll : (ofValue[v] ?? 0)),
  };
}

test('a thread that wrote a value as often as any accepted execution did writes it no more', (t) => {
  const d = domain({ 1: 1, 2: 2 }, 3);
  t.true(writesLeft(writing([]), 1, X, 1, d));
  t.false(writesLeft(writing([1]), 1, X, 1, d));
  t.true(writesLeft(writing([2]), 1, X, 2, d));
  t.false(writesLeft(writing([2, 2]), 1, X, 2, d));
  // three writes in all at most: after 1 and 2, one more; after 2, 1, 2 none
  t.true(writesLeft(writing([1, 2]), 1, X, 2, d));
  t.false(writesLeft(writing([2, 1, 2]), 1, X, 2, domain({ 1: 1, 2: 3 }, 3)));
});

test('guesses of rmws that one thread alone can resolve need a write each', (t) => {
  const d = domain({ 1: 1, 2: 2 }, 2);
  const traces = [writing([]), writing([])];
  const g = (value: Value) => ({ loc: X, value, u: 1 });
  t.true(rmwGuessesFit(traces, [g(1)], d));
  t.true(rmwGuessesFit(traces, [g(1), g(2)], d));
  t.true(rmwGuessesFit(traces, [g(2), g(2)], d));
  // two of value 1, written once at most
  t.false(rmwGuessesFit(traces, [g(1), g(1)], d));
  // three writes, two at most in all
  t.false(rmwGuessesFit(traces, [g(1), g(2), g(2)], domain({ 1: 1, 2: 2 }, 2)));
  // one write already made leaves one
  t.false(rmwGuessesFit([writing([]), writing([2])], [g(1), g(2)], d));
});
