// One CPU of the emulated weak machine: its views of an instance's histories (history.ts) and
// the meaning of every primitive in terms of them. The design, with its sources, is docs/weak.md.
//
// A CPU holds, per location of the instance it is running, timestamps (views):
//   cur  — the oldest write it may still read (coherence: it never reads older than it has
//          seen or written);
//   acq  — what the messages it has read would make it see, once an ordering primitive says
//          so (its invalidate queue, in McKenney's terms: smp_rmb() and acquire apply it);
//   rel  — what its plain stores carry to a reader (smp_wmb(): its own earlier stores;
//          smp_mb() and lock acquisition: more, see below);
//   own  — its own latest store of each location;
//   sCur, sAcq — the part of cur and acq that came from an smp_mb() (a strong fence orders
//          its past before everything that happens-after it, through any chain of rf and
//          preserved program order: every store passes it on, and reads apply it where an
//          ordering primitive or a dependency says so);
//   unlocked — the view at its last spin_unlock().
// A read returns, by a seeded choice biased to stale ones, any of the location's recent writes
// not older than cur; a store appends a message carrying its views. Fences with nothing after
// them order nothing, so a fence is applied at the CPU's next access of the instance (as if
// the CPU were slower), which is also where the CPU learns which instance it is in.
//
// Cells are indices of the runner's memory (the litmus layout): `instance` and `location` are
// computed from them. The final value of each location is also written to its cell there, so
// the runner reads final states as it does on hw. This module does not run threads.

import { prandom_seed_state, prandom_u32_state, type rnd_state } from '../random.ts';
import {
  countCell,
  GEN_CELL,
  GLOBAL_CELL,
  HISTORY_DEPTH,
  type HistoryGeometry,
  historyGeometry,
  initialWrite,
  LOCK_CELL,
  SLOT_RMW,
  SLOT_TS,
  SLOT_VALUE,
  SLOT_VIEW,
  slotCell,
} from './history.ts';

/** Where the runner's cells are: the fields of the litmus Layout the CPU needs. */
export interface CellGeometry {
  dataBase: number;
  instanceStride: number;
  varStride: number;
  variables: number;
  /** Location of each word of an instance (scenario memory); absent: one per varStride words. */
  locationOf?: readonly number[];
}

export interface WeakCpuConfig {
  /** The runner's memory: final values are written to their cells. */
  m: Int32Array;
  /** The histories (a SharedArrayBuffer of historyGeometry(variables).stride cells per instance). */
  h: Int32Array;
  cells: CellGeometry;
  cpu: number;
  seed: number;
  /** One pass of a wait for a lock held by another CPU. */
  relax(spins: number): void;
}

/** The ordering of an rmw: fully ordered, none, acquire or release. */
export type RmwOrder = 'mb' | 'relaxed' | 'acquire' | 'release';
/** What an rmw computes: xchg(a), cmpxchg(a → b), add(a), add_unless(a unless b). */
export type RmwKind = 'xchg' | 'cmpxchg' | 'add' | 'add_unless';

/** Cell i of the runner's memory: its instance, word in the instance and location. */
export function locateCell(c: CellGeometry, i: number): { inst: number; word: number; x: number } {
  const rel = i - c.dataBase;
  const inst = Math.floor(rel / c.instanceStride);
  const word = rel - inst * c.instanceStride;
  const x = c.locationOf ? c.locationOf[word]! : Math.floor(word / c.varStride);
  if (x < 0) throw new Error(`internal: word ${word} of an instance is no location`);
  return { inst, word, x };
}

/** Timestamps between two writes appended in turn (room for writes placed between them). */
const TS_GAP = 1 << 12;
/** Past this, appends step by 1 (a location written half a million times in one instance). */
const TS_LIMIT = 1 << 30;

/** Copy slot `from` of location x over slot `to`. */
function copySlot(
  h: Int32Array,
  g: HistoryGeometry,
  b: number,
  x: number,
  from: number,
  to: number,
): void {
  const f = b + slotCell(g, x, from);
  const t = b + slotCell(g, x, to);
  for (let k = 0; k < g.slot; k++) h[t + k] = h[f + k]!;
}

const PENDING_RMB = 1;
const PENDING_WMB = 2;
const PENDING_MB = 4;

export class WeakCpu {
  readonly g: HistoryGeometry;
  private readonly cur: Int32Array;
  private readonly acq: Int32Array;
  private readonly rel: Int32Array;
  private readonly own: Int32Array;
  private readonly sCur: Int32Array;
  private readonly sAcq: Int32Array;
  private readonly unlocked: Int32Array;
  /** Scratch: the view and strong view of the message being appended. */
  private readonly outV: Int32Array;
  private readonly outS: Int32Array;
  private readonly rnd: rnd_state = { s1: 0, s2: 0, s3: 0, s4: 0 };
  /** History base of the instance this CPU's views are of, and that instance's generation. */
  private base = -1;
  private gen = 0;
  private pending = 0;
  /** Location of the last located cell. */
  private x = 0;
  /** Where dawdle's busy loop leaves its result, so that the engine keeps the loop. */
  sink = 0;
  /** The newest instance generation this CPU has seen, and that number when it last drained. */
  private maxGen = 0;
  private drainedAt = -1;

