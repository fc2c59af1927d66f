// Names from a litmus file are data: a register, a location or a test named after a member of
// Object.prototype (constructor, toString, valueOf, hasOwnProperty, __defineGetter__ …) is
// an ordinary name on the model and on hw. A lookup falling through to the prototype printed
// `[x]=function Object() {…}` on the model and crashed hw.

import test from 'ava';
import { formatUserError, UserError } from '../../src/errors.ts';
import { parseLitmus } from '../../src/litmus/parse.ts';
import { histogramRuns } from '../../src/litmus/state.ts';
import { checkModel } from '../../src/model/index.ts';
import { runLitmusOnHw } from '../../src/runtime/litmus/run.ts';

/** Every own name of Object.prototype; __proto__ is reserved (its own test in malformed). */
const NAMES = Object.getOwnPropertyNames(Object.prototype).filter((n) => n !== '__proto__');

/**
 * One test named `loc` with a location `loc` (2 at first) and a register `reg` in each thread
 * (P1's set to 5 by the init block); P0 reads then writes the location, P1 reads it. A name
 * cannot be a parameter and a register of one thread, so each test pairs two names.
 */
function named(loc: string, reg: string): string {
  return [
    `C ${loc}`,
    `{ ${loc} = 2; 1:${reg} = 5; }`,
    `P0(int *${loc}) { int ${reg}; ${reg} = READ_ONCE(*${loc}); WRITE_ONCE(*${loc}, 3); }`,
    `P1(int *${loc}) { int ${reg}; int r1; r1 = ${reg}; ${reg} = READ_ONCE(*${loc}); }`,
    `locations [0:${reg}]`,
    `exists (1:${reg}=3 /\\ ${loc}=3)`,
  ].join('\n');
}

/** The states the model must allow: P0 reads the init 2, P1 the init or P0's write. */
const expectedStates = (loc: string, reg: string) => [
  `0:${reg}=2; 1:${reg}=2; [${loc}]=3;`,
  `0:${reg}=2; 1:${reg}=3; [${loc}]=3;`,
];

test('Object.prototype has the names this test means (the list is not empty)', (t) => {
  t.true(NAMES.includes('constructor') && NAMES.includes('toString') && NAMES.length >= 10);
});

for (const [i, name] of NAMES.entries()) {
  const reg = NAMES[(i + 1) % NAMES.length]!;
  test.serial(`${name} as test and location name, ${reg} as register: model and hw`, async (t) => {
    let lit: ReturnType<typeof parseLitmus>;
    try {
      lit = parseLitmus(named(name, reg), `${name}.litmus`);
    } catch (err) {
      return t.fail(err instanceof UserError ? formatUserError(err) : String(err));
    }
    t.is(lit.name, name);
    t.deepEqual(lit.threads[1]!.registerInit, new Map([[reg, 5]]));
    const v = checkModel(lit, 'lkmm');
    t.deepEqual([...v.states.keys()].sort(), expectedStates(name, reg));
    t.is(v.observation, 'Sometimes');
    const hw = await runLitmusOnHw({ test: lit, settings: { runs: 2_000, size: 500, seed: 1 } });
    t.is(histogramRuns(hw.histogram), 2_000);
    for (const state of hw.histogram.keys())
      t.true(expectedStates(name, reg).includes(state), state);
  });
}
