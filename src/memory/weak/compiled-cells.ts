// The text of an access to a location whose history is kept in the runner's own cells
// (compiled.ts inCells): a test in which every location is appended to by one writer at most
// (compiled.ts appendOnly) and nothing reads a message's views (compiled.ts viewsRead) — SB,
// MP, LB, WRC, IRIW and their kin without fences. There a history is its values alone:
//
//   cell + 0   the latest write's value (the runner writes the initial value there at every
//              reset and reads the final value there, as it does on hw)
//   cell + 1   COUNT: how many writes after the initial one are held (0 to HISTORY_DEPTH - 1;
//              the runner's reset writes 0)
//   cell + 1 + j   the value of held write j, for j ≥ 1 (held write 0 is the test's constant)
//
// A held write's timestamp is not kept: an appended-to history never drops a write, and each
// write goes right after the latest with the timestamp gap (messages.ts TS_GAP), so held write
// j's timestamp is j × TS_GAP. A CPU's view of the location (cur) is kept as that j, and no
// other view is ever applied (nothing reads views). So a location takes one line per instance,
// the runner's, as on hw, where the side histories (history.ts) take three or four, and neither
// the instance's header (its generation) nor a generation tag is read: the runner's reset
// writes COUNT beside the cell it writes anyway.
//
// Publication is compiled-append.ts's: the writer writes the value, then COUNT (an Atomics.store,
// or on a TSO host a compiler barrier and a plain store); the reader reads COUNT once, then a
// value below it, at an address computed from it. The meaning is cpu.ts's read and write, draw
// for draw (test/memory/weak/append-only.test.ts). This module emits text only.

import { publish } from './compiled-append.ts';
import { type HistoryText, int } from './compiled-views.ts';
import { HISTORY_DEPTH } from './history.ts';

/** Cells a location's history takes in the runner's cells: its cell, COUNT, HISTORY_DEPTH - 1 values. */
export const CELLS_HISTORY = 1 + HISTORY_DEPTH;

/** The variable of location loc's view (cur) in cells form: the index of the latest held write this CPU has seen. */
export const floorOf = (loc: number) => `wc${loc}`;

/**
 * A load (cpu.ts read): COUNT read once, then messages.ts oldest and choose over the held
 * writes, branch-free (compiled-append.ts appendLoad says why): the oldest not older than cur
 * is held write cur itself; a draw when more than one may be read (committed only then); the
 * latest half the time, else any of them.
 */
export function cellsLoad(t: HistoryText, loc: number, dst: string): string[] {
  const cell = t.layout.offsets[loc]!;
  const init = int(t.test.inits[loc]!);
  const cur = floorOf(loc);
  return [
    `const wn = ${countLoad(t, `wcc + ${cell + 1}`)};`,
    `const wneed = (${cur} - wn) >>> 31;`,
    'const wdraw = wrandIf(wneed);',
    `const wj = wn + ((${cur} + ((wdraw >>> 1) % (wn + 1 - ${cur})) - wn) & -(wneed & wdraw & 1));`,
    `const wv = mem[wcc + ${cell + 1} + wj];`,
    `${cur} = wj;`,
    // held write 0's value is the test's constant (cell + 1 is COUNT)
    `${dst} = wv ^ ((wv ^ ${init}) & ((wj - 1) >> 31));`,
  ];
}

/**
 * A store (cpu.ts write) of wval, after the latest: its value in the next cell, the cell itself
 * (the latest write, as the calls keep it), then COUNT published; cur is the new write.
 */
export function cellsStore(t: HistoryText, loc: number): string[] {
  const cell = t.layout.offsets[loc]!;
  return [
    `const wheld = mem[wcc + ${cell + 1}];`,
    `mem[wcc + ${cell + 2} + wheld] = wval;`,
    `mem[wcc + ${cell}] = wval;`,
    ...publish(t, 'mem', `wcc + ${cell + 1}`, 'wheld + 1'),
    `${floorOf(loc)} = wheld + 1;`,
  ];
}

/**
 * COUNT, read by a CPU that did not write it: on a TSO host a plain load (loads are not
 * reordered with loads, and the value's load has its address from it: neither the engine nor
 * the CPU performs it first), else an Atomics.load.
 */
function countLoad(t: HistoryText, cell: string): string {
  return t.threads && t.test.tso ? `mem[${cell}]` : `Atomics.load(mem, ${cell})`;
}
