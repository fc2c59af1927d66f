// Reads-from and coherence, location by location: every choice of the write each read takes
// its value from, and of the order of the writes, that the location alone allows — the
// per-location part of "acyclic po-loc | rf | co | fr" (coherence) and "empty rmw & (fre ;
// coe)" (atomic), which every model requires. Checking them here, before any model runs,
// keeps the product over locations small.

import type { Budget } from '../core/budget.ts';
import type { Event, LocChoice, Skeleton } from '../core/execution.ts';
import { acyclic, Relation } from '../core/relation.ts';

/**
 * The coherent (rf, co) choices of one ordinary location. For a coherence order, each
 * thread's accesses to the location must see it in order: a write comes after everything its
 * thread saw before (coWW, coRW), a read no earlier (coWR, coRR) — the per-location part of
 * "acyclic po-loc | rf | co | fr". An rmw's read must take the write just before the rmw's
 * own write, but for writes of its own thread (atomic: rmw & (fre ; coe) empty).
 */
export function locChoices(sk: Skeleton, l: number, budget: Budget): LocChoice[] {
  const evs = sk.byLoc[l]!.map((id) => sk.events[id]!);
  const init = sk.init[l]!;
  const writes = evs.filter((e) => e.dir === 'W');
  const sources = new Map<number, number[]>();
  for (const r of evs) {
    if (r.dir !== 'R') continue;
    const from = writes.filter((w) => w.value === r.value).map((w) => w.id);
    if (from.length === 0) return [];
    sources.set(r.id, from);
  }
  const steps = evs.filter((e) => e.thread >= 0); // by thread, then program order
  const partner = new Map<number, number>();
  for (const r of sources.keys()) for (const w of sk.rmw.successors(r)) partner.set(r, w);
  const out: LocChoice[] = [];
  const rf: [number, number][] = [];
  const readOf = new Map([...partner].map(([r, w]) => [w, r]));
  const others = writes.filter((w) => w.id !== init).map((w) => w.id);
  const fits = rmwFits(sk, readOf);
  // A step of the budget per write placed: thousands of writes to a location take a while.
  const placed = (prefix: number[], w: number): boolean => {
    budget.tick();
    return fits(prefix, w);
  };
  for (const co of coOrders(sk, init, others, placed)) {
    const rank = new Map(co.map((w, i) => [w, i]));
    const atomic = (r: Event, src: number): boolean => {
      const w = partner.get(r.id);
      if (w === undefined) return true;
      for (let k = rank.get(src)! + 1; k < rank.get(w)!; k++)
        if (sk.events[co[k]!]!.thread !== r.thread) return false;
      return true;
    };
    const walk = (k: number, thread: number, seen: number): void => {
      budget.tick();
      if (k === steps.length) {
        out.push({ rf: rf.slice(), co });
        return;
      }
      const e = steps[k]!;
      const cur = e.thread === thread ? seen : -1;
      if (e.dir === 'W') {
        if (rank.get(e.id)! > cur) walk(k + 1, e.thread, rank.get(e.id)!);
        return;
      }
      for (const src of sources.get(e.id)!) {
        if (rank.get(src)! < cur || !atomic(e, src)) continue;
        rf.push([src, e.id]);
        walk(k + 1, e.thread, rank.get(src)!);
        rf.pop();
      }
    };
    walk(0, -1, -1);
  }
  return out;
}

/**
 * Permutations of a location's writes that keep each thread's writes in program order, after
 * `first` (the initial write). `ok(prefix, w)` may refuse w as the next write.
 */
export function coOrders(
  sk: Skeleton,
  first: number,
  writes: number[],
  ok: (prefix: number[], w: number) => boolean = () => true,
): number[][] {
  const out: number[][] = [];
  const prefix = [first];
  const left = writes.slice();
  // Once every thread's first remaining write was tried the rest of `left` has nothing new:
  // stopping there keeps a thread of thousands of writes linear, not quadratic.
  const threads = new Set(writes.map((w) => sk.events[w]!.thread)).size;
  const extend = (): void => {
    if (left.length === 0) {
      out.push(prefix.slice());
      return;
    }
    const seen = new Set<number>();
    for (let k = 0; k < left.length; k++) {
      const w = left[k]!;
      const t = sk.events[w]!.thread;
      if (seen.size === threads) break;
      if (seen.has(t)) continue; // only the po-first remaining write of each thread may come next
      seen.add(t);
      if (!ok(prefix, w)) continue;
      prefix.push(w);
      left.splice(k, 1);
      extend();
      left.splice(k, 0, w);
      prefix.pop();
    }
  };
  extend();
  return out;
}

/**
 * An rmw's write may come next only if some write it may read from — the last one before it
 * in co, or an earlier one followed only by writes of the rmw's own thread — holds the value
 * its read returned.
 */
function rmwFits(
  sk: Skeleton,
  readOf: Map<number, number>,
): (prefix: number[], w: number) => boolean {
  return (prefix, w) => {
    const r = readOf.get(w);
    if (r === undefined) return true;
    const { thread, value } = sk.events[r]!;
    for (let k = prefix.length - 1; k >= 0; k--) {
      const p = sk.events[prefix[k]!]!;
      if (p.value === value) return true;
      if (p.thread !== thread) return false;
    }
    return false;
  };
}

/** sc-per-location on one location, and atomicity of its rmws (rmw & (fre ; coe) empty). */
export function locationCoherent(
  sk: Skeleton,
  ids: number[],
  rf: [number, number][],
  co: number[],
): boolean {
  const k = ids.length;
  const at = new Map(ids.map((id, i) => [id, i]));
  const g = Relation.none(k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) if (sk.po.has(ids[i]!, ids[j]!)) g.add(i, j);
  const rank = new Map(co.map((w, i) => [w, i]));
  for (let i = 0; i + 1 < co.length; i++) g.add(at.get(co[i]!)!, at.get(co[i + 1]!)!);
  for (const [w, r] of rf) {
    g.add(at.get(w)!, at.get(r)!);
    const from = rank.get(w);
    if (from === undefined) continue;
    for (let j = from + 1; j < co.length; j++) if (co[j] !== r) g.add(at.get(r)!, at.get(co[j]!)!);
  }
  if (!acyclic(g)) return false;
  return atomic(sk, rf, co, rank);
}

function atomic(
  sk: Skeleton,
  rf: [number, number][],
  co: number[],
  rank: Map<number, number>,
): boolean {
  const source = new Map(rf.map(([w, r]) => [r, w]));
  for (const [r, w] of sk.rmw.pairs()) {
    const src = source.get(r);
    if (src === undefined || !rank.has(w)) continue;
    for (let j = rank.get(src)! + 1; j < rank.get(w)!; j++) {
      const between = co[j]!;
      if (sk.ext.has(r, between) && sk.ext.has(between, w)) return false;
    }
  }
  return true;
}
