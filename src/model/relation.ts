// The relation algebra the models are written in, named as herd's cat language names it.
//
// Events are numbered 0..n-1. A set of events is a bit vector; a relation is n rows of bit
// vectors (row a holds every b with a → b). Every operation returns a new value and never
// mutates its arguments, so a model reads as a list of `let`s:
//   const rmb = seq(toid(R4rmb), fencerel(po, Rmb), toid(R4rmb));
// Checks (acyclic, irreflexive, empty) answer a boolean; findCycle gives a witness cycle for
// --explain. This module knows nothing of litmus tests or memory models.

/** A set of events as a bit vector of n bits. */
export class EventSet {
  constructor(
    readonly n: number,
    readonly bits: Uint32Array,
  ) {}

  static none(n: number): EventSet {
    return new EventSet(n, new Uint32Array(words(n)));
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
  constructor(
    readonly n: number,
    readonly rows: Uint32Array,
  ) {
    this.w = words(n);
  }

  static none(n: number): Relation {
    return new Relation(n, new Uint32Array(n * words(n)));
  }

  static of(n: number, pairs: Iterable<readonly [number, number]>): Relation {
    const r = Relation.none(n);
    for (const [a, b] of pairs) r.add(a, b);
    return r;
  }

  static where(n: number, pred: (a: number, b: number) => boolean): Relation {
    const r = Relation.none(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (pred(a, b)) r.add(a, b);
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

function allZero(bits: Uint32Array): boolean {
  for (let k = 0; k < bits.length; k++) if (bits[k] !== 0) return false;
  return true;
}

/** Word by word: out[k] = op(a[k], b[k]). */
function zip(a: Uint32Array, b: Uint32Array, op: (x: number, y: number) => number): Uint32Array {
  const out = new Uint32Array(a.length);
  for (let k = 0; k < a.length; k++) out[k] = op(a[k]!, b[k]!);
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
  const out = EventSet.none(sets[0]!.n);
  for (const s of sets) for (let k = 0; k < out.bits.length; k++) out.bits[k]! |= s.bits[k]!;
  return out;
}

export function setInter(a: EventSet, b: EventSet): EventSet {
  return new EventSet(
    a.n,
    zip(a.bits, b.bits, (x, y) => x & y),
  );
}

export function setDiff(a: EventSet, b: EventSet): EventSet {
  return new EventSet(
    a.n,
    zip(a.bits, b.bits, (x, y) => x & ~y),
  );
}

/** ~S: every event not in S. */
export function complement(s: EventSet): EventSet {
  return setDiff(
    EventSet.where(s.n, () => true),
    s,
  );
}

/** domain(r): the events some pair of r starts from. */
export function domain(r: Relation): EventSet {
  return EventSet.where(r.n, (a) => {
    for (let k = 0; k < r.w; k++) if (r.rows[a * r.w + k] !== 0) return true;
    return false;
  });
}

/** range(r): the events some pair of r ends at. */
export function range(r: Relation): EventSet {
  const out = EventSet.none(r.n);
  for (let a = 0; a < r.n; a++) for (let k = 0; k < r.w; k++) out.bits[k]! |= r.rows[a * r.w + k]!;
  return out;
}

// ---- relations ----

/** [S]: the identity on a set (cat's toid). */
export function toid(s: EventSet): Relation {
  const r = Relation.none(s.n);
  for (const i of s) r.add(i, i);
  return r;
}

/** id: the identity on every event. */
export function id(n: number): Relation {
  return toid(EventSet.where(n, () => true));
}

/** S1 * S2: every pair from S1 to S2. */
export function cross(a: EventSet, b: EventSet): Relation {
  const r = Relation.none(a.n);
  for (const i of a) r.rows.set(b.bits, i * r.w);
  return r;
}

export function union(...rels: Relation[]): Relation {
  const out = Relation.none(rels[0]!.n);
  for (const r of rels) for (let k = 0; k < out.rows.length; k++) out.rows[k]! |= r.rows[k]!;
  return out;
}

/** r1 & r2 */
export function inter(a: Relation, b: Relation): Relation {
  return new Relation(
    a.n,
    zip(a.rows, b.rows, (x, y) => x & y),
  );
}

/** r1 \ r2 */
export function diff(a: Relation, b: Relation): Relation {
  return new Relation(
    a.n,
    zip(a.rows, b.rows, (x, y) => x & ~y),
  );
}

/** r^-1 */
export function inv(r: Relation): Relation {
  const out = Relation.none(r.n);
  for (const [a, b] of r.pairs()) out.add(b, a);
  return out;
}

/** r1 ; r2 ; ... : relational composition, left to right. */
export function seq(...rels: Relation[]): Relation {
  let acc = rels[0]!;
  for (let i = 1; i < rels.length; i++) acc = seq2(acc, rels[i]!);
  return acc;
}

function seq2(a: Relation, b: Relation): Relation {
  const out = Relation.none(a.n);
  const w = a.w;
  for (let i = 0; i < a.n; i++) {
    for (const j of a.successors(i)) {
      for (let k = 0; k < w; k++) out.rows[i * w + k]! |= b.rows[j * w + k]!;
    }
  }
  return out;
}

/** [S1] ; r ; [S2], computed directly. */
export function restrict(r: Relation, from: EventSet, to: EventSet): Relation {
  const out = Relation.none(r.n);
  for (const i of from)
    for (let k = 0; k < r.w; k++) out.rows[i * r.w + k] = r.rows[i * r.w + k]! & to.bits[k]!;
  return out;
}

/** r+ : transitive closure (Warshall over bit rows). */
export function plus(r: Relation): Relation {
  const out = new Relation(r.n, r.rows.slice());
  const w = r.w;
  for (let k = 0; k < r.n; k++) {
    const kw = k >>> 5;
    const kb = 1 << (k & 31);
    for (let i = 0; i < r.n; i++) {
      if ((out.rows[i * w + kw]! & kb) === 0) continue;
      for (let x = 0; x < w; x++) out.rows[i * w + x]! |= out.rows[k * w + x]!;
    }
  }
  return out;
}

/** r* : reflexive-transitive closure. */
export function star(r: Relation): Relation {
  return union(plus(r), id(r.n));
}

/** r? : r or the identity. */
export function opt(r: Relation): Relation {
  return union(r, id(r.n));
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

/** acyclic r */
export function acyclic(r: Relation): boolean {
  return findCycle(r) === undefined;
}

/**
 * One cycle of r as the list of its events (the first is not repeated at the end), or
 * undefined when r is acyclic. A shortest cycle through the first event found on one.
 */
export function findCycle(r: Relation): number[] | undefined {
  const n = r.n;
  // Depth-first search for a back edge: colour 0 = new, 1 = on the stack, 2 = done.
  const colour = new Uint8Array(n);
  for (let start = 0; start < n; start++) {
    if (colour[start] !== 0) continue;
    const stack: [node: number, succ: Iterator<number>][] = [[start, r.successors(start)]];
    colour[start] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = top[1].next();
      if (next.done) {
        colour[top[0]] = 2;
        stack.pop();
        continue;
      }
      const b = next.value;
      if (colour[b] === 1) return shortestCycleThrough(r, b);
      if (colour[b] === 0) {
        colour[b] = 1;
        stack.push([b, r.successors(b)]);
      }
    }
  }
  return undefined;
}

/** Breadth-first: the shortest path from e back to e. */
function shortestCycleThrough(r: Relation, e: number): number[] {
  const parent = new Int32Array(r.n).fill(-1);
  const queue = [e];
  for (let qi = 0; qi < queue.length; qi++) {
    const a = queue[qi]!;
    for (const b of r.successors(a)) {
      if (b === e) {
        const path = [a];
        for (let p = a; p !== e; ) {
          p = parent[p]!;
          path.push(p);
        }
        return path.reverse();
      }
      if (parent[b] === -1) {
        parent[b] = a;
        queue.push(b);
      }
    }
  }
  return [e];
}
