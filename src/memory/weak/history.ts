// The shared part of the weak CPU: per test instance, the recent writes of each location.
//
// A location's history holds its last HISTORY_DEPTH writes (messages) in coherence order,
// oldest first: each a timestamp (0 for the initial value, then increasing along coherence,
// with gaps that leave room for a write joining the order before later ones), an rmw flag, its
// value and two views (one timestamp per location of the instance): the view a CPU that
// acquires this message must not read older than, and the part of it that came from an
// smp_mb() (strong-fence knowledge, which every later write of the reader passes on: cpu.ts).
// The instance also holds the global view smp_mb() joins with and publishes to, and one lock
// word that makes every access to the instance's histories one atomic step (real threads take
// it with Atomics.compareExchange; in-process runs never find it held).
//
// Cells, relative to an instance's base:
//   LOCK, GEN (bumped when the instance is reset, so a CPU knows its views are stale),
//   GLOBAL + y for each location y,
//   then per location x: COUNT (writes held), then HISTORY_DEPTH slots of g.slot cells.
// This module computes offsets and resets an instance; cpu.ts gives the accesses their meaning.

/** Writes of one location a read may still return (older ones are forgotten: reads get newer). */
export const HISTORY_DEPTH = 4;

const LOCK = 0;
const GEN = 1;
const GLOBAL = 2;

export interface HistoryGeometry {
  /** Locations of one instance. */
  locations: number;
  /** Cells of one slot (a message): timestamp, rmw flag, value, view, strong view. */
  slot: number;
  /** Cells of one instance's histories. */
  stride: number;
}

/** Offsets inside a slot. */
export const SLOT_TS = 0;
/** Non-zero when an rmw wrote it: nothing may be inserted between it and the write before. */
export const SLOT_RMW = 1;
export const SLOT_VALUE = 2;
export const SLOT_VIEW = 3;

export function historyGeometry(locations: number): HistoryGeometry {
  const slot = SLOT_VIEW + 2 * locations;
  return { locations, slot, stride: GLOBAL + locations + locations * (1 + HISTORY_DEPTH * slot) };
}

/** Offsets inside an instance: the lock word, the generation, the global view. */
export const LOCK_CELL = LOCK;
export const GEN_CELL = GEN;
export const GLOBAL_CELL = GLOBAL;

/** Cell (from the instance's base) of how many of location x's writes the history holds. */
export function countCell(g: HistoryGeometry, x: number): number {
  return GLOBAL + g.locations + x * (1 + HISTORY_DEPTH * g.slot);
}

/** Cell (from the instance's base) of location x's j-th held write, oldest first. */
export function slotCell(g: HistoryGeometry, x: number, j: number): number {
  return countCell(g, x) + 1 + j * g.slot;
}

/**
 * Give location x of the instance at `base` its initial value: one write, timestamp 0, an
 * empty view. Bumps the generation and clears the global view (called once per location by
 * the runner before a batch, while no thread runs the instance).
 */
export function resetLocation(
  h: Int32Array,
  g: HistoryGeometry,
  base: number,
  x: number,
  v: number,
): void {
  h[base + GEN] = (h[base + GEN]! + 1) | 0;
  h[base + LOCK] = 0;
  for (let y = 0; y < g.locations; y++) h[base + GLOBAL + y] = 0;
  initialWrite(h, g, base, x, v);
}

/**
 * Location x's history as one write of v, its initial value (timestamp 0, empty views). Also
 * how a CPU starts a history nobody reset (a scenario's memory is initialised with plain
 * writes before its CPUs exist): under the instance's lock, on first touch.
 */
export function initialWrite(
  h: Int32Array,
  g: HistoryGeometry,
  base: number,
  x: number,
  v: number,
): void {
  h[base + countCell(g, x)] = 1;
  const s = base + slotCell(g, x, 0);
  h[s + SLOT_TS] = 0;
  h[s + SLOT_RMW] = 0;
  h[s + SLOT_VALUE] = v;
  for (let y = 0; y < 2 * g.locations; y++) h[s + SLOT_VIEW + y] = 0;
}
