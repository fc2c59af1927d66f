// The lock hand-over rule (src/explore/lock-handover.ts, docs/explore.md "A lock waited for past
// a pending guess"), on small states built by hand: a thread waiting at spin_lock() past every
// release, while each thread that could release the lock has a marked pending guess only the
// waiting thread can resolve, is a cycle of lkmm's happens-before; a plain source, a release
// already made, another thread free to release, a lock held for good (a deadlock) are not.
// That it drops no execution of a whole search: test/explore/pending.test.ts.

import test from 'ava';
import type { Guesses } from '../../src/explore/guess-resolution.ts';
import { justifiable } from '../../src/explore/guess-resolution.ts';
import { lockedPastGuess, type OnlyResolvers } from '../../src/explore/lock-handover.ts';
import type { Source } from '../../src/explore/partial.ts';
import { type Guess, keyOf, type Prefix, type Wait } from '../../src/explore/prefixes.ts';
import type { ThreadState } from '../../src/explore/search-state.ts';
import type { Question, Space } from '../../src/explore/thread.ts';
import type { AccessAnnot } from '../../src/litmus/ir.ts';
import type { EventSpec, LockRole } from '../../src/model/core/events.ts';

const X = 0;
const L = 1;
const INSTR = { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } } as const;

type Ev = ['R' | 'W', AccessAnnot] | LockRole;

/** A thread of a state: its events (at X, or lock events of L), where it stands, its guesses. */
function thread(
  t: number,
  events: Ev[],
  at: Question | 'done',
  more: { sources?: Source[]; guessed?: Guess[]; waiting?: number[] } = {},
): ThreadState<unknown> {
  const specs: EventSpec[] = events.map((e) =>
    typeof e === 'string'
      ? { dir: e === 'LKR' ? 'R' : 'W', loc: L, value: 0, annot: 'once', lock: e, instr: INSTR }
      : { dir: e[0], loc: X, value: 1, annot: e[1], instr: INSTR },
  );
  const trace = {
    thread: t,
    events: specs,
    regs: new Map(),
    addr: [],
    data: [],
    ctrl: [],
    rmw: [],
  };
  const replay =
    at === 'done'
      ? { kind: 'done' as const, trace, calls: [], result: undefined }
      : { kind: 'asks' as const, question: at, trace };
  const p = {
    id: t,
    thread: t,
    answers: [],
    sources: more.sources ?? [],
    replay,
    trace,
    ...(more.guessed && { guessed: more.guessed }),
  } as Prefix<unknown>;
  const waiting: Wait | undefined = more.waiting && { id: 1, keys: new Set(more.waiting) };
  return { p, guesses: more.guessed?.length ?? 0, ...(waiting && { waiting }) };
}

const atLock: Question = { kind: 'lock', loc: L };
const atRead: Question = { kind: 'read', loc: X };
/** [w, u, at]: thread w's guess at trace index `at` only u can resolve. */
const only = (entries: [number, number, number][]): OnlyResolvers => {
  const out = new Map<number, Map<number, number>>();
  for (const [w, u, at] of entries) out.set(w, (out.get(w) ?? new Map()).set(u, at));
  return out;
};

test('a thread waiting at a lock past a guess only it can resolve closes a cycle of hb', (t) => {
  // P0: r = READ_ONCE(x) (guessed, from P1), then on.   P1: waits at spin_lock(l), free,
  // every release (none) offered: it takes l from P0's later spin_unlock(), and writes x after.
  const p0 = thread(0, [['R', 'once']], atRead);
  const p1 = thread(1, [], atLock, { waiting: [] });
  t.true(lockedPastGuess([p0, p1], only([[0, 1, 0]])));
  t.false(lockedPastGuess([p0, p1], only([])));
  // P1 not waiting (it may take l now, from the initial write): no rule.
  t.false(lockedPastGuess([p0, thread(1, [], atLock)], only([[0, 1, 0]])));
  // P0 held l and released it, a release P1 has not been offered: P1 may take l from it.
  const released = thread(0, ['LKR', 'LKW', 'UL', ['R', 'once']], atRead);
  t.false(lockedPastGuess([released, p1], only([[0, 1, 3]])));
  // ... offered it (and waiting past it), P1 takes l from a later release: the cycle again.
  const past = thread(1, [], atLock, { waiting: [keyOf({ thread: 0, index: 2 })] });
  t.true(lockedPastGuess([released, past], only([[0, 1, 3]])));
});

