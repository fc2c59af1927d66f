// Counting final states where they are produced: an open-addressing table keyed by the tuple of
// observed values (int32s), so that a worker counts millions of instances without allocating
// and ships only the distinct states and their counts to the main thread at the end.
//
// Most litmus states are a few registers holding 0, 1 or 2: such a tuple is its own index into
// a small array of counts (2 bits a value, up to SMALL_WIDTH values), counted with no hashing,
// probing or comparing — a third of the cost per instance of the table (SB: ~19 ns → ~6). Any
// other tuple goes to the table; a tuple is always counted in the same one of the two.
//
// It knows nothing of what the values mean; the main thread formats them (src/litmus/state.ts).

/** One distinct state and how many instances ended in it. */
export interface TallyEntry {
  values: number[];
  count: number;
}

const INITIAL_CAPACITY = 64;
/** Bits a value takes in a small tuple's index: values 0 to 3. */
const SMALL_BITS = 2;
/** The widest tuple counted by index (4,096 counts). */
export const SMALL_WIDTH = 6;

export class Tally {
  private capacity = INITIAL_CAPACITY;
  private keys: Int32Array;
  private counts: Float64Array;
  /** Slot → 1 + entry number, 0 when empty. */
  private slots: Int32Array;
  private entries = 0;
  /** Counts of the small tuples by index (empty when the width is above SMALL_WIDTH). */
  private readonly small: Float64Array;

  constructor(readonly width: number) {
    this.keys = new Int32Array(INITIAL_CAPACITY * width);
    this.counts = new Float64Array(INITIAL_CAPACITY);
    this.slots = new Int32Array(INITIAL_CAPACITY * 2);
    this.small = new Float64Array(width <= SMALL_WIDTH ? 1 << (SMALL_BITS * width) : 0);
  }

  /** Count `count` instances whose observed values are `v[0..width)`. */
  add(v: Int32Array, count = 1): void {
    const w = this.width;
    if (w <= SMALL_WIDTH) {
      let index = 0;
      let big = 0;
      for (let j = 0; j < w; j++) {
        const x = v[j]!;
        // a negative value or one past 3 has bits above SMALL_BITS
        big |= x >>> SMALL_BITS;
        index |= (x & 3) << (SMALL_BITS * j);
      }
      if (big === 0) {
        this.small[index]! += count;
        return;
      }
    }
    this.hashed(v, count);
  }

  private hashed(v: Int32Array, count: number): void {
    const w = this.width;
    const mask = this.slots.length - 1;
    let h = 0x811c9dc5;
    for (let j = 0; j < w; j++) h = Math.imul(h ^ v[j]!, 0x01000193);
    for (let s = (h ^ (h >>> 15)) & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]! - 1;
      if (e < 0) {
        this.insert(s, v, count);
        return;
      }
      if (this.equals(e, v)) {
        this.counts[e]! += count;
        return;
      }
    }
  }

  private equals(e: number, v: Int32Array): boolean {
    const base = e * this.width;
    for (let j = 0; j < this.width; j++) if (this.keys[base + j] !== v[j]) return false;
    return true;
  }

  private insert(slot: number, v: Int32Array, count: number): void {
    if (this.entries === this.capacity) this.grow();
    const e = this.entries++;
    this.keys.set(v.subarray(0, this.width), e * this.width);
    this.counts[e] = count;
    if (this.entries * 2 > this.slots.length) this.rehash();
    else this.slots[slot] = e + 1;
  }

  private grow(): void {
    this.capacity *= 2;
    const keys = new Int32Array(this.capacity * this.width);
    keys.set(this.keys);
    const counts = new Float64Array(this.capacity);
    counts.set(this.counts);
    this.keys = keys;
    this.counts = counts;
  }

  /** Rebuild the slots at twice the size, with every entry (the newest included). */
  private rehash(): void {
    const entries = this.entries;
    this.entries = 0;
    const keys = this.keys;
    const counts = this.counts;
    this.slots = new Int32Array(this.slots.length * 2);
    this.keys = new Int32Array(this.capacity * this.width);
    this.counts = new Float64Array(this.capacity);
    for (let e = 0; e < entries; e++)
      this.hashed(keys.subarray(e * this.width, (e + 1) * this.width), counts[e]!);
  }

  toEntries(): TallyEntry[] {
    const out: TallyEntry[] = [];
    this.small.forEach((count, index) => {
      if (count === 0) return;
      const values = Array.from({ length: this.width }, (_, j) => (index >>> (SMALL_BITS * j)) & 3);
      out.push({ values, count });
    });
    for (let e = 0; e < this.entries; e++) {
      out.push({
        values: Array.from(this.keys.subarray(e * this.width, (e + 1) * this.width)),
        count: this.counts[e]!,
      });
    }
    return out;
  }
}
