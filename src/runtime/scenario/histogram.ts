// Latency histograms of program scenarios: log-linear buckets (as HdrHistogram: 16 linear
// sub-buckets per power of two, so a percentile is within 1/16 = 6% of the true value) kept in
// a Float64Array slice of shared memory, so that a worker records without allocating and the
// main thread can still read what a stalled, terminated worker recorded. One writer per slice.
// This module does not know scenarios; it records and summarises numbers (nanoseconds).

/** Linear sub-buckets per power of two. */
const SUB_BUCKETS = 16;
const SUB_BITS = 4;
/** Largest power of two kept apart (2^44 ns ≈ 4.9 hours); larger samples share the last bucket. */
const MAX_EXPONENT = 44;
const BUCKETS = SUB_BUCKETS + (MAX_EXPONENT - SUB_BITS + 1) * SUB_BUCKETS;
// Slice layout: count, sum, min, max, then the buckets.
const COUNT = 0;
const SUM = 1;
const MIN = 2;
const MAX = 3;
const FIRST_BUCKET = 4;
/** Float64 words one histogram takes. */
export const HISTOGRAM_WORDS = FIRST_BUCKET + BUCKETS;

/** Bucket of a non-negative integer sample. */
function bucketOf(v: number): number {
  if (v < SUB_BUCKETS) return v;
  let e = Math.floor(Math.log2(v));
  if (2 ** e > v) e--; // log2 rounded up just below a power of two
  e = Math.min(MAX_EXPONENT, e);
  const sub = Math.floor(v / 2 ** (e - SUB_BITS)) - SUB_BUCKETS;
  return SUB_BUCKETS + (e - SUB_BITS) * SUB_BUCKETS + Math.min(SUB_BUCKETS - 1, sub);
}

/** The middle of bucket b: what a percentile falling in it reports. */
function bucketValue(b: number): number {
  if (b < SUB_BUCKETS) return b;
  const e = SUB_BITS + Math.floor((b - SUB_BUCKETS) / SUB_BUCKETS);
  const sub = (b - SUB_BUCKETS) % SUB_BUCKETS;
  const width = 2 ** (e - SUB_BITS);
  return (SUB_BUCKETS + sub) * width + width / 2;
}

/** Record one sample (ns; negative samples, from clock skew, count as 0) in the slice at `at`. */
export function record(h: Float64Array, at: number, ns: number): void {
  const v = ns > 0 ? Math.round(ns) : 0;
  if (h[at + COUNT] === 0 || v < h[at + MIN]!) h[at + MIN] = v;
  if (v > h[at + MAX]!) h[at + MAX] = v;
  h[at + COUNT]! += 1;
  h[at + SUM]! += v;
  h[at + FIRST_BUCKET + bucketOf(v)]! += 1;
}

/** Add the histogram at `from` into the one at `into` (same or different arrays). */
export function mergeInto(
  into: Float64Array,
  at: number,
  from: Float64Array,
  fromAt: number,
): void {
  if (from[fromAt + COUNT] === 0) return;
  if (into[at + COUNT] === 0 || from[fromAt + MIN]! < into[at + MIN]!)
    into[at + MIN] = from[fromAt + MIN]!;
  into[at + MAX] = Math.max(into[at + MAX]!, from[fromAt + MAX]!);
  for (let w = COUNT; w < HISTOGRAM_WORDS; w++) {
    if (w === MIN || w === MAX) continue;
    into[at + w]! += from[fromAt + w]!;
  }
}

/** What a report shows of a latency metric, in ns. Percentiles are bucket middles (±6%), clamped to [min, max]. */
export interface LatencySummary {
  name: string;
  count: number;
  p50Ns: number;
  p99Ns: number;
  maxNs: number;
  meanNs: number;
}

/** The q-quantile (0 < q ≤ 1) of the histogram at `at`. */
export function quantile(h: Float64Array, at: number, q: number): number {
  const count = h[at + COUNT]!;
  if (count === 0) return 0;
  const rank = Math.max(1, Math.ceil(q * count));
  if (rank >= count) return h[at + MAX]!; // the top sample is the max, exactly
  let seen = 0;
  for (let b = 0; b < BUCKETS; b++) {
    seen += h[at + FIRST_BUCKET + b]!;
    if (seen >= rank) return Math.min(h[at + MAX]!, Math.max(h[at + MIN]!, bucketValue(b)));
  }
  return h[at + MAX]!;
}

export function summarise(name: string, h: Float64Array, at: number): LatencySummary {
  const count = h[at + COUNT]!;
  return {
    name,
    count,
    p50Ns: quantile(h, at, 0.5),
    p99Ns: quantile(h, at, 0.99),
    maxNs: h[at + MAX]!,
    meanNs: count === 0 ? 0 : h[at + SUM]! / count,
  };
}
