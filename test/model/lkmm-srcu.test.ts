// SRCU as linux-kernel.bell and .cat have it: srcu_read_lock() reads the srcu_struct and
// srcu_read_unlock() writes the index back (srcu-rscs pairs them by that data dependency, even
// across threads with srcu_down_read()/srcu_up_read()), and synchronize_srcu() is a grace
// period for the critical sections of its own srcu_struct only (rcu-order's `& loc`). The
// expected verdicts and counts follow from the cat by the reasoning in each comment.

import test from 'ava';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel } from '../../src/model/index.ts';

const run = (body: string) => {
  const v = checkModel(parseLitmus(`C T\n{}\n${body}`, 'T.litmus'), 'lkmm');
  return { observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags };
};

/** RCU's MP guarantee with SRCU: the reader's critical section on s1, the grace period on s2. */
const mp = (gp: string) =>
  `P0(int *x, int *y, struct srcu_struct *s1) {
     int r0; int r1; int idx;
     idx = srcu_read_lock(s1); r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); srcu_read_unlock(s1, idx);
   }
   P1(int *x, int *y, struct srcu_struct *s1, struct srcu_struct *s2) {
     WRITE_ONCE(*y, 1); synchronize_srcu(${gp}); WRITE_ONCE(*x, 1);
   }
   exists (0:r0=1 /\\ 0:r1=0)`;

test('synchronize_srcu() waits for a critical section of its srcu_struct (MP: Never)', (t) => {
  // x=1 seen inside the section: the section does not end before the grace period starts, so
  // it started after y=1 propagated (rcu-order gp ; rcu-link ; srcu-rscsi): r1=0 is forbidden.
  // Each srcu_read_lock() can only read the initial value of s1 (its own unlock is po-later):
  // the 3 other states, one execution each.
  t.deepEqual(run(mp('s1')), { observation: 'Never', positive: 0, negative: 3, flags: [] });
});

test('a grace period of another srcu_struct orders nothing (MP: Sometimes)', (t) => {
  t.deepEqual(run(mp('s2')), { observation: 'Sometimes', positive: 1, negative: 3, flags: [] });
});

test('srcu_down_read() and srcu_up_read() in two threads pair through memory', (t) => {
  // MP inside a section that P0 opens and P2 closes: P0 hands its index to P2 through d (a
  // release, so that P0's read of x is ordered before it). carry-srcu-data follows data ; rf,
  // so when P2 reads d from P0 the section runs from P0's down_read to P2's up_read. x=1 seen
  // (r0=1): gp ; rcu-link (x, then d, to P2's up_read) ; srcu-rscsi puts the grace period
  // before the section's start, so P0's read of y must see y=1: r1=0 is forbidden.
  const body = (unlockIndex: string) => `P0(int *x, int *y, int *d, struct srcu_struct *s) {
      int idx; int r0; int r1;
      idx = srcu_down_read(s); r1 = READ_ONCE(*y); r0 = READ_ONCE(*x); smp_store_release(d, idx + 1);
    }
    P1(int *x, int *y, struct srcu_struct *s) { WRITE_ONCE(*y, 1); synchronize_srcu(s); WRITE_ONCE(*x, 1); }
    P2(int *d, struct srcu_struct *s) {
      int r2;
      r2 = READ_ONCE(*d); if (r2 != 0) srcu_up_read(s, ${unlockIndex});
    }
    exists (0:r0=1 /\\ 0:r1=0 /\\ 2:r2=1)`;
  t.is(run(body('r2 - 1')).observation, 'Never');
  // An index that does not come from the down_read pairs nothing: MP with unordered reads.
  const unpaired = run(body('0'));
  t.is(unpaired.observation, 'Sometimes');
  t.deepEqual(unpaired.flags, ['unmatched-srcu-lock', 'unmatched-srcu-unlock']);
});

test('an srcu_read_lock() with no unlock is flagged as herd7 flags it', (t) => {
  const v =
    run(`P0(int *x, struct srcu_struct *s) { int idx; idx = srcu_read_lock(s); WRITE_ONCE(*x, 1); }
    exists (x=1)`);
  t.deepEqual(v.flags, ['unmatched-srcu-lock']);
});

test('an access to the srcu_struct as data is flagged mixed-lock-accesses', (t) => {
  const v =
    run(`P0(struct srcu_struct *s) { int idx; idx = srcu_read_lock(s); srcu_read_unlock(s, idx); }
    P1(int *s) { WRITE_ONCE(*s, 5); }
    exists (true)`);
  t.true(v.flags.includes('mixed-lock-accesses'));
});

test('smp_mb__after_srcu_read_unlock() makes the unlock a full barrier (SB: Never, Sometimes without)', (t) => {
  // mb's term [M] ; po? ; [Srcu-unlock] ; fencerel(After-srcu-read-unlock) ; [M]: P0's store
  // and load are ordered as by smp_mb().
  const sb = (fence: string) =>
    run(`P0(int *x, int *y, struct srcu_struct *s) {
        int r0; int idx;
        WRITE_ONCE(*x, 1); idx = srcu_read_lock(s); srcu_read_unlock(s, idx); ${fence} r0 = READ_ONCE(*y);
      }
      P1(int *x, int *y) { int r1; WRITE_ONCE(*y, 1); smp_mb(); r1 = READ_ONCE(*x); }
      exists (0:r0=0 /\\ 1:r1=0)`).observation;
  t.is(sb('smp_mb__after_srcu_read_unlock();'), 'Never');
  t.is(sb(''), 'Sometimes');
});