  constructor(private readonly cfg: WeakCpuConfig) {
    this.g = historyGeometry(cfg.cells.variables);
    const n = cfg.cells.variables;
    this.cur = new Int32Array(n);
    this.acq = new Int32Array(n);
    this.rel = new Int32Array(n);
    this.own = new Int32Array(n);
    this.sCur = new Int32Array(n);
    this.sAcq = new Int32Array(n);
    this.unlocked = new Int32Array(n);
    this.outV = new Int32Array(n);
    this.outS = new Int32Array(n);
    prandom_seed_state(this.rnd, (cfg.seed * 1_000_003 + cfg.cpu * 7919) % 2 ** 48);
  }

  /** A seeded u32: the CPU's choices (which write a read returns, which order runs). */
  random(): number {
    return prandom_u32_state(this.rnd);
  }

  // ---- accesses -----------------------------------------------------------------------

  /** A load; acquire: later accesses see what the message's writer had seen. */
  read(i: number, acquire: boolean): number {
    const b = this.enter(i);
    const x = this.x;
    const h = this.cfg.h;
    const n = h[b + countCell(this.g, x)]!;
    if (this.drainedAt >= 0) {
      // after the end of a batch (drain), nothing is in flight: the latest write
      const v = h[b + slotCell(this.g, x, n - 1) + SLOT_VALUE]!;
      this.leave(b);
      return v;
    }
    // the oldest held write not older than cur (the latest always is)
    let lo = 0;
    while (h[b + slotCell(this.g, x, lo) + SLOT_TS]! < this.cur[x]!) lo++;
    const v = this.take(b, x, this.choose(lo, n - 1), acquire);
    this.leave(b);
    return v;
  }

  /** A store; release: it carries everything this CPU has seen, else what `rel` says. */
  write(i: number, v: number, release: boolean): void {
    const b = this.enter(i);
    if (release) this.join(this.cur, this.acq);
    this.append(b, i, this.x, v, release ? this.cur : this.rel, -1);
    this.leave(b);
    this.dawdle();
  }

  /**
   * Now and then, a seeded pause after a store: the other CPUs of the instance get to run
   * between this store and this CPU's next access (what a slow store buffer or an interrupt
   * does), which the relaxations that need a whole thread in between (LB, S) depend on.
   */
  private dawdle(): void {
    const r = this.random();
    if ((r & 3) !== 0) return;
    for (let n = (r >>> 2) & 1023; n > 0; n--) this.sink ^= n;
  }

  /**
   * An rmw: reads the location's latest write and appends its result in the same atomic
   * step (rmw atomicity). Its message also carries the views of the message it replaced, so
   * a chain of rmws passes a release on (stronger than LKMM needs). Fully ordered: smp_mb()
   * before and after, unless it fails (a failed cmpxchg or add_unless is a plain read in LKMM).
   * Returns the old value; for add_unless, 1 if it added.
   */
  rmw(i: number, kind: RmwKind, order: RmwOrder, a: number, b2: number): number {
    const b = this.enter(i);
    const x = this.x;
    const h = this.cfg.h;
    const t = h[b + countCell(this.g, x)]! - 1;
    const latest = h[b + slotCell(this.g, x, t) + SLOT_VALUE]!;
    let next: number | undefined;
    if (kind === 'xchg') next = a;
    else if (kind === 'cmpxchg') next = latest === a ? b2 : undefined;
    else if (kind === 'add') next = (latest + a) | 0;
    else next = latest === b2 ? undefined : (latest + a) | 0;
    const full = order === 'mb' && next !== undefined;
    if (full) this.fullFence(b);
    this.take(b, x, t, full || order === 'acquire');
    if (next !== undefined) {
      const releasing = full || order === 'release';
      if (releasing) this.join(this.cur, this.acq);
      this.append(b, i, x, next, releasing ? this.cur : this.rel, b + slotCell(this.g, x, t));
    }
    if (full) this.fullFence(b);
    this.leave(b);
    return kind === 'add_unless' ? Number(next !== undefined) : latest;
  }

  /**
   * The end of a batch: every write has reached every CPU, so reads return the latest write
   * (the runner's arbiter reads after it) until this CPU touches an instance reset since.
   */
  drain(): void {
    this.drainedAt = this.maxGen;
  }

  // ---- fences (applied at the next access: see the header) ------------------------------

