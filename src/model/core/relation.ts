// The relation algebra the models are written in, named as herd's cat language names it.
//
// Events are numbered 0..n-1. A set of events is a bit vector; a relation is n rows of bit
// vectors (row a holds every b with a → b). Every operation returns a new value and never
// mutates its arguments, so a model reads as a list of `let`s:
//   const rmb = seq(toid(R4rmb), fencerel(po, Rmb), toid(R4rmb));
// Checks (acyclic, irreflexive, empty) answer a boolean; findCycle gives a witness cycle for
// --explain. This module knows nothing of litmus tests or memory models.

import { cached } from './stable.ts';

export { acyclic, findCycle } from './cycle.ts';

/** A set of events as a bit vector of n bits. */
export class EventSet {
  /** Derived from a shape alone: operations on stable operands are computed once (cached). */
  stable = false;
  constructor(
    readonly n: number,
    readonly bits: Uint32Array,
  ) {}

  static none(n: number): EventSet {
    return new EventSet(n, zeroed(words(n)));
  }

  static of(n: number, members: Iterable<number>): EventSet {
    const s = EventSet.none(n);
    for (const i of members) s.bits[i >>> 5]! |= 1 << (i & 31);
    return s;
  }

  static where(n: number, pred: (i: number) => boolean): EventSet {
    const s = EventSet.none(n);
    for (let i = 0; i < n; i++) if (pred(i)) s.bits[i >>> 5]! |= 1 << (i & 31);
    return s;
  }

  has(i: number): boolean {
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  isEmpty(): boolean {
    return allZero(this.bits);
  }

  *[Symbol.iterator](): IterableIterator<number> {
    yield* bitsOf(this.bits, 0, this.bits.length);
  }
}

/** A binary relation over events 0..n-1. */
export class Relation {
  readonly w: number;
  /** Derived from a shape alone: operations on stable operands are computed once (cached). */
  stable = false;
  /** Set when the relation is [S] (toid): a sequence with it is then a mask, not a product. */
  diag?: EventSet;
  constructor(
    readonly n: number,
    readonly rows: Uint32Array,
  ) {
    this.w = words(n);
  }

  static none(n: number): Relation {
    return new Relation(n, zeroed(n * words(n)));
  }

  static of(n: number, pairs: Iterable<readonly [number, number]>): Relation {
    const r = Relation.none(n);
    for (const [a, b] of pairs) r.add(a, b);
    return r;
  }

  static where(n: number, pred: (a: number, b: number) => boolean): Relation {
    const r = Relation.none(n);
    for (let a = 0; a < n; a++) {
      if ((a & (POLL_ROWS - 1)) === 0) poll();
      for (let b = 0; b < n; b++) if (pred(a, b)) r.add(a, b);
    }
    return r;
  }

  has(a: number, b: number): boolean {
    return (this.rows[a * this.w + (b >>> 5)]! & (1 << (b & 31))) !== 0;
  }

  /** Only for building a fresh relation; the algebra below never mutates. */
  add(a: number, b: number): void {
    this.rows[a * this.w + (b >>> 5)]! |= 1 << (b & 31);
  }

  /** The events b with a → b. */
  successors(a: number): IterableIterator<number> {
    return bitsOf(this.rows, a * this.w, a * this.w + this.w);
  }

  *pairs(): IterableIterator<[number, number]> {
    for (let a = 0; a < this.n; a++) for (const b of this.successors(a)) yield [a, b];
  }

