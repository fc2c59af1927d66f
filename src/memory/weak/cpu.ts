// One CPU of the emulated weak machine: the meaning of every primitive — accesses, rmws,
// fences, locks, what a grace period orders, 64-bit pairs — in terms of its views of an
// instance's histories (views.ts, history.ts). The design, with its sources, is docs/weak.md.
//
// A read returns, by a seeded choice biased to stale ones, any of the location's recent writes
// not older than cur; a store appends a message carrying its views. Fences with nothing after
// them order nothing, so a fence is applied at the CPU's next access of the instance (as if
// the CPU were slower), which is also where the CPU learns which instance it is in (or the
// runner says so: enterInstance). Grace periods pass views through the instance (rcu*, srcu*).
// This module does not run threads or wait for grace periods (memory.ts, ../rcu.ts).

import { HISTORY } from './history.ts';
import { CpuMessages } from './messages.ts';
import { PENDING } from './views.ts';

const {
  HISTORY_DEPTH,
  SLOT_TS,
  SLOT_VALUE,
  SLOT_VIEW,
  countCell,
  heldOf,
  srcuViews,
  gpViewCell,
  startedCell,
  startedIn,
  readViewCell,
  slotCell,
  srcuGpCell,
  srcuReadCell,
  versionCell,
} = HISTORY;
const { RMB: PENDING_RMB, WMB: PENDING_WMB, MB: PENDING_MB } = PENDING;

/** The ordering of an rmw: fully ordered, none, acquire or release. */
export type RmwOrder = 'mb' | 'relaxed' | 'acquire' | 'release';
/** What an rmw computes: xchg(a), cmpxchg(a → b), add(a), add_unless(a unless b). */
export type RmwKind = 'xchg' | 'cmpxchg' | 'add' | 'add_unless';

export class WeakCpu extends CpuMessages {
  // ---- accesses -----------------------------------------------------------------------

  /** A load; acquire: later accesses see what the message's writer had seen. */
  read(i: number, acquire: boolean): number {
    if (this.threads) {
      const v = this.readFast(i, acquire);
      if (!Number.isNaN(v)) return v;
    }
    const b = this.enter(i, true);
    const v = this.readAt(b, this.x, acquire);
    this.leave();
    return v;
  }

  /**
   * What readFast last copied of each location's history (exact views only: a few locations),
   * and x's version and this CPU's epoch when it did: while x's version is the same, nobody
   * has held x since, so the copy is x's history now — a thread that reads a location again
   * and again reads it from its own memory (one look at the version each time).
   */
  private readonly seenVersion = new Int32Array(this.exact ? this.slots : 0).fill(-1);
  private readonly seenEpoch = new Int32Array(this.exact ? this.slots : 0);
  private readonly seenCount = new Int32Array(this.exact ? this.slots : 0);
  private readonly seen = new Int32Array(this.exact ? this.slots * HISTORY_DEPTH * this.g.slot : 0);

  /**
   * A read on real threads without a lock, when it changes nothing shared (no smp_mb() is
   * pending, the batch is not drained): a consistent copy of x's held writes taken between two
   * equal even versions of x (a seqlock; a writer holds x's version odd while it changes x's
   * history), kept while x's version stays the same (seen). A history not started yet is its
   * initial value, with empty views: the location's cell. NaN when it cannot (the caller takes
   * the locks). Writers then hold the locks alone, and a reader's line stays its own.
   */
  private readFast(i: number, acquire: boolean): number {
    const b = this.instanceOf(i);
    if (!this.fresh(b) && (this.pending & PENDING_MB) !== 0) return Number.NaN;
    const x = this.locOf[this.word]!;
    if (x < 0 || this.drainedAt >= 0) return Number.NaN;
    if (this.pending !== 0) {
      this.applyLocalFences();
      this.pending = 0;
    }
    if (!this.exact) return this.readShared(i, b, x, acquire);
    const h = this.h;
    const ver = b + versionCell(this.g, x);
    const count = b + countCell(this.g, x);
    const startedAt = b + startedCell(this.g, x);
    const started = startedIn(this.gen);
    const width = HISTORY_DEPTH * this.g.slot;
    for (;;) {
      const v1 = Atomics.load(h, ver);
      if ((v1 & 1) !== 0) continue;
      if (this.seenVersion[x] === v1 && this.seenEpoch[x] === this.epoch) break;
      if (h[startedAt] !== started) {
        const value = this.m[i - this.word + this.firstWord[x]!]!;
        if (Atomics.load(h, ver) !== v1) continue;
        return value;
      }
      // a torn count (a writer came in between) is caught by the version check below
      const n = Math.min(Math.max(heldOf(h[count]!), 1), HISTORY_DEPTH);
      const from = count + 1;
      const to = x * width;
      for (let c = n * this.g.slot - 1; c >= 0; c--) this.seen[to + c] = h[from + c]!;
      if (Atomics.load(h, ver) !== v1) continue;
      this.seenVersion[x] = v1;
      this.seenEpoch[x] = this.epoch;
      this.seenCount[x] = n;
      break;
    }
    return this.takeSeen(x, acquire);
  }

