// The coherence check of pending guesses (src/explore/pending.ts): on small states built by
// hand, the cycles it must see (a guess whose own thread's later write the resolver has read;
// two guesses that each need the other's thread to have gone further), and that it lets a
// plain load-buffering guess through; then, on whole searches, that it drops no execution the
// model accepts: under lkmm, the explorer with it (and with guesses.ts's repeatsView, and the
// waiting read with the fewest values chosen to guess: rounds.ts guessingRead) finds exactly
// the executions it finds with no guess pruned and the lowest waiting thread guessing — on
// load-buffering-heavy litmus tests (several guesses per execution, uncapped) and on the seed
// scenarios whose guesses it prunes (at a cap of 2, where the unchecked search ends, and
// pf-invalidate-race at its own cap of 1) — while visiting fewer states.

import test, { type ExecutionContext } from 'ava';
import { explore } from '../../src/explore/explore.ts';
import { litmusProgram } from '../../src/explore/litmus.ts';
import { eventId, type PartialThread, type Source } from '../../src/explore/partial.ts';
import { type PendingGuess, pendingCoherent } from '../../src/explore/pending.ts';
import { exploreVariant } from '../../src/explore/scenario.ts';
import type { Finished } from '../../src/explore/search.ts';
import type { Test } from '../../src/litmus/ir.ts';
import { Budget } from '../../src/model/core/budget.ts';
import type { EventSpec } from '../../src/model/core/events.ts';
import type { Execution } from '../../src/model/core/execution.ts';
import { loadScenario } from '../../src/runtime/scenario/load.ts';
import { lbTest } from './generate-lb.ts';
import { lockLbTest } from './generate-lock-lb.ts';

const X = 0;
const INSTR = { kind: 'fence', annot: 'mb', pos: { line: 0, col: 0 } } as const;

/** A thread of a state: events [dir, value] at X (an rmw: 'RW'), and its reads' sources. */
function thread(events: ('R' | 'W' | 'RW')[], sources: Source[]): PartialThread {
  const specs: EventSpec[] = [];
  const rmw: [number, number][] = [];
  for (const e of events) {
    if (e === 'RW') rmw.push([specs.length, specs.length + 1]);
    for (const dir of e === 'RW' ? (['R', 'W'] as const) : [e])
      specs.push({
        dir,
        loc: X,
        value: 1,
        annot: 'once',
        instr: INSTR,
        ...(e === 'RW' && { rmw: 'pair' }),
      });
  }
  const trace = { thread: 0, events: specs, regs: new Map(), addr: [], data: [], ctrl: [], rmw };
  return { trace, sources };
}

const noLocks = () => false;
const guess = (t: number, read: number, writers: number[]): PendingGuess => ({
  thread: t,
  loc: X,
  read,
  writers,
});

test("a guess has no source once its writer has read the guesser's later write", (t) => {
  // P0: r = x (guessed, from P1's future write); x = 1.   P1: s = x (reads P0's x = 1).
  // P1's future write follows its read of P0's write, which follows the one P0's r reads.
  const p0 = thread(['R', 'W'], ['guess']);
  t.false(
    pendingCoherent([p0, thread(['R'], [{ thread: 0, index: 1 }])], [guess(0, 0, [1])], noLocks),
  );
  // P1 read the initial value: its future write may come before P0's x = 1.
  t.true(
    pendingCoherent([p0, thread(['R'], [{ thread: -1, index: 0 }])], [guess(0, 0, [1])], noLocks),
  );
  // A third thread may still write it (P1 cannot): P2, whose events close no cycle.
  const p2 = thread([], []);
  t.true(
    pendingCoherent(
      [p0, thread(['R'], [{ thread: 0, index: 1 }]), p2],
      [guess(0, 0, [1, 2])],
      noLocks,
    ),
  );
});

test('two guesses that each need the other thread further on are seen together', (t) => {
  // P0: r = x (guessed, from P1).   P1: s = x (guessed, from P0); x = s + 1 (one rmw).
  // P0's source follows P1's rmw write; P1's source follows P0's read of that source, so it
  // comes after it in coherence; and P1's rmw write follows P1's source: a cycle.
  const p0 = thread(['R'], ['guess']);
  const p1 = thread(['RW'], ['guess']);
  const both = [guess(0, 0, [1]), guess(1, 0, [0])];
  t.true(pendingCoherent([p0, p1], [both[0]!], noLocks));
  t.true(pendingCoherent([p0, p1], [both[1]!], noLocks));
  t.false(pendingCoherent([p0, p1], both, noLocks));
  // Without P1's write nothing follows P1's source: load buffering, coherent.
  t.true(pendingCoherent([p0, thread(['R'], ['guess'])], both, noLocks));
});

test('two guesses of one thread at one location may read one write', (t) => {
  // P0: r1 = x; r2 = x (both guessed, from P1).   P1: x = 1 later, once: both read it.
  const p0 = thread(['R', 'R'], ['guess', 'guess']);
  const p1 = thread(['R'], [{ thread: -1, index: 0 }]);
  t.true(pendingCoherent([p0, p1], [guess(0, 0, [1]), guess(0, 1, [1])], noLocks));
  // With a write of P0's between them, they read two of P1's later writes, in order.
  const p0w = thread(['R', 'W', 'R'], ['guess', 'guess']);
  t.true(pendingCoherent([p0w, p1], [guess(0, 0, [1]), guess(0, 1, [1])], noLocks));
});

