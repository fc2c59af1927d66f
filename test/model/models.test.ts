// The three models on tests whose verdicts are known from the kernel's documentation and the
// x86-TSO papers, and properties every model run must satisfy.

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { UserError } from '../../src/errors.ts';
import type { Test } from '../../src/litmus/ir.ts';
import { loadLitmus } from '../../src/litmus/load.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { checkModel, MODELS, type ModelName } from '../../src/model/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KERNEL = `${ROOT}../shared/lkmm/litmus-tests`;

const litmus = (name: string, body: string): Test =>
  parseLitmus(`C ${name}\n{}\n${body}`, `${name}.litmus`);

const SB = litmus(
  'SB',
  `P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
   P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
   exists (0:r0=0 /\\ 1:r0=0)`,
);
const MP = litmus(
  'MP',
  `P0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }
   P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }
   exists (1:r0=1 /\\ 1:r1=0)`,
);

/** SB with each CPU's write made by the rmw `xchg` (the old value into r1). */
const sbXchg = (name: string, xchg: string): Test =>
  litmus(
    name,
    `P0(int *x, int *y) { int r0; int r1; r1 = ${xchg}(x, 1); r0 = READ_ONCE(*y); }
     P1(int *x, int *y) { int r0; int r1; r1 = ${xchg}(y, 1); r0 = READ_ONCE(*x); }
     exists (0:r0=0 /\\ 1:r0=0)`,
  );

/** [test, expected observation under sc, tso, lkmm] */
const KNOWN: [Test, ModelName, string][] = [
  [SB, 'sc', 'Never'],
  [SB, 'tso', 'Sometimes'],
  [SB, 'lkmm', 'Sometimes'],
  [MP, 'sc', 'Never'],
  [MP, 'tso', 'Never'],
  [MP, 'lkmm', 'Sometimes'],
  // A fully ordered xchg() is a full barrier; its _relaxed form is not; a failed cmpxchg() orders nothing.
  [sbXchg('SB+xchgs', 'xchg'), 'lkmm', 'Never'],
  [sbXchg('SB+xchgrelaxeds', 'xchg_relaxed'), 'lkmm', 'Sometimes'],
  [
    litmus(
      'SB+failedcmpxchg',
      `P0(int *x, int *y, int *z) { int r0; int r1; WRITE_ONCE(*x, 1); r1 = cmpxchg(z, 5, 1); r0 = READ_ONCE(*y); }
       P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); smp_mb(); r0 = READ_ONCE(*x); }
       exists (0:r0=0 /\\ 1:r0=0)`,
    ),
    'lkmm',
    'Sometimes',
  ],
  // x86: a locked rmw is a full fence, even a relaxed one.
  [sbXchg('SB+xchgrelaxeds-tso', 'xchg_relaxed'), 'tso', 'Never'],
  // RCU: a grace period outlasts a read-side critical section it overlaps...
  [
    litmus(
      'RCU-MP',
      `P0(int *x, int *y) { WRITE_ONCE(*x, 1); synchronize_rcu(); WRITE_ONCE(*y, 1); }
       P1(int *x, int *y) { int r0; int r1; rcu_read_lock(); r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); rcu_read_unlock(); }
       exists (1:r0=1 /\\ 1:r1=0)`,
    ),
    'lkmm',
    'Never',
  ],
  // ... but one grace period cannot order two critical sections.
  [
    litmus(
      'RCU-1GP-2readers',
      `P0(int *x, int *y) { int r1; rcu_read_lock(); r1 = READ_ONCE(*y); WRITE_ONCE(*x, 1); rcu_read_unlock(); }
       P1(int *z, int *x) { int r2; r2 = READ_ONCE(*x); synchronize_rcu(); WRITE_ONCE(*z, 1); }
       P2(int *y, int *z) { int r3; rcu_read_lock(); r3 = READ_ONCE(*z); WRITE_ONCE(*y, 1); rcu_read_unlock(); }
       exists (0:r1=1 /\\ 1:r2=1 /\\ 2:r3=1)`,
    ),
    'lkmm',
    'Sometimes',
  ],
  // A critical section that sees a write made after a grace period sees the writes made
  // before it. Plain interleavings allow this; RCU, kept by every model, does not.
  ...(['sc', 'tso', 'lkmm'] as const).map((m): [Test, ModelName, string] => [
    litmus(
      'RCU-straddle',
      `P0(int *x, int *y) { int ry; int rx; rcu_read_lock(); ry = READ_ONCE(*y); rx = READ_ONCE(*x); rcu_read_unlock(); }
       P1(int *x, int *y) { WRITE_ONCE(*y, 1); synchronize_rcu(); WRITE_ONCE(*x, 1); }
       exists (0:ry=0 /\\ 0:rx=1)`,
    ),
    m,
    'Never',
  ]),
  // A control dependency reaches the arms of the `if` only (herd7, explanation.txt): the
  // write after the `if` is not ordered after the read, so LB is allowed.
  [
    litmus(
      'LB+ctrl-after-if',
      `P0(int *x, int *y, int *z) { int r0; r0 = READ_ONCE(*x); if (r0) WRITE_ONCE(*z, 1); WRITE_ONCE(*y, 1); }
       P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); smp_mb(); WRITE_ONCE(*x, 1); }
       exists (0:r0=1 /\\ 1:r1=1)`,
    ),
    'lkmm',
    'Sometimes',
  ],
  // Release sequences: an rmw extends the release it reads from.
  [
    litmus(
      'MP+rmwseq',
      `P0(int *x, atomic_t *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
       P1(atomic_t *y) { atomic_inc(y); }
       P2(int *x, atomic_t *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }
       exists (2:r0=2 /\\ 2:r1=0)`,
    ),
    'lkmm',
    'Never',
  ],
  // Two atomic_inc()s are never lost.
  [
    litmus(
      'counter',
      `P0(atomic_t *v) { atomic_inc(v); }
       P1(atomic_t *v) { atomic_inc(v); }
       exists (v=1)`,
    ),
    'lkmm',
    'Never',
  ],
];

