// The shared part of the weak CPU: per test instance, the recent writes of each location, and
// the views the instance's fences and grace periods keep.
//
// A location's history holds its last HISTORY_DEPTH writes (messages) in coherence order,
// oldest first: each a coherence timestamp (0 for the initial value, then increasing along
// coherence, with gaps that leave room for a write joining the order before later ones), the
// instance's clock when it was performed (its global time), whether an rmw wrote it, its
// value and two views: the view a CPU that acquires this message must not read older than,
// and the part of it that came from an smp_mb() (strong-fence knowledge, which every later
// write of the reader passes on: cpu.ts).
//
// A view has one entry per *view slot*, not per location: locations share the VIEW_SLOTS slots
// (location x is slot x mod slots), so that cells and time per access stay bounded however
// many words a scenario declares. With a slot per location (litmus tests: `exact`), an entry
// is a coherence timestamp of that location — the oldest write a CPU may still read. With
// shared slots, an entry is a global time: a CPU may not read, of any location of that slot,
// a write older in coherence than the newest one performed by then (cpu.ts floorOf). That is
// more order than the exact views (sound: fewer outcomes, never more), the price of scale.
//
// The instance also holds its clock, the global view smp_mb() joins with and publishes to, the
// views of RCU's grace periods (what the updaters had at their starts; what readers had at
// their sections' ends), the same two per location for an srcu_struct there, and the locks
// that make every access one atomic step (real threads take them with
// Atomics.compareExchange; in-process runs take none): per location its VERSION, and the
// instance's LOCK, taken before a location's where the instance's views or clock change.
//
// Cells, relative to an instance's base:
//   LOCK, GEN (bumped when the instance is reset, so a CPU knows its views are stale), CLOCK,
//   GLOBAL, GP_VIEW, READ_VIEW (a view each), up to a whole line;
//   then per location x, from a line (two when its cells fit in two: the pair of lines a core
//   fetches together, so that an access moves as few lines between cores as it can): STARTED
//   (the generation + 1 its history was started in: any other value, and the history is the
//   runner's cell alone, started on the next access — so a reset costs one cell per instance,
//   however many locations it has), VERSION (odd while a CPU holds x's history: its lock),
//   COUNT (writes held, and which an rmw wrote), HISTORY_DEPTH slots of g.slot cells, then
//   SRCU_GEN, SRCU_GP, SRCU_READ (views; the fewest first lines, the more on the first line).
// This module computes offsets and resets; cpu.ts gives the accesses their meaning.

import { LINE_CELLS } from '../layout.ts';

/** Writes of one location a read may still return (older ones are forgotten: reads get newer). */
export const HISTORY_DEPTH = 4;
/** Entries of a view at most: beyond this many locations, locations share view slots. */
export const VIEW_SLOTS = 64;

const LOCK = 0;
const GEN = 1;
const CLOCK = 2;
const HEADER = 3;

export interface HistoryGeometry {
  /** Locations of one instance. */
  locations: number;
  /** Entries of a view (min(locations, VIEW_SLOTS)); location x's is x % views. */
  views: number;
  /** One view slot per location: entries are coherence timestamps, not global times. */
  exact: boolean;
  /** Cells of one slot (a message): timestamp, value, view, strong view, global time. */
  slot: number;
  /** Offset of the global time inside a slot (shared view slots only: exact ones have none). */
  time: number;
  /** Cells from one location's first cell to the next's. */
  perLocation: number;
  /** Cells of the instance's header (its lock, generation, clock and views), whole lines. */
  header: number;
  /** Cells of one instance's histories. */
  stride: number;
}

/** Offsets inside a slot. */
export const SLOT_TS = 0;
export const SLOT_VALUE = 1;
export const SLOT_VIEW = 2;

/** Cells of a location before its first slot: STARTED, VERSION, COUNT. */
const LOCATION_HEAD = 3;

export function historyGeometry(locations: number): HistoryGeometry {
  const views = Math.max(1, Math.min(locations, VIEW_SLOTS));
  const exact = locations <= VIEW_SLOTS;
  const time = SLOT_VIEW + 2 * views;
  const slot = time + (exact ? 0 : 1);
  const cells = LOCATION_HEAD + HISTORY_DEPTH * slot + 1 + 2 * views;
  // A location's cells start a line (two when they fit in two: the pair a core fetches
  // together), so that an access moves as few lines between cores as it can.
  const align = cells <= 2 * LINE_CELLS ? 2 * LINE_CELLS : LINE_CELLS;
  const perLocation = Math.ceil(cells / align) * align;
  const header = Math.ceil((HEADER + 3 * views) / align) * align;
  return {
    locations,
    views,
    exact,
    slot,
    time,
    perLocation,
    header,
    // whole cache lines, so that two CPUs on neighbouring instances share none
    stride: Math.ceil((header + locations * perLocation) / align) * align,
  };
}
/** Offsets inside an instance: the lock word, the generation, the clock, the instance's views. */
export const LOCK_CELL = LOCK;
export const GEN_CELL = GEN;
export const CLOCK_CELL = CLOCK;
export const GLOBAL_CELL = HEADER;
export const gpViewCell = (g: HistoryGeometry) => HEADER + g.views;
export const readViewCell = (g: HistoryGeometry) => HEADER + 2 * g.views;

/**
 * Cell (from the instance's base) of how many of location x's writes the history holds (its
 * low bits: heldOf) and which of them an rmw wrote (rmwAt): one word, so that the messages of
 * a location written once in an instance stay on its first line with it.
 */
