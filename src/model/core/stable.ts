// Operations on stable operands, computed once.
//
// A candidate execution's relations mix what its shape fixes (po, the fences, the annotation
// sets: the same objects for every execution of one shape, marked stable by execution.ts's
// memo) with what rf and co add. An operation whose operands are all stable returns the result
// it gave the first time, itself stable, so a model's shape-only terms cost nothing after the
// first execution of a shape. Results are shared: nobody may mutate them (the algebra never does).
// relation.ts's operations call cached() and marks values with markStable(); this module holds
// the results, nothing else, and knows values only as things that can be stable.

/** A value of the algebra (a Relation or an EventSet), as far as caching needs to know it. */
export interface Stable {
  stable: boolean;
}
type Value = Stable;
interface MemoNode {
  next?: WeakMap<Value, MemoNode>;
  results?: Map<string, Value>;
}
const memoRoot: MemoNode = {};

/**
 * Off while a model read from files runs: the cat interpreter keeps what a shape fixes itself,
 * per binding (cat/frame.ts), and caching each operation again would only cost.
 */
let caching = true;

/** Run `fn` with the cache of operations off (see `caching`). */
export function uncached<T>(fn: () => T): T {
  const before = caching;
  caching = false;
  try {
    return fn();
  } finally {
    caching = before;
  }
}

/**
 * The result of `op` on these operands: computed once when they are all stable, else each time
 * and then passed through `settle` (which may swap it for an equal stable value, see
 * relation.ts's settle) while caching is on.
 */
export function cached<T extends Value>(
  op: string,
  args: Value[],
  make: () => T,
  settle?: (r: T) => T,
): T {
  if (!caching) return make();
  for (const a of args) if (!a.stable) return settle ? settle(make()) : make();
  let node = memoRoot;
  for (const a of args) {
    node.next ??= new WeakMap();
    let child = node.next.get(a);
    if (!child) {
      child = {};
      node.next.set(a, child);
    }
    node = child;
  }
  node.results ??= new Map();
  let r = node.results.get(op) as T | undefined;
  if (!r) {
    r = settle ? settle(make()) : make();
    r.stable = true;
    node.results.set(op, r);
  }
  return r;
}
