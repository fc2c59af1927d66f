// The relation algebra against small relations whose results are worked out by hand.

import test from 'ava';
import {
  acyclic,
  cross,
  diff,
  domain,
  EventSet,
  empty,
  fencerel,
  findCycle,
  id,
  inter,
  inv,
  irreflexive,
  opt,
  plus,
  Relation,
  range,
  restrict,
  seq,
  setDiff,
  setInter,
  setUnion,
  star,
  toid,
  union,
} from '../../src/model/core/relation.ts';

const pairs = (r: Relation) => [...r.pairs()];
const rel = (n: number, ps: [number, number][]) => Relation.of(n, ps);

test('seq composes left to right', (t) => {
  const a = rel(4, [
    [0, 1],
    [1, 2],
  ]);
  const b = rel(4, [
    [1, 3],
    [2, 0],
  ]);
  t.deepEqual(pairs(seq(a, b)), [
    [0, 3],
    [1, 0],
  ]);
  t.deepEqual(pairs(seq(a, b, a)), [[1, 1]]);
});

test('union, inter, diff, inv', (t) => {
  const a = rel(3, [
    [0, 1],
    [1, 2],
  ]);
  const b = rel(3, [
    [1, 2],
    [2, 0],
  ]);
  t.deepEqual(pairs(union(a, b)), [
    [0, 1],
    [1, 2],
    [2, 0],
  ]);
  t.deepEqual(pairs(inter(a, b)), [[1, 2]]);
  t.deepEqual(pairs(diff(a, b)), [[0, 1]]);
  t.deepEqual(pairs(inv(a)), [
    [1, 0],
    [2, 1],
  ]);
});

test('plus is the transitive closure, star adds the identity, opt adds it to r', (t) => {
  const chain = rel(4, [
    [0, 1],
    [1, 2],
    [2, 3],
  ]);
  t.deepEqual(pairs(plus(chain)), [
    [0, 1],
    [0, 2],
    [0, 3],
    [1, 2],
    [1, 3],
    [2, 3],
  ]);
  t.true(star(chain).has(3, 3));
  t.false(plus(chain).has(3, 3));
  t.deepEqual(pairs(opt(rel(2, [[0, 1]]))), [
    [0, 0],
    [0, 1],
    [1, 1],
  ]);
});

test('closure works across 32-bit words', (t) => {
  const n = 70;
  const r = rel(
    n,
    Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]),
  );
  const p = plus(r);
  t.true(p.has(0, 69));
  t.true(p.has(31, 32));
  t.false(p.has(69, 0));
  t.true(acyclic(r));
  t.false(acyclic(union(r, rel(n, [[69, 0]]))));
});

test('toid, cross, restrict, domain, range', (t) => {
  const s = EventSet.of(4, [1, 3]);
  t.deepEqual(pairs(toid(s)), [
    [1, 1],
    [3, 3],
  ]);
  t.deepEqual(pairs(cross(s, EventSet.of(4, [0]))), [
    [1, 0],
    [3, 0],
  ]);
  const r = rel(4, [
    [0, 1],
    [1, 3],
    [3, 2],
  ]);
  t.deepEqual(pairs(restrict(r, s, EventSet.of(4, [2, 3]))), [
    [1, 3],
    [3, 2],
  ]);
  t.deepEqual([...domain(r)], [0, 1, 3]);
  t.deepEqual([...range(r)], [1, 2, 3]);
  t.deepEqual(pairs(id(2)), [
    [0, 0],
    [1, 1],
  ]);
});

test('set operations', (t) => {
  const a = EventSet.of(5, [0, 1, 2]);
  const b = EventSet.of(5, [2, 3]);
  t.deepEqual([...setUnion(a, b)], [0, 1, 2, 3]);
  t.deepEqual([...setInter(a, b)], [2]);
  t.deepEqual([...setDiff(a, b)], [0, 1]);
});

test('fencerel(S) relates events on either side of an S event in po', (t) => {
  // One thread of four events 0 < 1 < 2 < 3; event 2 is the fence.
  const po = Relation.where(4, (a, b) => a < b);
  const f = fencerel(po, EventSet.of(4, [2]));
  t.deepEqual(pairs(f), [
    [0, 3],
    [1, 3],
  ]);
});

test('checks: empty, irreflexive, acyclic', (t) => {
  t.true(empty(Relation.none(3)));
  t.false(empty(rel(3, [[0, 1]])));
  t.true(
    irreflexive(
      rel(3, [
        [0, 1],
        [1, 0],
      ]),
    ),
  );
  t.false(irreflexive(rel(3, [[2, 2]])));
  t.false(
    acyclic(
      rel(3, [
        [0, 1],
        [1, 0],
      ]),
    ),
  );
  t.true(
    acyclic(
      rel(3, [
        [0, 1],
        [1, 2],
      ]),
    ),
  );
});

test('findCycle returns a cycle of the relation, each step an edge', (t) => {
  const r = rel(6, [
    [0, 1],
    [1, 2],
    [2, 3],
    [3, 1],
    [4, 5],
  ]);
  const cycle = findCycle(r)!;
  t.is(cycle.length, 3);
  for (let i = 0; i < cycle.length; i++) t.true(r.has(cycle[i]!, cycle[(i + 1) % cycle.length]!));
  t.is(
    findCycle(
      rel(3, [
        [0, 1],
        [1, 2],
      ]),
    ),
    undefined,
  );
  t.deepEqual(findCycle(rel(2, [[1, 1]])), [1]);
});