export function countCell(g: HistoryGeometry, x: number): number {
  return g.header + x * g.perLocation + 2;
}

/**
 * Cell (from the instance's base) of location x's version: odd while a CPU holds x's history
 * (its lock: views.ts lockLocation), so that a read can take a consistent message without a
 * lock (a seqlock: cpu.ts readFast).
 */
export const versionCell = (g: HistoryGeometry, x: number) => countCell(g, x) - 1;

/** Cell of the generation (+ 1) location x's history was started in (see the header). */
export const startedCell = (g: HistoryGeometry, x: number) => countCell(g, x) - 2;

/** What a location's STARTED cell holds once its history is started in generation gen. */
export const startedIn = (gen: number) => (gen + 1) | 0;

/** Cell (from the instance's base) of location x's j-th held write, oldest first. */
export function slotCell(g: HistoryGeometry, x: number, j: number): number {
  return countCell(g, x) + 1 + j * g.slot;
}

const RMW_SHIFT = 4;
/** Writes held, from the COUNT word. */
export const heldOf = (count: number) => count & 7;
/** Whether an rmw wrote the j-th held write: nothing may go between it and the write before. */
export const rmwAt = (count: number, j: number) => (count >>> (RMW_SHIFT + j)) & 1;

/**
 * The COUNT word once a write (an rmw's: rmw = 1) went right after held write `at`: one more
 * held, or, when all HISTORY_DEPTH were, the oldest dropped (append shifts the slots alike).
 */
export function countAfter(count: number, at: number, rmw: number): number {
  const held = heldOf(count);
  const flags = count >>> RMW_SHIFT;
  if (held < HISTORY_DEPTH) {
    const to = at + 1;
    const low = flags & ((1 << to) - 1);
    const high = (flags >>> to) << (to + 1);
    return (held + 1) | ((low | (rmw << to) | high) << RMW_SHIFT);
  }
  const below = (flags >>> 1) & ((1 << at) - 1);
  const above = flags & ~((1 << (at + 1)) - 1);
  return held | ((below | (rmw << at) | above) << RMW_SHIFT);
}

/**
 * The grace-period views of the srcu_struct at location x: at the starts, at the ends (after
 * the slots and a cell that says which generation they are of: only SRCU's primitives read
 * them, and clear them first in a new one, srcuViews).
 */
const srcuGenCell = (g: HistoryGeometry, x: number) => slotCell(g, x, HISTORY_DEPTH);
export const srcuGpCell = (g: HistoryGeometry, x: number) => srcuGenCell(g, x) + 1;
export const srcuReadCell = (g: HistoryGeometry, x: number) => srcuGpCell(g, x) + g.views;

/** Location x's srcu views, cleared if they are of an older generation (holding x). */
export function srcuViews(h: Int32Array, g: HistoryGeometry, base: number, x: number): void {
  const c = base + srcuGenCell(g, x);
  const now = startedIn(h[base + GEN_CELL]!);
  if (h[c] === now) return;
  h[c] = now;
  for (let k = c + 1; k <= c + 2 * g.views; k++) h[k] = 0;
}

/**
 * The runner resets location x of the instance at `base` (its cell now holds the initial
 * value): the history restarts from that cell on the next access. Resetting the instance's
 * first location starts a new generation — every location's history unstarted, a fresh clock
 * and empty instance views — so resetting the others touches nothing here. The new generation
 * is `gen` when the caller knows it (it must be above every earlier one of the instance),
 * else one more than the instance's.
 */
export function resetLocation(
  h: Int32Array,
  g: HistoryGeometry,
  base: number,
  x: number,
  gen?: number,
): void {
  if (x !== 0) return;
  h[base + GEN] = gen ?? (h[base + GEN]! + 1) | 0;
  h[base + LOCK] = 0;
  h[base + CLOCK] = 0;
  for (let c = base + HEADER + 3 * g.views - 1; c >= base + HEADER; c--) h[c] = 0;
}

/**
 * Location x's history as one write of v, its initial value (timestamp and global time 0,
 * empty views): how a CPU starts a history the runner reset, or one no
 * runner ever reset (a scenario's memory is initialised with plain writes before its CPUs
 * exist), under the instance's lock, on first touch.
 */
export function initialWrite(
  h: Int32Array,
  g: HistoryGeometry,
  base: number,
  x: number,
  v: number,
): void {
  const c = base + countCell(g, x);
  h[base + startedCell(g, x)] = startedIn(h[base + GEN_CELL]!);
  h[c] = 1;
  // a loop, not fill(): a few cells, where a builtin's call costs more than the work
  for (let k = c + 1; k < c + 1 + g.slot; k++) h[k] = 0;
  h[c + 1 + SLOT_VALUE] = v;
}

/**
 * The layout above as one object, for the hot paths of cpu.ts, messages.ts and views.ts to
 * destructure into module constants once: the sources run in workers under tsx's CommonJS
 * transform, where every use of an imported binding is a getter call — half the time of an
 * access, measured.
 */
export const HISTORY = {
  HISTORY_DEPTH,
  LOCK_CELL,
  GEN_CELL,
  CLOCK_CELL,
  GLOBAL_CELL,
  SLOT_TS,
  SLOT_VALUE,
  SLOT_VIEW,
  countCell,
  heldOf,
  rmwAt,
  countAfter,
  srcuViews,
  versionCell,
  startedCell,
  startedIn,
  slotCell,
  gpViewCell,
  readViewCell,
  srcuGpCell,
  srcuReadCell,
  initialWrite,
} as const;
