// Counting final states where they are produced: an open-addressing table keyed by the tuple of
// observed values (int32s), so that a worker counts millions of instances without allocating
// and ships only the distinct states and their counts to the main thread at the end.
//
// It knows nothing of what the values mean; the main thread formats them (src/litmus/state.ts).

/** One distinct state and how many instances ended in it. */
export interface TallyEntry {
  values: number[];
  count: number;
}

const INITIAL_CAPACITY = 64;

export class Tally {
  private capacity = INITIAL_CAPACITY;
  private keys: Int32Array;
  private counts: Float64Array;
  /** Slot → 1 + entry number, 0 when empty. */
  private slots: Int32Array;
  private entries = 0;

  constructor(readonly width: number) {
    this.keys = new Int32Array(INITIAL_CAPACITY * width);
    this.counts = new Float64Array(INITIAL_CAPACITY);
    this.slots = new Int32Array(INITIAL_CAPACITY * 2);
  }

  /** Count `count` instances whose observed values are `v[0..width)`. */
  add(v: Int32Array, count = 1): void {
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
      this.add(keys.subarray(e * this.width, (e + 1) * this.width), counts[e]!);
  }

  toEntries(): TallyEntry[] {
    const out: TallyEntry[] = [];
    for (let e = 0; e < this.entries; e++) {
      out.push({
        values: Array.from(this.keys.subarray(e * this.width, (e + 1) * this.width)),
        count: this.counts[e]!,
      });
    }
    return out;
  }
}
