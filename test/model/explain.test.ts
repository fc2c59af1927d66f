// --explain and --ablate on the kernel's own examples.

import test from 'ava';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { ablations, checkModel, explain } from '../../src/model/index.ts';

const SB_MB = parseLitmus(
  `C SB+fencembonceonces
{}
P0(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*x, 1);
	smp_mb();
	r0 = READ_ONCE(*y);
}

P1(int *x, int *y)
{
	int r0;

	WRITE_ONCE(*y, 1);
	smp_mb();
	r0 = READ_ONCE(*x);
}

exists (0:r0=0 /\\ 1:r0=0)
`,
  'SB+fencembonceonces.litmus',
);

const MP_WMB_RMB = parseLitmus(
  `C MP+fencewmbonceonce+fencermbonceonce
{}
P0(int *buf, int *flag)
{
	WRITE_ONCE(*buf, 1);
	smp_wmb();
	WRITE_ONCE(*flag, 1);
}

P1(int *buf, int *flag)
{
	int r0;
	int r1;

	r0 = READ_ONCE(*flag);
	smp_rmb();
	r1 = READ_ONCE(*buf);
}

exists (1:r0=1 /\\ 1:r1=0)
`,
  'MP+fencewmbonceonce+fencermbonceonce.litmus',
);

test('explain SB+fencembonceonces: the propagation axiom, and a cycle through both smp_mb()', (t) => {
  const lines = explain(SB_MB, 'lkmm');
  const text = lines.join('\n');
  t.is(
    lines[0],
    'SB+fencembonceonces under lkmm: the condition exists (0:r0=0 /\\ 1:r0=0) is never reached.',
  );
  t.regex(text, /forbidden by the propagation axiom \(acyclic pb\)/);
  t.regex(text, /--strong fence: smp_mb\(\) at 8:2-->/);
  t.regex(text, /--strong fence: smp_mb\(\) at 17:2-->/);
  t.is(text.match(/--fre-->/g)?.length, 2);
});

test('explain a reachable condition: a witness execution with its rf and co', (t) => {
  const lines = explain(SB_MB, 'tso');
  t.is(
    lines[0],
    'SB+fencembonceonces under tso: the condition exists (0:r0=0 /\\ 1:r0=0) is never reached.',
  );
  const sb = explain(
    {
      ...SB_MB,
      threads: SB_MB.threads.map((th) => ({
        ...th,
        body: th.body.filter((i) => i.kind !== 'fence'),
      })),
    },
    'lkmm',
  );
  t.regex(sb[0]!, /is reachable/);
  t.true(sb.includes('rf: init x=0 → P1:Rx=0, init y=0 → P0:Ry=0'));
  t.true(sb.includes('co: x: init x=0 < P0:Wx=1; y: init y=0 < P1:Wy=1'));
});

test('ablations of MP+fencewmbonceonce+fencermbonceonce: removing either fence allows the outcome', (t) => {
  t.is(checkModel(MP_WMB_RMB, 'lkmm').observation, 'Never');
  const all = ablations(MP_WMB_RMB);
  const removed = all.filter((a) => a.change === 'removed');
  t.deepEqual(
    removed.map((a) => a.element),
    ['P0: smp_wmb() at 6:2', 'P1: smp_rmb() at 16:2'],
  );
  for (const a of removed) t.is(checkModel(a.test, 'lkmm').observation, 'Sometimes', a.element);
  // Each ONCE is weakened to a plain access too, and the original test is left untouched.
  t.true(all.some((a) => a.change === 'READ_ONCE → plain read'));
  t.is(MP_WMB_RMB.threads[0]!.body.filter((i) => i.kind === 'fence').length, 1);
});

test('ablations name a lock pair and a release/acquire', (t) => {
  const locks = parseLitmus(
    `C MP+polocks
{}
P0(int *x, int *y, spinlock_t *l) { WRITE_ONCE(*x, 1); spin_lock(l); WRITE_ONCE(*y, 1); spin_unlock(l); }
P1(int *x, int *y, spinlock_t *l) { int r0; int r1; spin_lock(l); r0 = READ_ONCE(*y); spin_unlock(l); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)
`,
    'MP+polocks.litmus',
  );
  const pairs = ablations(locks).filter((a) => a.change === 'lock pair removed');
  t.deepEqual(
    pairs.map((a) => a.element),
    [
      'P0: spin_lock() at 3:56 … spin_unlock() at 3:89',
      'P1: spin_lock() at 4:53 … spin_unlock() at 4:87',
    ],
  );
  t.is(checkModel(locks, 'lkmm').observation, 'Never');
  t.is(checkModel(pairs[1]!.test, 'lkmm').observation, 'Sometimes');
});

test('explain an RCU test: the rcu axiom, its grace period and critical section', (t) => {
  const rcu = parseLitmus(
    `C RCU-MP
{}
P0(int *x, int *y) { WRITE_ONCE(*x, 1); synchronize_rcu(); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; int r1; rcu_read_lock(); r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); rcu_read_unlock(); }
exists (1:r0=1 /\\ 1:r1=0)
`,
    'RCU-MP.litmus',
  );
  const text = explain(rcu, 'lkmm').join('\n');
  t.regex(text, /forbidden by the rcu axiom \(irreflexive rb\)/);
  t.regex(
    text,
    /synchronize_rcu\(\) at 3:41, P1's critical section from rcu_read_lock\(\) at 4:38/,
  );
});
