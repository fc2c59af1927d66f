// The state of one CPU of the emulated weak machine, and the machinery under its primitives
// (cpu.ts gives them their meaning, messages.ts reads and appends messages): locating a cell's
// instance and location, the instance's lock and generation, views and their joins. The
// design, with its sources, is docs/weak.md.
//
// A CPU holds, per view slot of the instance it is running (a location's, or shared by
// several: history.ts), stamps (views):
//   cur  — the oldest write it may still read (coherence: it never reads older than it has
//          seen or written);
//   acq  — what the messages it has read would make it see, once an ordering primitive says
//          so (its invalidate queue, in McKenney's terms: smp_rmb() and acquire apply it);
//   rel  — what its plain stores carry to a reader (smp_wmb(): its own earlier stores;
//          smp_mb() and lock acquisition: more);
//   own  — its own latest stores;
//   sCur, sAcq — the part of cur and acq that came from an smp_mb() (a strong fence orders
//          its past before everything that happens-after it, through any chain of rf and
//          preserved program order: every store passes it on, and reads apply it where an
//          ordering primitive or a dependency says so);
//   unlocked — the view at its last spin_unlock().
//
// Cells are indices of the runner's memory (the litmus layout, a scenario's): the instance and
// location are computed from them. The final value of each location is also written to its
// cell there, so the runner reads final states as it does on hw. This module neither runs
// threads nor knows a primitive.

import { FastRandom } from '../fast-random.ts';
import { HISTORY, type HistoryGeometry, historyGeometry } from './history.ts';

const { GEN_CELL, GLOBAL_CELL, LOCK_CELL, startedCell, startedIn, versionCell, initialWrite } =
  HISTORY;

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
  relax(spins: number, wait: 'lock'): void;
  /**
   * Real threads race on the instance: take its lock, pause now and then after a store (see
   * dawdle). False in process, where one scheduler steps every CPU.
   */
  dawdle: boolean;
}

/** Per word of an instance, its location (-1: padding); per location, its value cell's word. */
export function wordMap(c: CellGeometry): { locOf: Int32Array; firstWord: Int32Array } {
  const locOf = new Int32Array(c.instanceStride).fill(-1);
  const firstWord = new Int32Array(c.variables).fill(-1);
  for (let w = 0; w < c.instanceStride; w++) {
    const x = c.locationOf ? (c.locationOf[w] ?? -1) : Math.floor(w / c.varStride);
    if (x < 0 || x >= c.variables) continue;
    locOf[w] = x;
    if (firstWord[x] === -1) firstWord[x] = w;
  }
  return { locOf, firstWord };
}

/** Fences waiting for the CPU's next access (see cpu.ts's header): bits of `pending`. */
const PENDING_RMB = 1;
const PENDING_WMB = 2;
const PENDING_MB = 4;
/** The bits, for cpu.ts to destructure into module constants (as HISTORY). */
export const PENDING = { RMB: PENDING_RMB, WMB: PENDING_WMB, MB: PENDING_MB } as const;

export class CpuViews {
  readonly g: HistoryGeometry;
  protected readonly h: Int32Array;
  protected readonly m: Int32Array;
  /** View slots (min(locations, VIEW_SLOTS)) and whether each is one location's (history.ts). */
  protected readonly slots: number;
  protected readonly exact: boolean;
  protected readonly views: Int32Array;
  protected readonly cur: Int32Array;
  protected readonly acq: Int32Array;
  protected readonly rel: Int32Array;
  protected readonly own: Int32Array;
  protected readonly sCur: Int32Array;
  protected readonly sAcq: Int32Array;
  protected readonly unlocked: Int32Array;
  /** Scratch: the view and strong view of the message being appended. */
  protected readonly outV: Int32Array;
  protected readonly outS: Int32Array;
  protected readonly locOf: Int32Array;
  protected readonly firstWord: Int32Array;
  /** The CPU's seeded choices (compiled code draws from it too: compiled.ts). */
  readonly rnd: FastRandom;
  /** cfg.dawdle and the cells' geometry, one property load away on the hot paths. */
  protected readonly threads: boolean;
  private readonly stride: number;
  private readonly dataBase: number;
  /** The instance of the last located cell (most accesses stay in one). */
  protected lastInst = 0;
  /** History base of the instance this CPU's views are of, and that instance's generation. */
  protected base = -1;
  protected gen = 0;
  /** Bumped whenever the views start afresh (a new instance or generation). */
  protected epoch = 0;
  protected pending = 0;
  /** Location of the last located cell, and that cell's word in its instance. */
  protected x = 0;
  protected word = 0;
  /** Where dawdle's busy loop leaves its result, so that the engine keeps the loop. */
  sink = 0;
  /** The newest instance generation this CPU has seen, and that number when it last drained. */
  protected maxGen = 0;
  protected drainedAt = -1;
  /** The locks this CPU holds (real threads): the instance's base, the locations' version cells. */
  private instanceHeld = -1;
  private readonly heldVersions = new Int32Array(2);
  private held = 0;

