// defineScenario() checks a declaration at the door: each mistake gets one exact message that
// names the scenario and the field, with "did you mean" where a declared name is close.

import test from 'ava';
import { UserError } from '../../src/errors.ts';
import { defineScenario, STALL_OUTCOME } from '../../src/kernel/index.ts';

// Built loosely (any) on purpose: these are the mistakes the types would also catch in a .ts
// scenario, but a scenario can be plain JS or cast, and the runtime check is what must hold.
// biome-ignore lint/suspicious/noExplicitAny: deliberately malformed declarations
const base: any = {
  name: 'toy',
  description: 'a toy',
  kind: 'long-running',
  memory: { x: 'int', lock: 'spinlock_t' },
  variants: { plain: 'p', locked: { description: 'l', stall: 'expected' } },
  threads: { a() {}, b: { count: 2, run() {} } },
  outcomes: { fine: 'acceptable', bad: { plain: 'interesting', locked: 'forbidden' } },
};

/** The message of the UserError that defineScenario() throws for `base` with `patch` applied. */
function message(patch: Record<string, unknown>): string {
  try {
    defineScenario({ ...base, ...patch });
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw new Error(`expected a UserError, got ${String(e)}`);
  }
  throw new Error('expected a UserError, got none');
}

test('a good declaration in normal form: thread groups expanded, grades per variant, defaults', (t) => {
  const s = defineScenario(base);
  t.deepEqual(
    s.threads.map((th) => th.name),
    ['a', 'b0', 'b1'],
  );
  t.deepEqual(s.variants, [
    { name: 'plain', description: 'p', stall: 'forbidden' },
    { name: 'locked', description: 'l', stall: 'expected' },
  ]);
  t.deepEqual(s.outcomes[0]!.grades, { plain: 'acceptable', locked: 'acceptable' });
  t.deepEqual(s.outcomes[1]!.grades, { plain: 'interesting', locked: 'forbidden' });
  t.deepEqual(s.budget, { seconds: 2, stallSeconds: 2, sliceMicros: 1000, batch: 64 });
});

test('unknown memory type: did you mean', (t) => {
  t.is(
    message({ memory: { lock: 'spinlock' } }),
    'scenario toy: memory.lock: unknown type spinlock (did you mean spinlock_t?)',
  );
});

test('array length out of range', (t) => {
  t.is(
    message({ memory: { pt: { type: 'int', length: 0 } } }),
    'scenario toy: memory.pt: length must be an integer from 1 to 1048576',
  );
});

test('init only on value types, and whole', (t) => {
  t.is(
    message({ memory: { lock: { type: 'spinlock_t', init: 1 } } }),
    'scenario toy: memory.lock: a spinlock_t starts unlocked/zero; only int, atomic_t, u64, atomic64_t take an init',
  );
  t.is(
    message({ memory: { x: { type: 'int', init: 1.5 } } }),
    'scenario toy: memory.x: init must be an integer',
  );
});

test('an outcome graded for a variant that does not exist, or not for one that does', (t) => {
  t.is(
    message({ outcomes: { bad: { plain: 'acceptable', lockd: 'forbidden' } } }),
    'scenario toy: outcome "bad" grades unknown variant lockd (did you mean locked?)',
  );
  t.is(
    message({ outcomes: { bad: { plain: 'acceptable' } } }),
    'scenario toy: outcome "bad" has no grade for variant locked',
  );
  t.is(
    message({ outcomes: { bad: 'forbiden' } }),
    'scenario toy: outcome "bad": unknown grade forbiden (one of acceptable, interesting, forbidden)',
  );
});

test('model.guesses: a whole number, for every variant or per declared variant', (t) => {
  const model = (guesses: unknown) => ({ model: { description: 'd', guesses } });
  t.deepEqual(defineScenario({ ...base, ...model({ locked: 1 }) }).model?.guesses, { locked: 1 });
  t.is(
    message(model({ lockd: 1 })),
    "scenario toy: model.guesses['lockd']: no variant lockd (did you mean locked?)",
  );
  t.is(message(model(1.5)), 'scenario toy: model.guesses must be a whole number');
  t.is(
    message(model({ plain: -1 })),
    "scenario toy: model.guesses['plain'] must be a whole number",
  );
});

test('the stall outcome is the watchdog’s; iterations need an arbiter; threads are bounded', (t) => {
  t.is(
    message({ outcomes: { [STALL_OUTCOME]: 'acceptable' } }),
    `scenario toy: outcome "${STALL_OUTCOME}" is reserved for the watchdog; grade it with a variant's stall`,
  );
  t.is(message({ kind: 'iterations' }), "scenario toy: kind 'iterations' needs an arbiter");
  t.is(
    message({ threads: { t: { count: 17, run() {} } } }),
    'scenario toy: declares 17 threads, more than MAX_THREADS (16)',
  );
  t.is(
    message({ budget: { seconds: -1 } }),
    'scenario toy: budget.seconds must be a positive number',
  );
});