for (const [t0, model, expected] of KNOWN) {
  test(`${t0.name} under ${model} is ${expected}`, (t) => {
    t.is(checkModel(t0, model).observation as string, expected);
  });
}

test('a plain write and a plain read of one location race, and herd7 flags it', (t) => {
  const race = litmus(
    'race',
    `P0(int *x) { *x = 1; } P1(int *x) { int r0; r0 = *x; } exists (1:r0=1)`,
  );
  const v = checkModel(race, 'lkmm');
  t.deepEqual(v.flags, ['data-race']);
  t.deepEqual(checkModel(SB, 'lkmm').flags, []);
});

test("a condition comparing two registers counts the executions where they agree (herd7's 0:r0=1:r0)", (t) => {
  const same = litmus(
    'SB+same',
    `P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
     P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
     exists (0:r0=1:r0)`,
  );
  const v = checkModel(same, 'lkmm');
  t.deepEqual([v.observation, v.positive, v.negative], ['Sometimes', 2, 2]);
  t.true(v.states.get('0:r0=0; 1:r0=0;')!.witness);
  t.false(v.states.get('0:r0=0; 1:r0=1;')!.witness);
});

test('spin_trylock: two CPUs never both hold the lock with their writes interleaved', (t) => {
  const trylock = litmus(
    'trylock',
    `P0(spinlock_t *l, int *x) { int r0; r0 = spin_trylock(l); if (r0) { WRITE_ONCE(*x, 1); WRITE_ONCE(*x, 3); spin_unlock(l); } }
     P1(spinlock_t *l, int *x) { int r1; int r2; r1 = spin_trylock(l); if (r1) { r2 = READ_ONCE(*x); spin_unlock(l); } }
     exists (0:r0=1 /\\ 1:r1=1 /\\ 1:r2=1)`,
  );
  const v = checkModel(trylock, 'lkmm');
  t.is(v.observation, 'Never');
  // Both may take it in turn, or one may fail while the other holds it.
  t.true([...v.states.keys()].some((s) => s.includes('0:r0=1; 1:r1=1;')));
  t.true([...v.states.keys()].some((s) => s.includes('0:r0=1; 1:r1=0;')));
});

function allTests(): Test[] {
  const tests = KNOWN.map(([x]) => x);
  if (existsSync(KERNEL)) {
    for (const f of readdirSync(KERNEL).filter((f) => f.endsWith('.litmus')))
      tests.push(loadLitmus(`${KERNEL}/${f}`));
  }
  return tests;
}

test('property: every state sc allows, tso and lkmm allow too', (t) => {
  for (const x of allTests()) {
    const [sc, tso, lkmm] = MODELS.map((m) => new Set(checkModel(x, m).states.keys()));
    for (const s of sc!) {
      t.true(tso!.has(s), `${x.name}: sc allows ${s}, tso does not`);
      t.true(lkmm!.has(s), `${x.name}: sc allows ${s}, lkmm does not`);
    }
  }
});

test('property: positive + negative = executions, and states count exactly those executions', (t) => {
  for (const x of allTests()) {
    const v = checkModel(x, 'lkmm');
    t.is(v.positive + v.negative, v.executions);
    t.is(
      [...v.states.values()].reduce((n, s) => n + s.executions, 0),
      v.executions,
    );
    t.is(
      [...v.states.values()].filter((s) => s.witness).reduce((n, s) => n + s.executions, 0),
      v.positive,
    );
    t.true(v.candidates >= v.executions);
  }
});

test('a test whose budget runs out is a UserError saying so', (t) => {
  const err = t.throws(() => checkModel(SB, 'lkmm', { timeoutMs: 0 }), { instanceOf: UserError });
  t.regex(
    err!.message,
    /^SB under lkmm: the model gave up after 0\.\d\d s \(--model-timeout 0\.00 s\): no candidate execution checked yet/,
  );
});

test('an unknown model is a UserError naming the models', (t) => {
  const err = t.throws(() => checkModel(SB, 'arm' as ModelName), { instanceOf: UserError });
  t.is(err!.message, 'unknown model arm: the models are sc, tso, lkmm');
});

test('an allowed execution dereferencing a register without an address is the test bug, with its place', (t) => {
  const body = (guard: boolean) =>
    parseLitmus(
      `C deref\n{ int *p = 0; }\nP0(int *x, int **p) { WRITE_ONCE(*x, 1); smp_store_release(p, x); }\nP1(int *x, int **p) { int *r0; int r1 = 0; r0 = smp_load_acquire(p); ${guard ? 'if (r0 != 0) ' : ''}r1 = READ_ONCE(*r0); }\nexists (1:r1=1)\n`,
      'deref.litmus',
    );
  const err = t.throws(() => checkModel(body(false), 'lkmm'), { instanceOf: UserError });
  t.is(
    err!.message,
    'P1 dereferences r0, which holds 0 and not the address of a shared location, in an execution the model allows',
  );
  t.is(err!.file, 'deref.litmus');
  t.is(err!.pos?.line, 4);
  // Guarded by a test of the pointer, the same read is fine.
  t.is(checkModel(body(true), 'lkmm').observation, 'Sometimes');
});