  constructor(protected readonly cfg: WeakCpuConfig) {
    this.g = historyGeometry(cfg.cells.variables);
    this.threads = cfg.dawdle;
    this.stride = cfg.cells.instanceStride;
    this.dataBase = cfg.cells.dataBase;
    this.h = cfg.h;
    this.m = cfg.m;
    this.slots = this.g.views;
    this.exact = this.g.exact;
    const n = this.slots;
    // one buffer, so that a new instance clears the seven views in one fill
    this.views = new Int32Array(9 * n);
    const view = (k: number) => this.views.subarray(k * n, (k + 1) * n);
    this.cur = view(0);
    this.acq = view(1);
    this.rel = view(2);
    this.own = view(3);
    this.sCur = view(4);
    this.sAcq = view(5);
    this.unlocked = view(6);
    this.outV = view(7);
    this.outS = view(8);
    const { locOf, firstWord } = wordMap(cfg.cells);
    this.locOf = locOf;
    this.firstWord = firstWord;
    this.rnd = new FastRandom((cfg.seed * 1_000_003 + cfg.cpu * 7919) % 2 ** 48);
  }

  /** Which view slot holds location x's entry (history.ts). */
  protected slotOf(x: number): number {
    return this.exact ? x : x % this.slots;
  }

  /** A seeded u32: the CPU's choices (which write a read returns, which order runs). */
  random(): number {
    return this.rnd.next();
  }

  /** Run f on the instance this CPU is in (none yet: nothing to order). */
  protected atBase(f: (b: number) => void): void {
    const b = this.base;
    if (b < 0) return;
    this.lockInstance(b);
    this.switchTo(b);
    f(b);
    this.leave();
  }

  /** History base of the instance of cell i (this.word: i's word in it). */
  protected instanceOf(i: number): number {
    const stride = this.stride;
    const rel = i - this.dataBase;
    let inst = this.lastInst;
    let word = rel - inst * stride;
    if (word >= stride && word < 2 * stride) {
      // the next instance: where a batch goes after this one (no division)
      inst++;
      word -= stride;
      this.lastInst = inst;
    } else if (word < 0 || word >= stride) {
      inst = Math.floor(rel / stride);
      word = rel - inst * stride;
      this.lastInst = inst;
    }
    this.word = word;
    return inst * this.g.stride;
  }

  /**
   * Location of cell i (word `word`) in the instance at b, locked (its version odd: see
   * lockLocation), its history started if reset.
   */
  protected located(b: number, i: number, word: number): number {
    const x = this.locOf[word] ?? -1;
    if (x < 0) throw new Error(`internal: word ${word} of an instance is no location`);
    this.lockLocation(b, x);
    if (this.h[b + startedCell(this.g, x)] !== startedIn(this.h[b + GEN_CELL]!))
      // a history the runner reset (or nobody ever wrote) starts from the location's cell
      initialWrite(this.h, this.g, b, x, this.m[i - word + this.firstWord[x]!]!);
    return x;
  }

  /**
   * Locate cell i and lock it, start afresh on a new instance, apply fences. `local`: the
   * access touches nothing of the instance but the location's history (a read, a store, a
   * relaxed rmw, a lock operation), so with exact views and no smp_mb() pending (which joins
   * the instance's global view) the location's lock is enough; otherwise the instance's is
   * taken first (shared view slots stamp writes with the instance's clock).
   */
  protected enter(i: number, local = false): number {
    const b = this.instanceOf(i);
    if (!local || !this.exact || (this.pending & PENDING_MB) !== 0) this.lockInstance(b);
    this.x = this.located(b, i, this.word);
    this.switchTo(b);
    return b;
  }

