// Grace periods on real threads: the shared state of RCU and SRCU and the waits, after
// userspace RCU's "memb" flavour (Desnoyers, McKenney, Stern, Dagenais, Walpole, "User-Level
// Implementations of Read-Copy Update", IEEE TPDS 2012). Every memory kind runs the same
// mechanism; the weak CPU adds the views a grace period passes on (weak/memory.ts).
//
// RCU: each CPU has a reader word (RCU_READERS, a line each), 0 outside a read-side critical
// section, else 1 + the grace-period counter (RCU_GP_CELL, always even) as the CPU read it on
// entering. A grace period adds 2 to the counter; its cookie is the new value; it has ended
// once no reader word holds an older snapshot. SRCU: an srcu_struct's second cell counts the
// readers inside; a grace period of it has ended once that count has been seen at 0.
//
// Why that waits for every critical section that began before the grace period: a reader
// stores its word, then a full fence, then runs its section; the updater runs its fence, bumps
// the counter, then loads the reader words. All of these are Atomics operations, sequentially
// consistent, with the fences the host's smp_mb() (MemoryConfig: the same JS as smp_mb()):
//   - a reader whose store comes before the updater's load of its word is seen, and waited for
//     when it read the counter before the bump (its snapshot is older than the cookie); if it
//     read it after the bump, its section began after the grace period did;
//   - a reader whose store comes after that load began its section after the grace period
//     began, and its fence orders everything the updater did before the bump before its section.
// The same holds for the SRCU count (the increment is the store). A grace period may wait for
// sections that began after it (a reader that loaded the counter just before the bump), which
// is allowed; it never misses one that began before.
//
// This module keeps a CPU's nesting depth; it neither knows views (weak) nor schedules.

import { LINE_CELLS, RCU_GP_CELL, RCU_MAX_CPUS, RCU_READERS } from './layout.ts';

/** One CPU's grace-period machinery over a buffer's control lines (RCU) and srcu_struct cells. */
export interface GracePeriods {
  readLock(): void;
  readUnlock(): void;
  /** Depth of rcu_read_lock() nesting on this CPU. */
  nesting(): number;
  /** Start a grace period: its cookie. */
  start(): number;
  /** Has the grace period `cookie` ended? */
  poll(cookie: number): boolean;
  /** srcu_struct at i: one more reader (i + 1 is the count). */
  srcuLock(i: number): void;
  srcuUnlock(i: number): void;
  srcuStart(i: number): number;
  srcuPoll(i: number, cookie: number): boolean;
  /** Leave any read-side critical section (the CPU gives up its instance). */
  abandon(): void;
}

/** The grace-period machinery of CPU `cpu` over memory m; `mb` is the host's smp_mb(). */
export function gracePeriods(
  m: Int32Array,
  cpu: number,
  cpus: number,
  mb: () => void,
): GracePeriods {
  const word = RCU_READERS + cpu * LINE_CELLS;
  let nesting = 0;
  const tooMany = () =>
    new Error(
      `RCU on ${cpus} CPUs: the control lines hold reader words for ${RCU_MAX_CPUS} (RCU_MAX_CPUS)`,
    );
  return {
    readLock: () => {
      if (nesting++ > 0) return;
      if (cpu >= RCU_MAX_CPUS) throw tooMany();
      // the snapshot, then the fence: the section's accesses come after the word is visible
      Atomics.store(m, word, Atomics.load(m, RCU_GP_CELL) + 1);
      mb();
    },
    readUnlock: () => {
      if (nesting === 0) return;
      if (--nesting > 0) return;
      // the fence, then the word: the section's accesses come before the word reads 0
      mb();
      Atomics.store(m, word, 0);
    },
    nesting: () => nesting,
    start: () => {
      mb();
      return Atomics.add(m, RCU_GP_CELL, 2) + 2;
    },
    poll: (cookie) => {
      for (let c = 0; c < Math.min(cpus, RCU_MAX_CPUS); c++) {
        const w = Atomics.load(m, RCU_READERS + c * LINE_CELLS);
        // a reader inside, with a snapshot older than the cookie (wrap-around safe)
        if (w !== 0 && ((w - 1 - cookie) | 0) < 0) return false;
      }
      mb();
      return true;
    },
    srcuLock: (i) => {
      Atomics.add(m, i + 1, 1);
      mb();
    },
    srcuUnlock: (i) => {
      mb();
      Atomics.sub(m, i + 1, 1);
    },
    srcuStart: () => {
      mb();
      return 0;
    },
    srcuPoll: (i) => {
      if (Atomics.load(m, i + 1) !== 0) return false;
      mb();
      return true;
    },
    abandon: () => {
      if (nesting === 0) return;
      nesting = 0;
      Atomics.store(m, word, 0);
    },
  };
}