  /** readFast with shared view slots (a scenario's many words): a message read in place. */
  private readShared(i: number, b: number, x: number, acquire: boolean): number {
    const h = this.h;
    const n0 = this.slots;
    const ver = b + versionCell(this.g, x);
    const count = b + countCell(this.g, x);
    const startedAt = b + startedCell(this.g, x);
    const started = startedIn(this.gen);
    for (;;) {
      const v1 = Atomics.load(h, ver);
      if ((v1 & 1) !== 0) continue;
      if (h[startedAt] !== started) {
        const value = this.m[i - this.word + this.firstWord[x]!]!;
        if (Atomics.load(h, ver) !== v1) continue;
        return value;
      }
      // a torn count (a writer came in between) is caught by the version check below
      const n = Math.min(Math.max(heldOf(h[count]!), 1), HISTORY_DEPTH);
      const s = b + slotCell(this.g, x, this.choose(this.oldest(b, x, n), n - 1));
      const stamp = h[s + this.g.time]!;
      const value = h[s + SLOT_VALUE]!;
      const scratch = this.outV;
      const strong = this.outS;
      for (let y = 0; y < n0; y++) {
        scratch[y] = h[s + SLOT_VIEW + y]!;
        strong[y] = h[s + SLOT_VIEW + n0 + y]!;
      }
      if (Atomics.load(h, ver) !== v1) continue;
      const k = this.slotOf(x);
      if (this.cur[k]! < stamp) this.cur[k] = stamp;
      this.join(acquire ? this.cur : this.acq, scratch);
      this.join(acquire ? this.sCur : this.sAcq, strong);
      return value;
    }
  }

  /** readFast's read from its copy of x's held writes: as messages.ts readAt (exact views). */
  private takeSeen(x: number, acquire: boolean): number {
    const seen = this.seen;
    const slot = this.g.slot;
    const n = this.seenCount[x]!;
    const first = x * HISTORY_DEPTH * slot;
    const floor = this.cur[x]!;
    let lo = 0;
    while (lo < n - 1 && seen[first + lo * slot + SLOT_TS]! < floor) lo++;
    return this.takeAt(seen, first + this.choose(lo, n - 1) * slot, x, acquire);
  }

  /** A store; release: it carries everything this CPU has seen, else what `rel` says. */
  write(i: number, v: number, release: boolean): void {
    const b = this.enter(i, true);
    if (release) this.join(this.cur, this.acq);
    this.append(b, i, this.x, v, release ? this.cur : this.rel, -1);
    this.leave();
    this.dawdle();
  }

  /**
   * Now and then, a seeded pause after a store: the other CPUs of the instance get to run
   * between this store and this CPU's next access (what a slow store buffer or an interrupt
   * does), which the relaxations that need a whole thread in between (LB, S) depend on. Real
   * threads only: in process, the scheduler decides who runs.
   */
  private dawdle(): void {
    if (!this.threads) return;
    const r = this.random();
    if ((r & 15) !== 0) return;
    for (let n = (r >>> 4) & 511; n > 0; n--) this.sink ^= n;
  }