  isEmpty(): boolean {
    return allZero(this.rows);
  }
}

const words = (n: number): number => Math.max(1, (n + 31) >>> 5);

/**
 * Fresh zeroed words for a value of the algebra. Small ones are views into a shared slab,
 * handed out once each (never reused, so never dirty): a typed array of its own costs an
 * ArrayBuffer apiece — about 1 µs, and garbage the collector must finalise — and one model run
 * of a 60-event execution makes some fifty. A slab is freed once no view of it is left.
 */
function zeroed(length: number): Uint32Array {
  if (length > SLAB_WORDS / 8) return new Uint32Array(length);
  if (slabUsed + length > SLAB_WORDS) {
    slab = new Uint32Array(SLAB_WORDS);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + length);
  slabUsed += length;
  return out;
}
const SLAB_WORDS = 4096;
let slab = new Uint32Array(SLAB_WORDS);
let slabUsed = 0;

/** A copy of some words, made as zeroed() makes them. */
function copied(words: Uint32Array): Uint32Array {
  const out = zeroed(words.length);
  out.set(words);
  return out;
}

/**
 * Called every POLL_ROWS rows of the quadratic and cubic operations, so that a time budget or
 * a stop flag can end one that runs long on a large test (budget.ts installs it).
 */
let poll: () => void = () => {};
const POLL_ROWS = 64;

/** Install the poll function; returns the previous one, to put back. */
export function setPoll(fn: () => void): () => void {
  const previous = poll;
  poll = fn;
  return previous;
}

function allZero(bits: Uint32Array): boolean {
  for (let k = 0; k < bits.length; k++) if (bits[k] !== 0) return false;
  return true;
}

/** The empty relation on n events, one per n and stable (see settle); never mutated. */
const emptyRelations = new Map<number, Relation>();
function emptyOn(n: number): Relation {
  let r = emptyRelations.get(n);
  if (!r) {
    r = Relation.none(n);
    r.stable = true;
    emptyRelations.set(n, r);
  }
  return r;
}

/** Whether r is the one empty relation of its size (an identity test: see settle). */
const isNone = (r: Relation): boolean => r === emptyRelations.get(r.n);

/**
 * A relation that came out empty, as the one stable empty relation of its size:
 * what is computed from it is then cached as a shape's terms are (stable.ts). Terms built from
 * rf, co or fr that are empty in most executions (carry-dep, the unlock-lock pairs, a fence's
 * sequence with rf) thus stop making everything after them be computed again per execution.
 */
function settle(r: Relation): Relation {
  return allZero(r.rows) ? emptyOn(r.n) : r;
}

/** cached() for an operation giving a relation: an empty result settles (see settle). */
function derived(op: string, args: (Relation | EventSet)[], make: () => Relation): Relation {
  return cached(op, args, make, settle);
}

/** Word by word: a & b. */
function andWords(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = zeroed(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k]! & b[k]!;
  return out;
}

/** Word by word: a & ~b. */
function andNotWords(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = zeroed(a.length);
  for (let k = 0; k < a.length; k++) out[k] = a[k]! & ~b[k]!;
  return out;
}

function* bitsOf(bits: Uint32Array, from: number, to: number): IterableIterator<number> {
  for (let k = from; k < to; k++) {
    let word = bits[k]!;
    while (word !== 0) {
      const low = word & -word;
      yield (k - from) * 32 + 31 - Math.clz32(low);
      word ^= low;
    }
  }
}

// ---- sets ----

export function setUnion(...sets: EventSet[]): EventSet {
  if (sets.every((x) => x.stable))
    return sets.reduce((a, b) => cached('set|', [a, b], () => setUnionOf([a, b])));
  return setUnionOf(sets);
}

function setUnionOf(sets: EventSet[]): EventSet {
  const out = EventSet.none(sets[0]!.n);
  for (const s of sets) for (let k = 0; k < out.bits.length; k++) out.bits[k]! |= s.bits[k]!;
  return out;
}

export function setInter(a: EventSet, b: EventSet): EventSet {
  return cached('set&', [a, b], () => new EventSet(a.n, andWords(a.bits, b.bits)));
}

export function setDiff(a: EventSet, b: EventSet): EventSet {
  return cached('set\\', [a, b], () => new EventSet(a.n, andNotWords(a.bits, b.bits)));
}

/** ~S: every event not in S. */
export function complement(s: EventSet): EventSet {
  return cached('~', [s], () => {
    const out = new EventSet(
      s.n,
      s.bits.map((x) => ~x),
    );
    const tail = s.n & 31;
    if (tail !== 0) out.bits[out.bits.length - 1]! &= (1 << tail) - 1;
    return out;
  });
}

/** domain(r): the events some pair of r starts from. */
export function domain(r: Relation): EventSet {
  return cached('domain', [r], () =>
    EventSet.where(r.n, (a) => {
      for (let k = 0; k < r.w; k++) if (r.rows[a * r.w + k] !== 0) return true;
      return false;
    }),
  );
}

/** range(r): the events some pair of r ends at. */
export function range(r: Relation): EventSet {
  return cached('range', [r], () => {
    const out = EventSet.none(r.n);
    for (let a = 0; a < r.n; a++)
      for (let k = 0; k < r.w; k++) out.bits[k]! |= r.rows[a * r.w + k]!;
    return out;
  });
}

// ---- relations ----

/** [S]: the identity on a set (cat's toid). */
export function toid(s: EventSet): Relation {
  return derived('toid', [s], () => {
    const r = Relation.none(s.n);
    for (let i = 0; i < s.n; i++)
      if ((s.bits[i >>> 5]! & (1 << (i & 31))) !== 0) r.rows[i * r.w + (i >>> 5)]! |= 1 << (i & 31);
    r.diag = s;
    return r;
  });
}

/** r | id without building id. */
function withDiagonal(r: Relation): Relation {
  const out = new Relation(r.n, copied(r.rows));
  for (let i = 0; i < r.n; i++) out.rows[i * r.w + (i >>> 5)]! |= 1 << (i & 31);
  return out;
}

/** id: the identity on every event. */
export function id(n: number): Relation {
  let r = identities.get(n);
  if (!r) {
    r = toid(EventSet.where(n, () => true));
    r.stable = true;
    identities.set(n, r);
  }
  return r;
}
const identities = new Map<number, Relation>();

/** S1 * S2: every pair from S1 to S2. */
export function cross(a: EventSet, b: EventSet): Relation {
  return derived('*', [a, b], () => {
    const r = Relation.none(a.n);
    for (const i of a) r.rows.set(b.bits, i * r.w);
    return r;
  });
}

export function union(...rels: Relation[]): Relation {
  if (rels.every((x) => x.stable))
    return rels.reduce((a, b) => cached('|', [a, b], () => unionOf([a, b])));
  const some = rels.filter((r) => !isNone(r));
  if (some.length === 1) return some[0]!;
  return cached('|', some, () => unionOf(some), settle);
}

function unionOf(rels: Relation[]): Relation {
  const out = Relation.none(rels[0]!.n);
  for (const r of rels) for (let k = 0; k < out.rows.length; k++) out.rows[k]! |= r.rows[k]!;
  return out;
}

/** r1 & r2 */
export function inter(a: Relation, b: Relation): Relation {
  if (isNone(a) || isNone(b)) return emptyOn(a.n);
  return derived('&', [a, b], () => new Relation(a.n, andWords(a.rows, b.rows)));
}

/** r1 \ r2 */
export function diff(a: Relation, b: Relation): Relation {
  return derived('\\', [a, b], () => new Relation(a.n, andNotWords(a.rows, b.rows)));
}

/** r^-1 */
export function inv(r: Relation): Relation {
  return derived('^-1', [r], () => invOf(r));
}

function invOf(r: Relation): Relation {
  const out = Relation.none(r.n);
  const w = r.w;
  for (let a = 0; a < r.n; a++) {
    if ((a & (POLL_ROWS - 1)) === 0) poll();
    const aw = a >>> 5;
    const ab = 1 << (a & 31);
    for (let k = 0; k < w; k++) {
      let word = r.rows[a * w + k]!;
      while (word !== 0) {
        const low = word & -word;
        out.rows[(k * 32 + 31 - Math.clz32(low)) * w + aw]! |= ab;
        word ^= low;
      }
    }
  }
  return out;
}

/** r1 ; r2 ; ... : relational composition, left to right. */
export function seq(...rels: Relation[]): Relation {
  for (const r of rels) if (isNone(r)) return r;
  // Composition is associative: each run of stable operands is composed first (cached), so
  // that an execution's relation is composed with it once rather than with each in turn.
  let acc: Relation | undefined;
  let run: Relation | undefined;
  for (const r of rels) {
    if (r.stable) {
      run = run ? seqPair(run, r) : r;
      continue;
    }
    if (run) acc = acc ? seqPair(acc, run) : run;
    run = undefined;
    acc = acc ? seqPair(acc, r) : r;
  }
  return run ? (acc ? seqPair(acc, run) : run) : acc!;
}

function seqPair(a: Relation, b: Relation): Relation {
  return derived(';', [a, b], () => seq2(a, b));
}

function seq2(a: Relation, b: Relation): Relation {
  if (a.diag) return masked(b, a.diag, undefined);
  if (b.diag) return masked(a, undefined, b.diag);
  const out = Relation.none(a.n);
  const w = a.w;
  const ar = a.rows;
  const br = b.rows;
  const or = out.rows;
  for (let i = 0; i < a.n; i++) {
    if ((i & (POLL_ROWS - 1)) === 0) poll();
    const iw = i * w;
    for (let x = 0; x < w; x++) {
      let word = ar[iw + x]!;
      while (word !== 0) {
        const low = word & -word;
        const jw = (x * 32 + 31 - Math.clz32(low)) * w;
        for (let k = 0; k < w; k++) or[iw + k]! |= br[jw + k]!;
        word ^= low;
      }
    }
  }
  return out;
}

/** r1^-1 ; r2 without making r1^-1: fr = rf^-1 ; co is each read's row of co of its write. */
export function converseSeq(a: Relation, b: Relation): Relation {
  return derived('^-1;', [a, b], () => {
    const out = Relation.none(a.n);
    const w = a.w;
    for (let i = 0; i < a.n; i++) {
      if ((i & (POLL_ROWS - 1)) === 0) poll();
      const iw = i * w;
      for (let x = 0; x < w; x++) {
        let word = a.rows[iw + x]!;
        while (word !== 0) {
          const low = word & -word;
          const jw = (x * 32 + 31 - Math.clz32(low)) * w;
          for (let k = 0; k < w; k++) out.rows[jw + k]! |= b.rows[iw + k]!;
          word ^= low;
        }
      }
    }
    return out;
  });
}

/** [S1] ; r ; [S2], computed directly. */
export function restrict(r: Relation, from: EventSet, to: EventSet): Relation {
  return derived('[];r;[]', [r, from, to], () => masked(r, from, to));
}

/** r's pairs from `from` to `to` (undefined: any event). */
function masked(r: Relation, from: EventSet | undefined, to: EventSet | undefined): Relation {
  const out = Relation.none(r.n);
  const w = r.w;
  for (let i = 0; i < r.n; i++) {
    if (from && (from.bits[i >>> 5]! & (1 << (i & 31))) === 0) continue;
    for (let k = 0; k < w; k++) out.rows[i * w + k] = r.rows[i * w + k]! & (to ? to.bits[k]! : ~0);
  }
  return out;
}

/** r+ : transitive closure (Warshall over bit rows). */
export function plus(r: Relation): Relation {
  return derived('+', [r], () => closure(r));
}

/** Warshall on a fresh copy of r's rows. */
function closure(r: Relation): Relation {
  const out = new Relation(r.n, copied(r.rows));
  const w = r.w;
  const rows = out.rows;
  for (let k = 0; k < r.n; k++) {
    if ((k & (POLL_ROWS - 1)) === 0) poll();
    const kw = k >>> 5;
    const kb = 1 << (k & 31);
    const kr = k * w;
    // An event with no successors adds nothing to its predecessors' rows (sparse relations:
    // most events, and an O(n) row test instead of a column scan).
    let leaves = true;
    for (let x = 0; x < w; x++) if (rows[kr + x] !== 0) leaves = false;
    if (leaves) continue;
    for (let i = 0; i < r.n; i++) {
      const ir = i * w;
      if ((rows[ir + kw]! & kb) === 0) continue;
      for (let x = 0; x < w; x++) rows[ir + x]! |= rows[kr + x]!;
    }
  }
  return out;
}

/** r* : reflexive-transitive closure. */
export function star(r: Relation): Relation {
  return derived('star', [r], () => {
    const out = closure(r);
    for (let i = 0; i < r.n; i++) out.rows[i * r.w + (i >>> 5)]! |= 1 << (i & 31);
    return out;
  });
}

/** r? : r or the identity. */
export function opt(r: Relation): Relation {
  return derived('?', [r], () => withDiagonal(r));
}

/** fencerel(S) = po ; [S] ; po: pairs of events separated in program order by an S event. */
export function fencerel(po: Relation, s: EventSet): Relation {
  return seq(po, toid(s), po);
}

// ---- checks ----

/** empty r */
export function empty(r: Relation): boolean {
  return r.isEmpty();
}

/** irreflexive r */
export function irreflexive(r: Relation): boolean {
  for (let i = 0; i < r.n; i++) if (r.has(i, i)) return false;
  return true;
}

/** Mark a value (or the Relation/EventSet fields of an object, two levels deep) stable. */
export function markStable<T>(v: T, depth = 2): T {
  if (v instanceof Relation || v instanceof EventSet) v.stable = true;
  else if (depth > 0 && typeof v === 'object' && v !== null)
    for (const f of Object.values(v)) markStable(f, depth - 1);
  return v;
}
