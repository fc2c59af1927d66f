import test from 'ava';
import { SMALL_WIDTH, Tally } from '../../../src/runtime/litmus/tally.ts';

test('counts equal tuples together and keeps distinct ones apart, across growth', (t) => {
  const tally = new Tally(3);
  const v = new Int32Array(3);
  const expected = new Map<string, number>();
  // 500 distinct states (forcing several rehashes), each added (i mod 7) + 1 times, interleaved.
  for (let round = 0; round < 7; round++) {
    for (let i = 0; i < 500; i++) {
      if (i % 7 < round) continue;
      v.set([i, -i, i === 0 ? 0x4000_0000 : i * 65_537]);
      tally.add(v);
      const key = `${v[0]},${v[1]},${v[2]}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
  }
  const got = new Map(tally.toEntries().map((e) => [e.values.join(','), e.count]));
  t.deepEqual(got, expected);
  t.is(got.get('3,-3,196611'), 4);
});

test('a zero-width tally counts everything as one state', (t) => {
  const tally = new Tally(0);
  for (let i = 0; i < 10; i++) tally.add(new Int32Array(0));
  t.deepEqual(tally.toEntries(), [{ values: [], count: 10 }]);
});

test('add with a count adds that many', (t) => {
  const tally = new Tally(1);
  tally.add(Int32Array.of(5), 1e9);
  tally.add(Int32Array.of(5), 2);
  t.deepEqual(tally.toEntries(), [{ values: [5], count: 1e9 + 2 }]);
});

test('small tuples (values 0 to 3) and the others are counted apart, each always in the same place', (t) => {
  for (const width of [1, 2, SMALL_WIDTH, SMALL_WIDTH + 1]) {
    const tally = new Tally(width);
    const expected = new Map<string, number>();
    const v = new Int32Array(width);
    // Every value from -1 to 4 in every column, several times each: small and not, mixed.
    for (let i = 0; i < 600; i++) {
      for (let j = 0; j < width; j++) v[j] = ((i * (j + 3) + j) % 6) - 1;
      tally.add(v, 1 + (i % 3));
      const key = v.join(',');
      expected.set(key, (expected.get(key) ?? 0) + 1 + (i % 3));
    }
    const entries = tally.toEntries();
    t.is(entries.length, expected.size, `width ${width}: one entry per distinct tuple`);
    const sorted = <T>(m: Map<string, T>) => [...m].sort(([a], [b]) => a.localeCompare(b));
    t.deepEqual(
      sorted(new Map(entries.map((e) => [e.values.join(','), e.count]))),
      sorted(expected),
    );
  }
});