test('a waiting read comes before the source of a guess only its thread can resolve', (t) => {
  // P0: r = x (guessed, from P1); x = 1 (one rmw).   P1: waiting at a read of x, every write
  // offered but P0's x = 1. P1's future write (P0's source) follows that read, which reads
  // P0's x = 1 or a later write of P0: each co-after P0's source, a cycle.
  const p0 = thread(['RW'], ['guess']);
  const p1 = thread([], []);
  const waitingP1 = { thread: 1, loc: X, fresh: [eventId(0, 1)], writers: [0] };
  t.true(pendingCoherent([p0, p1], [guess(0, 0, [1])], noLocks));
  t.false(pendingCoherent([p0, p1], [guess(0, 0, [1])], noLocks, [waitingP1]));
  // P0 wrote x before its guessed read, after P1 was offered x's writes: P1 may read that.
  const p0early = thread(['W', 'R'], ['guess']);
  const early = { thread: 1, loc: X, fresh: [eventId(0, 0)], writers: [0] };
  t.true(pendingCoherent([p0early, p1], [guess(0, 0, [1])], noLocks, [early]));
  // ... but not once P0 wrote x after its guessed read too.
  const p0both = thread(['W', 'RW'], ['guess']);
  const both = { thread: 1, loc: X, fresh: [eventId(0, 0), eventId(0, 2)], writers: [0] };
  t.true(pendingCoherent([p0both, p1], [guess(0, 0, [1])], noLocks, [early]));
  t.false(pendingCoherent([p0both, p1], [guess(0, 0, [1])], noLocks, [{ ...both, fresh: [] }]));
  // A third thread may still write what P1 waits for: no cycle.
  const p2 = thread([], []);
  t.true(
    pendingCoherent([p0, p1, p2], [guess(0, 0, [1])], noLocks, [{ ...waitingP1, writers: [0, 2] }]),
  );
});

test('a guess at a spinlock location is left to lock.ts', (t) => {
  const p0 = thread(['R', 'W'], ['guess']);
  t.true(
    pendingCoherent([p0, thread(['R'], [{ thread: 0, index: 1 }])], [guess(0, 0, [1])], () => true),
  );
});

/** One accepted execution, as its runs' answers, reads-from and coherence order. */
function executionKey(x: Execution, runs: Finished<unknown>[]): string {
  const rf: string[] = [];
  for (let w = 0; w < x.sk.n; w++) for (const r of x.rf.successors(w)) rf.push(`${w}>${r}`);
  return JSON.stringify([runs.map((r) => r.answers), rf.sort(), x.coOrder]);
}

/** The executions lkmm accepts, explored with or without the check, and the states visited. */
function explored(test: Test, guessPruning: boolean) {
  const budget = new Budget({ timeoutMs: 120_000, what: test.name });
  const keys: string[] = [];
  const stats = explore(
    litmusProgram(test, budget.tick),
    { model: 'lkmm', budget, maxGuesses: Infinity, guessPruning },
    (x, runs) => keys.push(executionKey(x, runs)),
  );
  return { keys: keys.sort(), states: stats.states };
}

/** The same executions with the checks as without, on each test; fewer states on `fewer` of them. */
function sameExecutions(t: ExecutionContext, tests: Test[], fewer: number) {
  let n = 0;
  for (const lb of tests) {
    const checked = explored(lb, true);
    const unchecked = explored(lb, false);
    t.deepEqual(checked.keys, unchecked.keys, lb.name);
    t.true(checked.states <= unchecked.states, lb.name);
    if (checked.states < unchecked.states) n++;
  }
  t.true(n >= fewer, `${n} tests with fewer states`);
}

const seeds = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

test('with the check, the same executions on 24 load-buffering-heavy tests, fewer states', (t) => {
  sameExecutions(t, seeds(24).map(lbTest), 5);
});

test('with the checks, the same executions on 40 load-buffering tests with a lock and rmws', (t) => {
  // (the lock hand-over, lock-handover.ts, and writes left, write-budget.ts, drop states in
  // most of them)
  sameExecutions(t, seeds(40).map(lockLbTest), 30);
});

for (const [name, variant, guesses] of [
  ['rwlock-exclusion', 'read-locked', 2],
  ['torn-64bit', 'rwlock', 2],
  ['mmu-lock-yield', 'no-yield', 2],
  ['pf-invalidate-race', 'no-check', 1],
] as const)
  test(`with the check, the same executions of ${name} ${variant} within ${guesses} guesses, fewer states`, async (t) => {
    const s = await loadScenario(name);
    const capped = { ...s, model: { ...s.model!, guesses } };
    const run = (guessPruning?: false) =>
      exploreVariant(capped, variant, {
        model: 'lkmm',
        timeoutMs: 120_000,
        ...(guessPruning === false && { guessPruning }),
      });
    const checked = run();
    const unchecked = run(false);
    const tally = (v: typeof checked) =>
      v.outcomes.map((o) => [o.outcome, o.executions, o.raceFree, o.ordered]);
    t.deepEqual(tally(checked), tally(unchecked));
    t.is(checked.stats.executions, unchecked.stats.executions);
    // (not the combinations judged: under a cap, which read guesses decides which paths need
    // more guesses than the cap, so the two may judge different rejected combinations)
    t.true(checked.stats.states < unchecked.stats.states / 2);
  });
