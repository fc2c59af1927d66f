// What a message is to a weak CPU: which held write of a location a read may take (not older
// than its view: coherence), what taking it does to its views, where a write joins the
// location's coherence order and what it carries. The machinery under cpu.ts's primitives; the
// views themselves are views.ts's, the histories history.ts's. This module neither runs threads
// nor knows a primitive.

import type { FastRandom } from '../fast-random.ts';
import { HISTORY, type HistoryGeometry } from './history.ts';
import { CpuViews } from './views.ts';

const {
  CLOCK_CELL,
  HISTORY_DEPTH,
  SLOT_TS,
  SLOT_VALUE,
  SLOT_VIEW,
  countCell,
  countAfter,
  heldOf,
  rmwAt,
  slotCell,
} = HISTORY;

/** Timestamps between two writes appended in turn (room for writes placed between them). */
export const TS_GAP = 1 << 12;
/** Past this, appends step by 1 (a location written half a million times in one instance). */
export const TS_LIMIT = 1 << 30;

export abstract class CpuMessages extends CpuViews {
  protected readAt(b: number, x: number, acquire: boolean): number {
    const h = this.h;
    const n = heldOf(h[b + countCell(this.g, x)]!);
    if (this.drainedAt >= 0)
      // after the end of a batch (drain), nothing is in flight: the latest write
      return h[b + slotCell(this.g, x, n - 1) + SLOT_VALUE]!;
    return this.take(b, x, this.choose(this.oldest(b, x, n), n - 1), acquire);
  }

  /**
   * The oldest held write of x (of n) this CPU may read: the first not older than its floor,
   * with an exact view the timestamp it holds, else the newest write performed by the global
   * time it holds (history.ts).
   */
  protected oldest(b: number, x: number, n: number): number {
    const h = this.h;
    const floor = this.floorOf(b, x, n, this.cur[this.slotOf(x)]!);
    let lo = 0;
    while (lo < n - 1 && h[b + slotCell(this.g, x, lo) + SLOT_TS]! < floor) lo++;
    return lo;
  }

  /** A view entry of x as a coherence timestamp of x (see oldest). */
  protected floorOf(b: number, x: number, n: number, stamp: number): number {
    if (this.exact) return stamp;
    const h = this.h;
    let floor = 0;
    for (let j = 0; j < n; j++) {
      const s = b + slotCell(this.g, x, j);
      if (h[s + this.g.time]! <= stamp && h[s + SLOT_TS]! > floor) floor = h[s + SLOT_TS]!;
    }
    return floor;
  }

  /** What a write of x may not go before: all this CPU has seen, read or heard of (cur, acq). */
  protected writeFloor(b: number, x: number, n: number): number {
    const k = this.slotOf(x);
    return this.floorOf(b, x, n, Math.max(this.cur[k]!, this.acq[k]!));
  }

  /**
   * Read write j of location x: raise cur to it; an acquiring read makes the message's views
   * its own, another keeps them pending (acq, sAcq).
   */
  protected take(b: number, x: number, j: number, acquire: boolean): number {
    return this.takeAt(this.h, b + slotCell(this.g, x, j), x, acquire);
  }

  /** take's work on the message at `s` of `src` (the history, or a CPU's copy of x's slots). */
  protected takeAt(src: Int32Array, s: number, x: number, acquire: boolean): number {
    const k = this.slotOf(x);
    const stamp = this.exact ? src[s + SLOT_TS]! : src[s + this.g.time]!;
    if (this.cur[k]! < stamp) this.cur[k] = stamp;
    const n = this.slots;
    if (acquire) {
      this.joinAt(this.cur, s + SLOT_VIEW, src);
      this.joinAt(this.sCur, s + SLOT_VIEW + n, src);
    } else {
      this.joinAt(this.acq, s + SLOT_VIEW, src);
      this.joinAt(this.sAcq, s + SLOT_VIEW + n, src);
    }
    return src[s + SLOT_VALUE]!;
  }

