// The search's coherence check of one step (coherentStep: only the edges the stepping thread
// added) against the check of the whole state (coherent), on random threads: the two must
// agree on every state one thread extends from a coherent one, or the search would keep an
// incoherent state or, worse, drop a coherent one. And a prefix's edges are a prefix of the
// longer run's, and going on from a prefix's coherence (what partial.ts does, keeping only
// what the new events add) gives the longer run's edges, rmw reads and last accesses.

import test from 'ava';
import {
  allEdges,
  type CoherenceEvent,
  coherent,
  coherentStep,
  NO_SOURCE,
  type ThreadCoherence,
  threadCoherence,
} from '../../src/explore/coherence.ts';

/** A coherence's lists, whole (what its chain of `before`s holds together). */
function flat(c: ThreadCoherence | undefined) {
  if (!c) return undefined;
  const rmwReads: number[] = [];
  for (let x: ThreadCoherence | undefined = c; x; x = x.before) rmwReads.unshift(...x.rmwReads);
  // each location's entry from the latest segment that has one
  const last = new Map<number, [number, number]>();
  for (let x: ThreadCoherence | undefined = c; x; x = x.before)
    for (let j = 0; j < x.last.length; j += 3)
      if (!last.has(x.last[j]!)) last.set(x.last[j]!, [x.last[j + 1]!, x.last[j + 2]!]);
  return { edges: allEdges(c), rmwReads, last: [...last].sort((a, b) => a[0] - b[0]) };
}

/** Event i of thread t: (t + 1) * IDS + i; below IDS, the initial write of each location. */
const IDS = 1000;
const LOCS = 2;

/** A small deterministic generator (the same cases every run). */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

/** Random threads: writes, reads of any write of their location (or the initial one), rmws. */
function randomThreads(pick: (n: number) => number): CoherenceEvent[][] {
  const threads = 2 + pick(2);
  const shapes = Array.from({ length: threads }, () =>
    Array.from({ length: 2 + pick(5) }, () => ({ loc: pick(LOCS), kind: pick(3) })),
  );
  // Every write of the test, to pick sources from: the initial ones and each thread's.
  const writes: { id: number; loc: number; thread: number }[] = [];
  for (let l = 0; l < LOCS; l++) writes.push({ id: l, loc: l, thread: -1 });
  const events: CoherenceEvent[][] = shapes.map(() => []);
  shapes.forEach((shape, t) => {
    let i = 0;
    for (const { loc, kind } of shape) {
      const id = (t + 1) * IDS + i;
      // kind 0: a write; 1: a read; 2: an rmw (its read, then its write)
      if (kind !== 1) {
        if (kind === 2) i++;
        writes.push({ id: (t + 1) * IDS + i, loc, thread: t });
      }
      events[t]!.push({
        id,
        loc,
        dir: kind === 0 ? 'W' : 'R',
        from: NO_SOURCE,
        fromOwn: false,
        rmwWrite: kind === 2 ? id + 1 : NO_SOURCE,
      });
      if (kind === 2)
        events[t]!.push({
          id: id + 1,
          loc,
          dir: 'W',
          from: NO_SOURCE,
          fromOwn: false,
          rmwWrite: NO_SOURCE,
        });
      i++;
    }
  });
  events.forEach((list, t) => {
    for (const e of list) {
      if (e.dir !== 'R') continue;
      const at = writes.filter((w) => w.loc === e.loc && w.id !== e.rmwWrite);
      const w = at[pick(at.length)]!;
      e.from = w.id;
      e.fromOwn = w.thread === t;
    }
  });
  return events;
}

test('a step checked through its new edges agrees with the whole state checked', (t) => {
  const pick = random(7);
  let steps = 0;
  let incoherent = 0;
  for (let n = 0; n < 3000; n++) {
    const events = randomThreads(pick);
    // Each thread's prefix lengths now; one thread at a time grows by 1 or 2 events.
    const lengths = events.map(() => 0);
    const prefix = (th: number, k: number) => threadCoherence(events[th]!.slice(0, k));
    let state: ThreadCoherence[] | undefined = lengths.map((k, th) => prefix(th, k)!);
    while (state && lengths.some((k, th) => k < events[th]!.length)) {
      const open = lengths.flatMap((k, th) => (k < events[th]!.length ? [th] : []));
      const th = open[pick(open.length)]!;
      const before = state[th]!;
      const was = lengths[th]!;
      lengths[th] = Math.min(events[th]!.length, lengths[th]! + 1 + pick(2));
      const grown = prefix(th, lengths[th]!);
      const whole: boolean =
        grown !== undefined && coherent(state.map((c, i) => (i === th ? grown : c)));
      // Going on from the shorter prefix (partial.ts: a prefix from its parent's) gives the same.
      const goneOn = threadCoherence(events[th]!.slice(was, lengths[th]), before);
      t.deepEqual(flat(goneOn), flat(grown));
      if (grown) {
        const old = flat(before)!;
        const now = flat(grown)!;
        t.deepEqual(now.edges.slice(0, old.edges.length), old.edges);
        t.deepEqual(now.rmwReads.slice(0, old.rmwReads.length), old.rmwReads);
        // the step checked both ways: from the grown prefix alone, and gone on from `before`
        const next = state.map((c, i) => (i === th ? grown : c));
        const step = coherentStep(next, th, before);
        const stepOn = coherentStep(
          state.map((c, i) => (i === th ? goneOn! : c)),
          th,
          before,
        );
        t.is(stepOn, step);
        if (step !== whole) {
          t.fail(`step ${step}, whole ${whole}: ${JSON.stringify(events)}`);
          return;
        }
        steps++;
      }
      if (!whole) incoherent++;
      state = whole ? state.map((c, i) => (i === th ? grown! : c)) : undefined;
    }
  }
  // The cases exercise both answers.
  t.true(steps > 5000, `${steps} steps`);
  t.true(incoherent > 500, `${incoherent} incoherent`);
});
