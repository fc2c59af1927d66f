// prandom: the sequence the kernel's generator gives for a seed (the expected values come from
// the kernel's prandom_seed_state() and prandom_u32_state() formulas compiled as C with gcc),
// seeds folded from 64 bits, the words' minimums, and a bad seed refused at the door.

import test from 'ava';
import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../../src/kernel/index.ts';

function firstOutputs(seed: number, n: number): number[] {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, seed);
  return Array.from({ length: n }, () => prandom_u32_state(rnd));
}

test('prandom_u32_state: the kernel formulas’ first outputs for 32-bit seeds', (t) => {
  t.deepEqual(firstOutputs(0, 5), [1574944, 268744, 1109394980, 8552980, 826355289]);
  t.deepEqual(
    firstOutputs(0x2545f491, 5),
    [3050853636, 1719332009, 1455316048, 1951614842, 991132496],
  );
  t.deepEqual(firstOutputs(0x9e3779b9, 3), [2732115210, 370182106, 4025179318]);
});

test('prandom_seed_state: a seed above 2^32 folds its high half in, as the kernel’s u64 does', (t) => {
  t.deepEqual(firstOutputs(2 ** 40 + 12345, 3), [757606392, 712942633, 2571767333]);
  t.notDeepEqual(firstOutputs(2 ** 40 + 12345, 3), firstOutputs(12345, 3));
});

test('prandom_seed_state: small seeds still give every word its minimum', (t) => {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  prandom_seed_state(rnd, 1);
  t.deepEqual(rnd, { s1: 1025, s2: 1025, s3: 1025, s4: 1025 });
  prandom_seed_state(rnd, 0);
  t.deepEqual(rnd, { s1: 2, s2: 8, s3: 16, s4: 128 });
});

test('prandom_u32_state: outputs are u32 and the same seed repeats the sequence', (t) => {
  const a = firstOutputs(7, 1000);
  t.true(a.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32));
  t.true(
    a.some((x) => x >= 2 ** 31),
    'the top bit is read as unsigned, not as a sign',
  );
  t.deepEqual(firstOutputs(7, 1000), a);
});

test('prandom_seed_state: a negative or fractional seed is refused', (t) => {
  const rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  t.throws(() => prandom_seed_state(rnd, -1), {
    instanceOf: RangeError,
    message: 'prandom_seed_state: seed -1 is not a non-negative integer',
  });
  t.throws(() => prandom_seed_state(rnd, 1.5), { instanceOf: RangeError });
});
