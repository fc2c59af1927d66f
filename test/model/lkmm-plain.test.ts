// The plain-access part of linux-kernel.cat, one test per term of ww-vis, wr-vis and
// rw-xbstar: each litmus test below is allowed (with a data race) when its term is missing,
// and forbidden (Never) by the kernel's model, by the reasoning in its comment.

import test from 'ava';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel } from '../../src/model/index.ts';

const verdict = (name: string, body: string) =>
  checkModel(parseLitmus(`C ${name}\n{}\n${body}`, `${name}.litmus`), 'lkmm').observation;

// A chain P0 -> P1 -> P2 of marked accesses, started after P0's plain write of x by smp_mb().
// strong-fence(W0x, W0y) ; xbstar(W0y, R2z) — rfe, data, rfe: three hops, where vis stops at
// the first thread after one rfe — then P2's pre-bound to its plain access of x.
const chain = (p2: string, cond: string) =>
  `P0(int *x, int *y) { *x = 1; smp_mb(); WRITE_ONCE(*y, 1); }
   P1(int *y, int *z) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*z, r0); }
   P2(int *x, int *z) { int r1; int r2; r1 = READ_ONCE(*z); ${p2} }
   exists (1:r0=1 /\\ 2:r1=1 /\\ ${cond})`;

test('wr-vis: strong-fence ; xbstar ; r-pre-bounded (WRC-like chain, plain x read after smp_rmb)', (t) => {
  // r2=0 is fr(R2x, W0x) between threads: rw-incoh, since wr-vis(W0x, R2x).
  t.is(verdict('WRC+plain-wr', chain('smp_rmb(); r2 = *x;', '2:r2=0')), 'Never');
});

test('ww-vis: strong-fence ; xbstar ; w-pre-bounded (the chain ends in a plain write of x after smp_mb)', (t) => {
  // x=1 finally is co(W2x, W0x): ww-incoh, since ww-vis(W0x, W2x).
  t.is(verdict('WRC+plain-ww', chain('smp_mb(); *x = 2;', 'x=1')), 'Never');
});

// A grace period in P0 and a read-side critical section in P1 that saw P0's later store:
// rcu-fence (part of `fence` in this part of the cat) orders what P0 did before
// synchronize_rcu() before everything in P1's critical section.
const rcu = (p0: string, p1: string, cond: string) =>
  `P0(int *x, int *y) { int r0; ${p0} synchronize_rcu(); WRITE_ONCE(*y, 1); }
   P1(int *x, int *y) { int r1; int r2; rcu_read_lock(); r1 = READ_ONCE(*y); ${p1} rcu_read_unlock(); }
   exists (1:r1=1 /\\ ${cond})`;

test('rw-xbstar: fence (rcu-fence from a plain read before the grace period to a plain write in the reader)', (t) => {
  // r0=1 is rf(W1x, R0x) between threads: wr-incoh, since rw-xbstar(R0x, W1x).
  t.is(verdict('RCU+plain-rw', rcu('r0 = *x;', '*x = 1;', '0:r0=1')), 'Never');
});

test('ww-vis: fence (rcu-fence between two plain writes)', (t) => {
  // x=1 finally is co(W1x, W0x): ww-incoh, since ww-vis(W0x, W1x).
  t.is(verdict('RCU+plain-ww', rcu('*x = 1;', '*x = 2;', 'x=1')), 'Never');
});

test('wr-vis: fence (rcu-fence from a plain write to a plain read in the reader)', (t) => {
  // r2=0 is fr(R1x, W0x): rw-incoh, since wr-vis(W0x, R1x).
  t.is(verdict('RCU+plain-wr', rcu('*x = 1;', 'r2 = *x;', '1:r2=0')), 'Never');
});

test('without the ordering, the same shapes are allowed and race', (t) => {
  // P0's smp_mb() gone: nothing bounds the plain write, so the state is allowed.
  const noMb = chain('smp_rmb(); r2 = *x;', '2:r2=0').replace('smp_mb(); ', '');
  const v = checkModel(parseLitmus(`C WRC\n{}\n${noMb}`, 'WRC.litmus'), 'lkmm');
  t.is(v.observation, 'Sometimes');
  t.true(v.flags.includes('data-race'));
  // The reader outside a critical section: no rcu-fence.
  const noRscs = rcu('r0 = *x;', '*x = 1;', '0:r0=1')
    .replace('rcu_read_lock(); ', '')
    .replace(' rcu_read_unlock();', '');
  t.is(verdict('RCU+plain-rw-nolock', noRscs), 'Sometimes');
});

test("a failed cmpxchg()'s read is marked (the bell's RMW), so it races with no WRITE_ONCE", (t) => {
  // x is never 5: the cmpxchg() fails, leaving a lone read. The bell's Marked takes RMW and the
  // annotations before FailedRMW filters them, so that read is not a plain access.
  const lit = parseLitmus(
    `C SB+cmpxchgfail\n{}
     P0(int *x) { int r0; r0 = cmpxchg(x, 5, 1); }
     P1(int *x) { WRITE_ONCE(*x, 1); }
     exists (0:r0=1)`,
    'T.litmus',
  );
  const v = checkModel(lit, 'lkmm');
  t.is(v.observation, 'Sometimes');
  t.deepEqual(v.flags, []);
});
