// lock.cat's details, each against the kernel's current lock.cat by reasoning (no herd7 output
// in ../shared covers them).

import test from 'ava';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel } from '../../src/model/index.ts';

const run = (body: string) => {
  const v = checkModel(parseLitmus(`C T\n{}\n${body}`, 'T.litmus'), 'lkmm');
  return { observation: v.observation, positive: v.positive, negative: v.negative, flags: v.flags };
};

test('a spin_is_locked() that finds the lock free reads from one unlock: its own last, another thread’s, or the initial write', (t) => {
  // Lock orders P0 then P1 (a) or P1 then P0 (b). r0=0 (RU) may read P0's own UL in (a) and
  // (b), or P1's UL in (a); reading the initial write, or P1's UL in (b), would put the RU
  // before P0's own LKW in coherence. r0=1 (RL) reads P1's LKW, in (a) only: 1 and 3.
  t.deepEqual(
    run(`P0(spinlock_t *s) { int r0; spin_lock(s); spin_unlock(s); r0 = spin_is_locked(s); }
         P1(spinlock_t *s) { spin_lock(s); spin_unlock(s); }
         exists (0:r0=1)`),
    { observation: 'Sometimes', positive: 1, negative: 3, flags: [] },
  );
});

test("lock.cat's flags: a spin_unlock() with no spin_lock(), and a lock in the final state", (t) => {
  t.deepEqual(run('P0(spinlock_t *s) { spin_unlock(s); }\nexists (true)').flags, [
    'unmatched-unlock',
  ]);
  t.deepEqual(run('P0(spinlock_t *s) { spin_lock(s); }\nexists (s=0)').flags, ['lock-final']);
  t.deepEqual(run('P0(spinlock_t *s) { spin_lock(s); spin_unlock(s); }\nexists (true)').flags, []);
});

test('a spinlock also read as data runs, flagged mixed-lock-accesses as herd7 flags it', (t) => {
  // An ordinary read of s reads from an ordinary write or the initial write, never from a lock
  // event (lock.cat gives lock events their own rf): P1 reads 0, in the one execution.
  t.deepEqual(
    run(`P0(spinlock_t *s, int *x) { spin_lock(s); WRITE_ONCE(*x, 1); spin_unlock(s); }
         P1(spinlock_t *s) { int r0; r0 = READ_ONCE(*s); }
         exists (1:r0=0)`),
    { observation: 'Always', positive: 1, negative: 0, flags: ['mixed-lock-accesses'] },
  );
  // A data write to s joins the LKWs in co: before P0's lock (then P0's LKR reads from
  // nothing, as lock.cat's rf for LKR comes only from IW or a UL) or after its unlock.
  const v = run(`P0(spinlock_t *s) { spin_lock(s); spin_unlock(s); }
    P1(spinlock_t *s) { WRITE_ONCE(*s, 1); }
    exists (s=1)`);
  t.deepEqual(v, {
    observation: 'Sometimes',
    positive: 1,
    negative: 1,
    flags: ['lock-final', 'mixed-lock-accesses'],
  });
});