  /**
   * An rmw: reads a write of the location (rmwSource) and appends its result right after it
   * in the same atomic step (rmw atomicity). Its message also carries the views of the message
   * it replaced, so a chain of rmws passes a release on (LKMM's rmw-sequence). Fully ordered:
   * smp_mb() before and after, unless it fails (a failed cmpxchg or add_unless is a plain read
   * in LKMM: a failed cmpxchg_acquire() acquires nothing either, herd7 says MP with one
   * reading the release is Sometimes). Returns the old value; for add_unless, 1 if it added.
   */
  rmw(i: number, kind: RmwKind, order: RmwOrder, a0: number, b0: number): number {
    // (the operands as the int32 the cell holds, as Atomics.compareExchange converts them)
    const a = a0 | 0;
    const b2 = b0 | 0;
    // a fully ordered one joins the instance's global view (smp_mb()): the instance's lock
    const b = this.enter(i, order !== 'mb');
    const x = this.x;
    const t = this.rmwSource(b, x, kind, order, a, b2);
    const old = this.h[b + slotCell(this.g, x, t) + SLOT_VALUE]!;
    let next: number | undefined;
    if (kind === 'xchg') next = a;
    else if (kind === 'cmpxchg') next = old === a ? b2 : undefined;
    else if (kind === 'add') next = (old + a) | 0;
    else next = old === b2 ? undefined : (old + a) | 0;
    const full = order === 'mb' && next !== undefined;
    if (full) this.fullFence(b);
    this.take(b, x, t, full || (order === 'acquire' && next !== undefined));
    if (next !== undefined) {
      const releasing = full || order === 'release';
      if (releasing) this.join(this.cur, this.acq);
      this.append(b, i, x, next, releasing ? this.cur : this.rel, t);
    }
    if (full) this.fullFence(b);
    this.leave();
    return kind === 'add_unless' ? Number(next !== undefined) : old;
  }

  /**
   * Which held write of x an rmw reads. The latest, as a rule. A cmpxchg or add_unless that
   * fails is a read (LKMM: no rmw, no order) and may read a stale write. A relaxed, acquire or
   * release rmw may read a stale write when its own write can go right after it in coherence
   * (nothing this CPU has seen is newer, the next write is not an rmw's: insertable): its
   * atomicity only asks that no write comes between the two (Promising's rmw). A fully ordered
   * one reads the latest.
   */
  private rmwSource(
    b: number,
    x: number,
    kind: RmwKind,
    order: RmwOrder,
    a: number,
    b2: number,
  ): number {
    const h = this.h;
    const n = heldOf(h[b + countCell(this.g, x)]!);
    const last = n - 1;
    if (kind === 'xchg' || kind === 'add') {
      if (order === 'mb' || last === 0 || (this.random() & 1) === 0) return last;
    }
    const j = this.choose(this.oldest(b, x, n), last);
    if (j === last) return last;
    const v = h[b + slotCell(this.g, x, j) + SLOT_VALUE]!;
    const fails = kind === 'cmpxchg' ? v !== a : kind === 'add_unless' ? v === b2 : false;
    if (fails) return j;
    return order !== 'mb' && this.insertable(b, x, j, this.writeFloor(b, x, n)) ? j : last;
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
    const b = this.enter(i, true);
    const x = this.x;
    const t = heldOf(this.h[b + countCell(this.g, x)]!) - 1;
    const s = b + slotCell(this.g, x, t);
    const free = this.h[s + SLOT_VALUE] === 0;
    if (free) {
      this.take(b, x, t, true);
      this.join(this.cur, this.acq);
      // po-unlock-lock-po orders what precedes an unlock (this CPU's last, of any lock, or
      // the one this lock reads from) before what follows the lock, for every CPU: stores
      // after the lock carry both views.
      this.joinAt(this.rel, s + SLOT_VIEW);
      this.join(this.rel, this.unlocked);
      this.append(b, i, x, 1, this.cur, t);
    } else {
      this.take(b, x, t, false);
    }
    this.leave();
    return free;
  }

  lock(i: number): void {
    for (let spins = 1; !this.trylock(i); spins++) this.cfg.relax(spins, 'lock');
  }

  /** Release the lock: a release store of 0. */
  unlock(i: number): void {
    this.write(i, 0, true);
    this.join(this.unlocked, this.cur);
  }

  // ---- grace periods: what they order, through the instance's views ---------------------
  // The waiting is real (../rcu.ts, in memory.ts); these are LKMM's two guarantees. A section
  // that began after a grace period began sees what the updater had then: rcu_read_lock()
  // joins the instance's GP view (every grace period's start publishes to it). A section that
  // ended before a grace period ended is seen by what follows it: rcu_read_unlock() publishes
  // to the READ view, which the grace period's end joins, then an smp_mb() passes it on.