  /**
   * Waits only while another CPU is inside one access of this instance (a few dozen steps);
   * stepped in one thread (in process), nobody else can be.
   */
  protected lockInstance(b: number): void {
    if (!this.threads) return;
    while (Atomics.compareExchange(this.h, b + LOCK_CELL, 0, 1) !== 0);
    this.instanceHeld = b;
  }

  /**
   * Lock location x's history: its version from even to odd (a reader without a lock retries
   * meanwhile: cpu.ts readFast; even again at leave). Under the instance's lock or alone; a CPU
   * that holds one location's lock alone never waits for another lock, so none waits for ever.
   */
  protected lockLocation(b: number, x: number): void {
    if (!this.threads) return;
    const h = this.h;
    const ver = b + versionCell(this.g, x);
    for (;;) {
      const v = Atomics.load(h, ver);
      if ((v & 1) === 0 && Atomics.compareExchange(h, ver, v, v + 1) === v) break;
    }
    this.heldVersions[this.held++] = ver;
  }

  /**
   * A new instance, or a new generation of this one: empty views, pending fences dropped
   * (false: the views are already of the instance at b, this generation).
   */
  protected fresh(b: number): boolean {
    const gen = this.h[b + GEN_CELL]!;
    if (gen > this.maxGen) this.maxGen = gen;
    if (this.drainedAt >= 0 && gen > this.drainedAt) this.drainedAt = -1;
    if (b === this.base && gen === this.gen) return false;
    this.base = b;
    this.gen = gen;
    this.epoch++;
    this.pending = 0;
    // a loop, not fill(): a litmus test's views are a few cells, where a builtin's call costs more
    const views = this.views;
    for (let c = 7 * this.slots - 1; c >= 0; c--) views[c] = 0;
    return true;
  }

  /** The views are of the instance at b, this generation; pending fences applied. */
  protected switchTo(b: number): void {
    if (this.fresh(b) || this.pending === 0) return;
    if (this.pending & PENDING_MB) this.fullFence(b);
    else this.applyLocalFences();
    this.pending = 0;
  }

  /** smp_rmb(), smp_wmb() pending: this CPU's views alone (the caller clears pending). */
  protected applyLocalFences(): void {
    if (this.pending & PENDING_RMB) this.applyAcq();
    if (this.pending & PENDING_WMB) this.join(this.rel, this.own);
  }

  /** Unlock what enter (or lockInstance) locked: the locations' versions even again, then the instance. */
  protected leave(): void {
    if (!this.threads) return;
    while (this.held > 0) Atomics.add(this.h, this.heldVersions[--this.held]!, 1);
    if (this.instanceHeld >= 0) {
      Atomics.store(this.h, this.instanceHeld + LOCK_CELL, 0);
      this.instanceHeld = -1;
    }
  }

  /** What smp_rmb() does: the pending views of earlier reads become this CPU's. */
  protected applyAcq(): void {
    this.join(this.cur, this.acq);
    this.join(this.sCur, this.sAcq);
  }

  /** smp_mb() in the instance at b: cur ⊔= acq ⊔ global; global = sCur = rel = cur. */
  protected fullFence(b: number): void {
    const h = this.h;
    const g = b + GLOBAL_CELL;
    this.applyAcq();
    for (let y = 0; y < this.slots; y++) {
      const v = Math.max(h[g + y]!, this.cur[y]!);
      this.cur[y] = v;
      h[g + y] = v;
      this.rel[y] = v;
      this.sCur[y] = v;
    }
  }

  protected join(into: Int32Array, from: Int32Array): void {
    for (let y = 0; y < into.length; y++) if (from[y]! > into[y]!) into[y] = from[y]!;
  }

  /** Join the view stored at cell `at` of `src` (the histories, unless a copy) into `into`. */
  protected joinAt(into: Int32Array, at: number, src: Int32Array = this.h): void {
    for (let y = 0; y < into.length; y++) if (src[at + y]! > into[y]!) into[y] = src[at + y]!;
  }

  /** A view stored at `at` joins cur and sCur (a grace period's: strong). */
  protected joinStrong(at: number): void {
    this.joinAt(this.cur, at);
    this.joinAt(this.sCur, at);
  }

  /** cur joins the view stored at `at`. */
  protected publish(at: number): void {
    const h = this.h;
    for (let y = 0; y < this.slots; y++) if (this.cur[y]! > h[at + y]!) h[at + y] = this.cur[y]!;
  }
}