  /**
   * Add a write of v to location x (cell i): its view is `view` plus its strong view, which is
   * every strong view this CPU holds, pending or not (so a store that depends on a read passes
   * on what that read brought: stronger than LKMM where there is no dependency, which the
   * reorderings make up for). An rmw's write (`also`: the held write it read, or -1) carries
   * that message's views too and goes right after it. Any other write joins coherence
   * at the end or, by a seeded choice, between two held writes newer than anything this CPU
   * has seen, read or heard of (cur and acq), unless the later one is an rmw's: a write placed
   * in coherence before writes performed earlier (2+2W), as a store buffer draining late does;
   * `atEnd`: at the end (each half of a 64-bit write, which must not be torn apart).
   */
  protected append(
    b: number,
    i: number,
    x: number,
    v: number,
    view: Int32Array,
    also: number,
    atEnd = false,
  ): void {
    const h = this.h;
    const g = this.g;
    const n = this.slots;
    const outV = this.outV;
    const outS = this.outS;
    for (let y = 0; y < n; y++) {
      outS[y] = Math.max(this.sCur[y]!, this.sAcq[y]!);
      outV[y] = Math.max(view[y]!, outS[y]!);
    }
    if (also >= 0) {
      this.joinAt(outV, b + slotCell(g, x, also) + SLOT_VIEW);
      this.joinAt(outS, b + slotCell(g, x, also) + SLOT_VIEW + n);
    }
    const cc = b + countCell(g, x);
    const count = h[cc]!;
    const held = heldOf(count);
    const last = h[b + slotCell(g, x, held - 1) + SLOT_TS]!;
    const at = also >= 0 ? also : atEnd ? held - 1 : this.placeOf(b, x, held);
    const before = h[b + slotCell(g, x, at) + SLOT_TS]!;
    const t =
      at === held - 1
        ? last + (last < TS_LIMIT ? TS_GAP : 1)
        : (before + h[b + slotCell(g, x, at + 1) + SLOT_TS]!) >>> 1;
    // the instance's clock: only shared view slots read it (exact ones would only make its
    // line travel between CPUs on every write)
    let time = 0;
    if (!this.exact) {
      time = h[b + CLOCK_CELL]! + 1;
      h[b + CLOCK_CELL] = time;
    }
    const to = makeRoom(h, g, b, x, held, at);
    const k = this.slotOf(x);
    const stamp = this.exact ? t : time;
    if (outV[k]! < stamp) outV[k] = stamp;
    const s = b + slotCell(g, x, to);
    h[s + SLOT_TS] = t;
    if (!this.exact) h[s + g.time] = time;
    h[s + SLOT_VALUE] = v;
    for (let y = 0; y < n; y++) {
      h[s + SLOT_VIEW + y] = outV[y]!;
      h[s + SLOT_VIEW + n + y] = outS[y]!;
    }
    h[cc] = countAfter(count, at, also >= 0 ? 1 : 0);
    if (this.cur[k]! < stamp) this.cur[k] = stamp;
    if (this.own[k]! < stamp) this.own[k] = stamp;
    if (at === held - 1) this.m[i] = v;
  }

  /** Where a plain write of x goes: after the latest, or (seeded) after an insertable held write. */
  protected placeOf(b: number, x: number, held: number): number {
    if (held < 2) return held - 1;
    return placeAmong(this.h, this.g, b, x, held, this.writeFloor(b, x, held), this.rnd);
  }

  /** May a write go between held writes j and j + 1 of x (both newer than floor, room, no rmw)? */
  protected insertable(b: number, x: number, j: number, floor: number): boolean {
    return insertable(this.h, this.g, b, x, j, floor);
  }

  /** A write in [lo, hi]: the latest half the time, else any of them (stale ones are the point). */
  protected choose(lo: number, hi: number): number {
    if (lo >= hi) return hi;
    const r = this.random();
    return (r & 1) === 0 ? hi : lo + ((r >>> 1) % (hi - lo + 1));
  }
}

// The parts of a write's placement that need no CPU's views: messages.ts's append and the
// litmus code compiled for the weak CPU (compiled.ts) both call them.

/**
 * Where a write of x goes among `held` (≥ 2) held writes, none older than `floor` passed: after
 * the latest, or (seeded: one draw when a gap is free) between two insertable held writes.
 */
export function placeAmong(
  h: Int32Array,
  g: HistoryGeometry,
  b: number,
  x: number,
  held: number,
  floor: number,
  rnd: FastRandom,
): number {
  let gaps = 0;
  for (let j = 0; j < held - 1; j++) if (insertable(h, g, b, x, j, floor)) gaps++;
  if (gaps === 0) return held - 1;
  const r = rnd.next();
  if ((r & 1) === 0) return held - 1;
  let k = (r >>> 1) % gaps;
  for (let j = 0; j < held - 1; j++) {
    if (insertable(h, g, b, x, j, floor) && k-- === 0) return j;
  }
  return held - 1;
}

/** May a write go between held writes j and j + 1 of x (both newer than floor, room, no rmw)? */
function insertable(
  h: Int32Array,
  g: HistoryGeometry,
  b: number,
  x: number,
  j: number,
  floor: number,
): boolean {
  const lo = b + slotCell(g, x, j);
  const hi = lo + g.slot;
  return (
    h[lo + SLOT_TS]! >= floor &&
    rmwAt(h[b + countCell(g, x)]!, j + 1) === 0 &&
    h[hi + SLOT_TS]! - h[lo + SLOT_TS]! >= 2
  );
}

/**
 * Make room for a write going right after held write `at` of x: shift the newer ones up, or,
 * when all HISTORY_DEPTH are held, the older ones down (the oldest is forgotten). Its slot.
 */
export function makeRoom(
  h: Int32Array,
  g: HistoryGeometry,
  b: number,
  x: number,
  held: number,
  at: number,
): number {
  const slot = g.slot;
  if (held < HISTORY_DEPTH) {
    const from = b + slotCell(g, x, at + 1);
    for (let c = b + slotCell(g, x, held) - 1; c >= from; c--) h[c + slot] = h[c]!;
    return at + 1;
  }
  const first = b + slotCell(g, x, 0);
  const end = b + slotCell(g, x, at + 1);
  for (let c = first; c < end; c++) h[c] = h[c + slot]!;
  return at;
}