  /** The runner: this CPU is about to run the instance whose cell i is one of. */
  enterInstance(i: number): void {
    const b = this.instanceOf(i);
    this.lockInstance(b);
    this.switchTo(b);
    this.leave();
  }

  /** rcu_read_lock(), after the CPU's reader word is visible: the GP view joins cur and sCur. */
  rcuEnter(): void {
    this.atBase((b) => this.joinStrong(b + gpViewCell(this.g)));
  }

  /** rcu_read_unlock(), before the reader word goes back to 0: cur joins the READ view. */
  rcuExit(): void {
    this.atBase((b) => this.publish(b + readViewCell(this.g)));
  }

  /** A grace period's start, before it looks at readers: smp_mb(), then cur joins the GP view. */
  gpStart(): void {
    this.atBase((b) => {
      this.fullFence(b);
      this.publish(b + gpViewCell(this.g));
    });
  }

  /** A grace period's end, once every reader it waited for left: the READ view, then smp_mb(). */
  gpEnd(): void {
    this.atBase((b) => {
      this.joinAt(this.cur, b + readViewCell(this.g));
      this.fullFence(b);
    });
  }

  /** srcu_read_lock(ssp): the read of the srcu_struct's word, and its grace periods' view. */
  srcuEnter(i: number): number {
    const b = this.enter(i);
    const v = this.readAt(b, this.x, false);
    srcuViews(this.h, this.g, b, this.x);
    this.joinStrong(b + srcuGpCell(this.g, this.x));
    this.leave();
    return v;
  }

  /** srcu_read_unlock(ssp, idx): the write of the index, then cur joins the srcu_struct's READ view. */
  srcuExit(i: number, v: number): void {
    const b = this.enter(i);
    this.append(b, i, this.x, v, this.rel, -1);
    srcuViews(this.h, this.g, b, this.x);
    this.publish(b + srcuReadCell(this.g, this.x));
    this.leave();
  }

  /** A grace period of the srcu_struct at i starts (as gpStart). */
  srcuGpStart(i: number): void {
    const b = this.enter(i);
    this.fullFence(b);
    srcuViews(this.h, this.g, b, this.x);
    this.publish(b + srcuGpCell(this.g, this.x));
    this.leave();
  }

  /** A grace period of the srcu_struct at i ended (as gpEnd). */
  srcuGpEnd(i: number): void {
    const b = this.enter(i);
    srcuViews(this.h, this.g, b, this.x);
    this.joinAt(this.cur, b + srcuReadCell(this.g, this.x));
    this.fullFence(b);
    this.leave();
  }

  // ---- 64-bit values: two locations, low half first (cell i and i + 1) --------------------

  /**
   * A single-copy-atomic 64-bit access (READ_ONCE/WRITE_ONCE of a u64, atomic64_*): both
   * halves in one step — the latest write of each, and a new write of each appended at the
   * end; `op` computes the new value from the old (undefined: a read). Fully ordered rmws get
   * smp_mb() around them.
   */
  pair(i: number, op: (old: bigint) => bigint | undefined, full: boolean): bigint {
    const b = this.enter(i);
    const lo = this.x;
    const hi = this.located(b, i + 1, this.word + 1);
    const h = this.h;
    const nLo = heldOf(h[b + countCell(this.g, lo)]!);
    const nHi = heldOf(h[b + countCell(this.g, hi)]!);
    const old =
      (BigInt(h[b + slotCell(this.g, hi, nHi - 1) + SLOT_VALUE]!) << 32n) |
      BigInt(h[b + slotCell(this.g, lo, nLo - 1) + SLOT_VALUE]! >>> 0);
    const next = op(old);
    if (full && next !== undefined) this.fullFence(b);
    this.take(b, lo, nLo - 1, full);
    this.take(b, hi, nHi - 1, full);
    if (next !== undefined) {
      const view = full ? this.cur : this.rel;
      this.append(b, i, lo, Number(BigInt.asIntN(32, next)), view, -1, true);
      this.append(b, i + 1, hi, Number(BigInt.asIntN(32, next >> 32n)), view, -1, true);
      if (full) this.fullFence(b);
    }
    this.leave();
    return old;
  }
}
