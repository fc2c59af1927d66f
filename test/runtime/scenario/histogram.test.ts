// Latency histograms: percentiles within a bucket (1/16) of the exact ones, exact count, max,
// mean; merging two histograms is recording both streams into one.

import test from 'ava';
import {
  HISTOGRAM_WORDS,
  mergeInto,
  quantile,
  record,
  summarise,
} from '../../../src/runtime/scenario/histogram.ts';

test('1..10000 ns: p50, p99 within 1/16; count, max and mean exact', (t) => {
  const h = new Float64Array(HISTOGRAM_WORDS);
  for (let v = 1; v <= 10_000; v++) record(h, 0, v);
  const s = summarise('x', h, 0);
  t.is(s.count, 10_000);
  t.is(s.maxNs, 10_000);
  t.is(s.meanNs, 5000.5);
  t.true(Math.abs(s.p50Ns - 5000) <= 5000 / 16, `p50 ${s.p50Ns}`);
  t.true(Math.abs(s.p99Ns - 9900) <= 9900 / 16, `p99 ${s.p99Ns}`);
  t.is(quantile(h, 0, 1), 10_000, 'the top quantile is clamped to the max');
});

test('small values are exact; negative samples count as 0; huge ones are kept apart up to 2^44', (t) => {
  const h = new Float64Array(HISTOGRAM_WORDS);
  for (const v of [-5, 0, 3, 3, 3, 2 ** 40 - 1, 2 ** 40]) record(h, 0, v);
  t.is(quantile(h, 0, 0.2), 0);
  t.is(quantile(h, 0, 0.5), 3);
  t.is(h[2], 0, 'min');
  t.true(quantile(h, 0, 0.8) < 2 ** 40, 'just below a power of two stays below it');
});

test('merge: two streams recorded apart equal both recorded together', (t) => {
  const a = new Float64Array(HISTOGRAM_WORDS * 2);
  const both = new Float64Array(HISTOGRAM_WORDS);
  for (let v = 0; v < 500; v++) {
    record(a, 0, v * 7);
    record(a, HISTOGRAM_WORDS, v * 13 + 1);
    record(both, 0, v * 7);
    record(both, 0, v * 13 + 1);
  }
  const merged = new Float64Array(HISTOGRAM_WORDS);
  mergeInto(merged, 0, a, 0);
  mergeInto(merged, 0, a, HISTOGRAM_WORDS);
  t.deepEqual(Array.from(merged), Array.from(both));
});