  /** smp_rmb(): later loads see what earlier loads' messages had seen. */
  rmb(): void {
    this.pending |= PENDING_RMB;
  }
  /** smp_wmb(): later stores carry this CPU's earlier stores. */
  wmb(): void {
    this.pending |= PENDING_WMB;
  }
  /** smp_mb(): an SC fence: join with the global view, publish to it; later stores carry it. */
  mb(): void {
    this.pending |= PENDING_MB;
  }

  // ---- locks: the lock word is a location whose value is 0 (free) or 1 (held) ---------

  /** Take the lock if it is free: an acquire rmw writing 1; false (a plain read) if held. */
  trylock(i: number): boolean {
    const b = this.enter(i);
    const x = this.x;
    const t = this.cfg.h[b + countCell(this.g, x)]! - 1;
    const s = b + slotCell(this.g, x, t);
    const free = this.cfg.h[s + SLOT_VALUE] === 0;
    if (free) {
      this.take(b, x, t, true);
      this.join(this.cur, this.acq);
      // po-unlock-lock-po orders what precedes an unlock (this CPU's last, of any lock, or
      // the one this lock reads from) before what follows the lock, for every CPU: stores
      // after the lock carry both views.
      this.joinSlot(this.rel, s + SLOT_VIEW);
      this.join(this.rel, this.unlocked);
      this.append(b, i, x, 1, this.cur, s);
    } else {
      this.take(b, x, t, false);
    }
    this.leave(b);
    return free;
  }

  lock(i: number): void {
    for (let spins = 1; !this.trylock(i); spins++) this.cfg.relax(spins);
  }

  /** Release the lock: a release store of 0. */
  unlock(i: number): void {
    this.write(i, 0, true);
    this.join(this.unlocked, this.cur);
  }

  // ---- machinery ----------------------------------------------------------------------

  /** Locate cell i, take the instance's lock, start afresh on a new instance, apply fences. */
  private enter(i: number): number {
    const c = this.cfg.cells;
    const { inst, word, x } = locateCell(c, i);
    this.x = x;
    const b = inst * this.g.stride;
    const h = this.cfg.h;
    // Waits only while another CPU is inside one access of this instance (a few dozen steps).
    while (Atomics.compareExchange(h, b + LOCK_CELL, 0, 1) !== 0);
    // a history nobody reset starts from the location's cell (its line's first word in a litmus run)
    if (h[b + countCell(this.g, this.x)] === 0)
      initialWrite(h, this.g, b, this.x, this.cfg.m[c.locationOf ? i : i - (word % c.varStride)]!);
    const gen = h[b + GEN_CELL]!;
    if (gen > this.maxGen) this.maxGen = gen;
    if (this.drainedAt >= 0 && gen > this.drainedAt) this.drainedAt = -1;
    if (b !== this.base || gen !== this.gen) {
      this.base = b;
      this.gen = gen;
      this.pending = 0;
      for (const v of [this.cur, this.acq, this.rel, this.own, this.sCur, this.sAcq, this.unlocked])
        v.fill(0);
    } else if (this.pending !== 0) {
      if (this.pending & PENDING_MB) this.fullFence(b);
      else {
        if (this.pending & PENDING_RMB) this.applyAcq();
        if (this.pending & PENDING_WMB) this.join(this.rel, this.own);
      }
      this.pending = 0;
    }
    return b;
  }

  private leave(b: number): void {
    Atomics.store(this.cfg.h, b + LOCK_CELL, 0);
  }

  /** What smp_rmb() does: the pending views of earlier reads become this CPU's. */
  private applyAcq(): void {
    this.join(this.cur, this.acq);
    this.join(this.sCur, this.sAcq);
  }

  /** smp_mb() in the instance at b: cur ⊔= acq ⊔ global; global = sCur = rel = cur. */
  private fullFence(b: number): void {
    const h = this.cfg.h;
    const g = b + GLOBAL_CELL;
    this.applyAcq();
    for (let y = 0; y < this.cur.length; y++) {
      const v = Math.max(h[g + y]!, this.cur[y]!);
      this.cur[y] = v;
      h[g + y] = v;
      this.rel[y] = v;
      this.sCur[y] = v;
    }
  }

  /**
   * Read write t of location x: raise cur[x] to t; an acquiring read makes the message's
   * views its own, another keeps them pending (acq, sAcq).
   */
  private take(b: number, x: number, j: number, acquire: boolean): number {
    const s = b + slotCell(this.g, x, j);
    const h = this.cfg.h;
    const t = h[s + SLOT_TS]!;
    if (this.cur[x]! < t) this.cur[x] = t;
    const n = this.cur.length;
    if (acquire) {
      this.joinSlot(this.cur, s + SLOT_VIEW);
      this.joinSlot(this.sCur, s + SLOT_VIEW + n);
    } else {
      this.joinSlot(this.acq, s + SLOT_VIEW);
      this.joinSlot(this.sAcq, s + SLOT_VIEW + n);
    }
    return h[s + SLOT_VALUE]!;
  }

