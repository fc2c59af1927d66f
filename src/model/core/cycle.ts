// Cycles of a relation: the acyclic check every model's axioms use, and one cycle as a witness
// for --explain. Depth-first over bit rows, scanning words directly: acyclic runs once per
// axiom per candidate execution.

/** A relation as this module reads it: n events, w words per row, the rows' bits (relation.ts's Relation). */
interface Relation {
  readonly n: number;
  readonly w: number;
  readonly rows: Uint32Array;
  successors(a: number): Iterable<number>;
}

/** acyclic r */
export function acyclic(r: Relation): boolean {
  return nodeOnCycle(r) < 0;
}

/**
 * One cycle of r as the list of its events (the first is not repeated at the end), or
 * undefined when r is acyclic. A shortest cycle through the first event found on one.
 */
export function findCycle(r: Relation): number[] | undefined {
  const e = nodeOnCycle(r);
  return e < 0 ? undefined : shortestCycleThrough(r, e);
}

/**
 * An event that a back edge of a depth-first search reaches (so it lies on a cycle), or -1
 * when r is acyclic. Scans bit words directly: this runs once per axiom per candidate.
 */
function nodeOnCycle(r: Relation): number {
  const n = r.n;
  const w = r.w;
  const rows = r.rows;
  // Colour 0 = new, 1 = on the stack, 2 = done. Each stack entry: node, word index, bits left.
  if (scratch.colour.length < n) scratch = scratchOf(n);
  const { colour, node, word, left } = scratch;
  colour.fill(0, 0, n);
  for (let start = 0; start < n; start++) {
    if (colour[start] !== 0) continue;
    let top = 0;
    node[0] = start;
    word[0] = 0;
    left[0] = rows[start * w]! | 0;
    colour[start] = 1;
    while (top >= 0) {
      const a = node[top]!;
      let bits = left[top]!;
      while (bits === 0 && word[top]! + 1 < w) {
        word[top]!++;
        bits = rows[a * w + word[top]!]! | 0;
      }
      if (bits === 0) {
        colour[a] = 2;
        top--;
        continue;
      }
      const low = bits & -bits;
      left[top] = bits ^ low;
      const b = word[top]! * 32 + 31 - Math.clz32(low);
      if (colour[b] === 1) return b;
      if (colour[b] === 0) {
        colour[b] = 1;
        top++;
        node[top] = b;
        word[top] = 0;
        left[top] = rows[b * w]! | 0;
      }
    }
  }
  return -1;
}

/**
 * nodeOnCycle's arrays, kept between calls (it calls nothing back, so one set serves): four
 * typed arrays per check were most of what a cheap check allocated.
 */
const scratchOf = (n: number) => ({
  colour: new Uint8Array(n),
  node: new Int32Array(n),
  word: new Int32Array(n),
  left: new Int32Array(n),
});
let scratch = scratchOf(64);

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