test('another thread that may release the lock without such a guess breaks the rule', (t) => {
  const p0 = thread(0, [['R', 'once']], atRead);
  const p1 = thread(1, [], atLock, { waiting: [] });
  const p2 = thread(2, [], atRead);
  t.false(lockedPastGuess([p0, p1, p2], only([[0, 1, 0]])));
  t.true(
    lockedPastGuess(
      [p0, p1, p2],
      only([
        [0, 1, 0],
        [2, 1, 0],
      ]),
    ),
  );
  // A finished thread releases nothing more.
  t.true(lockedPastGuess([p0, p1, thread(2, [], 'done')], only([[0, 1, 0]])));
});

test('a lock held for good (by the waiter, or by a finished thread) is a deadlock, left alone', (t) => {
  const p0 = thread(0, [['R', 'once']], atRead);
  const self = thread(1, ['LKR', 'LKW'], atLock, { waiting: [] });
  t.false(lockedPastGuess([p0, self], only([[0, 1, 0]])));
  const holder = thread(2, ['LKR', 'LKW'], 'done');
  t.false(lockedPastGuess([p0, thread(1, [], atLock, { waiting: [] }), holder], only([[0, 1, 0]])));
  // Held by P0, which has the guess: it releases l later, and P1 takes it from there.
  const held = thread(0, ['LKR', 'LKW', ['R', 'once']], atRead);
  t.true(lockedPastGuess([held, thread(1, [], atLock, { waiting: [] })], only([[0, 1, 2]])));
});

test('a thread holding a lock released after a guess only it can resolve closes a cycle of hb', (t) => {
  // P0: r = READ_ONCE(x) (guessed, from P1); spin_lock(l); spin_unlock(l).   P1 holds l now:
  // its critical section follows P0's, so its later write of x follows P0's release.
  const p0 = thread(0, [['R', 'once'], 'LKR', 'LKW', 'UL'], atRead);
  const holding = thread(1, ['LKR', 'LKW'], atRead);
  t.true(lockedPastGuess([p0, holding], only([[0, 1, 0]])));
  // P1 released l since: its critical section may have come first.
  t.false(lockedPastGuess([p0, thread(1, ['LKR', 'LKW', 'UL'], atRead)], only([[0, 1, 0]])));
  // P0 released l before its guess: nothing orders the guess before P1's critical section.
  const before = thread(0, ['LKR', 'LKW', 'UL', ['R', 'once']], atRead);
  t.false(lockedPastGuess([before, holding], only([[0, 1, 3]])));
});

test('a plain guessed read, or a source the domain has seen written plainly, is outside hb', (t) => {
  const space = { isLock: (loc: number) => loc === L } as unknown as Space;
  const domain = (plain: boolean): Guesses => ({
    values: () => [1],
    writes: () => true,
    plain: () => plain,
    times: () => 1,
  });
  const guessed = [{ loc: X, value: 1, read: 0 }];
  const state = (annot: AccessAnnot) => [
    thread(0, [['R', annot]], atRead, { sources: ['guess'], guessed }),
    thread(1, [], atLock, { waiting: [] }),
  ];
  t.false(justifiable(state('once'), domain(false), { space }));
  t.true(justifiable(state('once'), domain(true), { space }));
  t.true(justifiable(state('plain'), domain(false), { space }));
  t.true(justifiable(state('acquire'), domain(false), { space, guessPruning: false }));
});