  /**
   * Add a write of v to location x (cell i): its view is `view` plus its strong view, which is
   * every strong view this CPU holds, pending or not (so a store that depends on a read passes
   * on what that read brought: stronger than LKMM where there is no dependency, which the
   * reorderings make up for). An rmw's write (`also`: the slot it read, or -1) carries that
   * message's views too and goes right after it, at the end. Any other write joins coherence
   * at the end or, by a seeded choice, between two held writes newer than anything this CPU
   * has seen, read or heard of (cur and acq), unless the later one is an rmw's: a write placed
   * in coherence before writes performed earlier (2+2W), as a store buffer draining late does.
   */
  private append(b: number, i: number, x: number, v: number, view: Int32Array, also: number): void {
    const h = this.cfg.h;
    const g = this.g;
    const n = view.length;
    const outV = this.outV;
    const outS = this.outS;
    for (let y = 0; y < n; y++) {
      outS[y] = Math.max(this.sCur[y]!, this.sAcq[y]!);
      outV[y] = Math.max(view[y]!, outS[y]!);
    }
    if (also >= 0) {
      this.joinSlot(outV, also + SLOT_VIEW);
      this.joinSlot(outS, also + SLOT_VIEW + n);
    }
    const cc = b + countCell(g, x);
    const held = h[cc]!;
    const last = h[b + slotCell(g, x, held - 1) + SLOT_TS]!;
    // where: after slot `at` (held - 1: at the end)
    let at = held - 1;
    if (also < 0) {
      const floor = Math.max(this.cur[x]!, this.acq[x]!);
      let gaps = 0;
      for (let j = 0; j < held - 1; j++) if (this.insertable(b, x, j, floor)) gaps++;
      const r = gaps > 0 ? this.random() : 0;
      if ((r & 1) === 1) {
        let k = (r >>> 1) % gaps;
        for (let j = 0; j < held - 1; j++) {
          if (!this.insertable(b, x, j, floor)) continue;
          if (k-- === 0) {
            at = j;
            break;
          }
        }
      }
    }
    const before = h[b + slotCell(g, x, at) + SLOT_TS]!;
    const t =
      at === held - 1
        ? last + (last < TS_LIMIT ? TS_GAP : 1)
        : (before + h[b + slotCell(g, x, at + 1) + SLOT_TS]!) >>> 1;
    // make room after `at`: shift the newer ones up, or, when full, the older ones down
    let to: number;
    if (held < HISTORY_DEPTH) {
      for (let j = held - 1; j > at; j--) copySlot(h, g, b, x, j, j + 1);
      h[cc] = held + 1;
      to = at + 1;
    } else {
      for (let j = 0; j < at; j++) copySlot(h, g, b, x, j + 1, j);
      to = at;
    }
    const s = b + slotCell(g, x, to);
    outV[x] = t;
    h[s + SLOT_TS] = t;
    h[s + SLOT_RMW] = also >= 0 ? 1 : 0;
    h[s + SLOT_VALUE] = v;
    for (let y = 0; y < n; y++) {
      h[s + SLOT_VIEW + y] = outV[y]!;
      h[s + SLOT_VIEW + n + y] = outS[y]!;
    }
    this.cur[x] = t;
    this.own[x] = t;
    if (at === held - 1) this.cfg.m[i] = v;
  }

  /** May a write go between held writes j and j + 1 of x (both newer than floor, room, no rmw)? */
  private insertable(b: number, x: number, j: number, floor: number): boolean {
    const h = this.cfg.h;
    const lo = b + slotCell(this.g, x, j);
    const hi = b + slotCell(this.g, x, j + 1);
    return (
      h[lo + SLOT_TS]! >= floor &&
      h[hi + SLOT_RMW] === 0 &&
      h[hi + SLOT_TS]! - h[lo + SLOT_TS]! >= 2
    );
  }

  private join(into: Int32Array, from: Int32Array): void {
    for (let y = 0; y < into.length; y++) if (from[y]! > into[y]!) into[y] = from[y]!;
  }

  /** Join the view stored in the histories at cell `at` into `into`. */
  private joinSlot(into: Int32Array, at: number): void {
    const h = this.cfg.h;
    for (let y = 0; y < into.length; y++) if (h[at + y]! > into[y]!) into[y] = h[at + y]!;
  }

  /** A write in [lo, hi]: the latest half the time, else any of them (stale ones are the point). */
  private choose(lo: number, hi: number): number {
    if (lo >= hi) return hi;
    const r = this.random();
    return (r & 1) === 0 ? hi : lo + ((r >>> 1) % (hi - lo + 1));
  }
}
