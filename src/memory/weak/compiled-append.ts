// The text of an access to a location one writer appends to (compiled.ts appendOnly), on real
// threads: the writer writes a message's cells after the latest held write, then publishes the
// location's COUNT word, tagged with the instance's generation, with an Atomics.store; a
// reader reads the COUNT word once with an Atomics.load, then only held writes below it, which
// nobody changes in the generation any more. No location lock, no seqlock retry: one atomic
// operation an access, where the locked protocol (compiled-text.ts) takes two or three — and on
// an x86-64 host the store is a plain one after a compiler barrier (TSO keeps stores in order,
// as hw's x86 mapping assumes): the writer goes on while its line comes, as hw's store does. The
// meaning is cpu.ts's read and write, draw for draw (test/memory/weak/append-only.test.ts).
// This module emits text only.

import { FENCE_CELL } from '../layout.ts';
import { DAWDLE, type HistoryText, int, range } from './compiled-views.ts';
import { HISTORY } from './history.ts';
import { TS_GAP, TS_LIMIT } from './messages.ts';

const { LOCK_CELL } = HISTORY;

/**
 * The tag of this instance's generation in an appended-to location's COUNT word (bits 8 up;
 * writes held in bits 0-2): a count of another generation is a history not started.
 */
const TAG = '(wst & 16777215)';

/**
 * A load of a location one writer appends to (compiled.ts appendOnly): its COUNT word is read
 * once (an Atomics.load: the writer publishes each write with an Atomics.store of it, after
 * the write's cells), then held writes below that count, which nobody changes in this
 * generation any more. No lock and no retry; the instance's lock only while an smp_mb() is
 * pending (its global view).
 *
 * Without a branch on what the load read: the COUNT word comes from the other CPU's line, and a
 * branch on it is mispredicted about as often as the writer wins the race. The CPU learns of the
 * misprediction only when the line arrives, and then it throws away the work it did meanwhile,
 * including the next instance's. hw's load has no such branch, and its misses overlap. So the
 * take here is arithmetic: a COUNT of another generation reads as the initial write alone (held
 * write 0, in every generation: see appendStore), the draw's state is committed only where
 * cpu.ts draws, and the views join by arithmetic max.
 * Same reads, same draws, same result as messages.ts (draw for draw:
 * test/memory/weak/append-only.test.ts).
 */
export function appendLoad(t: HistoryText, loc: number, acquire: boolean, dst: string): string[] {
  const { x, count, s0, slot } = t.cells(loc);
  const n = t.n;
  // the test's constant, in process too (where the cell holds the latest write: storeBlock)
  const init = int(t.test.inits[loc]!);
  const join = (into: string, from: string) =>
    range(n).map((y) => `${into}${y} = wmax(${into}${y}, ${from}${y});`);
  return [
    ...t.lockForMb(),
    ...t.fences(),
    `const wcnt = Atomics.load(wh, wb + ${count});`,
    // 0 in this generation; then -1 when the count is of another one
    `const wgd = (wcnt >>> 8) ^ ${TAG};`,
    'const wn = 1 + (((wcnt & 7) - 1) & ~((wgd | -wgd) >> 31));',
    // messages.ts oldest: slot 0's timestamp is 0, so for a CPU that has seen nothing of the
    // location this stops at once, before it looks at wn
    'let wlo = 0;',
    `while (wh[wb + ${s0} + wlo * ${slot}] < wc${x} && wlo < wn - 1) wlo++;`,
    // messages.ts choose: a draw when more than one write may be read (committed only then)
    'const wneed = (wlo - wn + 1) >>> 31;',
    'const wdraw = wrandIf(wneed);',
    `const wj = wn - 1 + ((wlo + ((wdraw >>> 1) % (wn - wlo)) - wn + 1) & -(wneed & wdraw & 1));`,
    `const ws = wb + ${s0} + wj * ${slot};`,
    'const wt = wh[ws], wv = wh[ws + 1];',
    `wc${x} = wmax(wc${x}, wt);`,
    ...(t.test.views
      ? [
          ...range(n).map(
            (y) => `const wq${y} = wh[ws + ${2 + y}], wz${y} = wh[ws + ${2 + n + y}];`,
          ),
          ...join(acquire ? 'wc' : 'wa', 'wq'),
          ...join(acquire ? 'wsc' : 'wsa', 'wz'),
        ]
      : []),
    // held write 0's value is the initial value (its cell holds 0: appendStore)
    init === '0' ? `${dst} = wv;` : `${dst} = wv ^ ((wv ^ ${init}) & ((wj - 1) >> 31));`,
    ...(t.threads ? [`if (wmb) Atomics.store(wh, wb + ${LOCK_CELL}, 0);`] : []),
  ];
}

/**
 * A store to a location this CPU alone appends to (compiled.ts appendOnly): the history
 * started if this generation has not, the message written after the latest, then the COUNT
 * word published with an Atomics.store (readers read nothing above it). The instance's lock
 * only while an smp_mb() is pending.
 *
 * Held write 0, the initial write, is never written here: its timestamp and views are 0, which
 * is what its cells hold in a new buffer and keep (nothing else writes this location's
 * history), and its value is the test's constant, which the load puts in (appendLoad). So a
 * history starts with its STARTED and COUNT words alone, and a location written once in an
 * instance costs its writer eight cells, not fifteen.
 */
export function appendStore(t: HistoryText, loc: number, release: boolean): string[] {
  const { x, count, started, s0, slot, cell } = t.cells(loc);
  const n = t.n;
  const view = release ? 'wc' : 'wr';
  return [
    ...t.lockForMb(),
    ...t.fences(),
    ...(release ? t.join('wc', 'wa') : []),
    ...range(n).flatMap((y) => [
      `const wz${y} = wsc${y} > wsa${y} ? wsc${y} : wsa${y};`,
      `let wq${y} = ${view}${y} > wz${y} ? ${view}${y} : wz${y};`,
    ]),
    `let wheld = wh[wb + ${count}];`,
    `if (wheld >>> 8 !== ${TAG}) {`,
    `  wh[wb + ${started}] = wst;`,
    '  wheld = 1;',
    '} else wheld &= 7;',
    `const wlast = wh[wb + ${s0} + (wheld - 1) * ${slot}];`,
    `const wt = wlast + (wlast < ${TS_LIMIT} ? ${TS_GAP} : 1);`,
    `if (wq${x} < wt) wq${x} = wt;`,
    `const ws = wb + ${s0} + wheld * ${slot};`,
    'wh[ws] = wt;',
    'wh[ws + 1] = wval;',
    // no view cells when nothing reads them (compiled.ts viewsRead)
    ...(t.test.views
      ? range(n).map((y) => `wh[ws + ${2 + y}] = wq${y}; wh[ws + ${2 + n + y}] = wz${y};`)
      : []),
    ...publish(t, 'wh', `wb + ${count}`, '(wst << 8) | (wheld + 1)'),
    `if (wc${x} < wt) wc${x} = wt;`,
    `if (wo${x} < wt) wo${x} = wt;`,
    // the latest write, where the in-process runner reads final values (storeBlock)
    ...(t.threads
      ? [`if (wmb) Atomics.store(wh, wb + ${LOCK_CELL}, 0);`, ...DAWDLE]
      : [`mem[wcc + ${cell}] = wval;`]),
  ];
}

/**
 * The COUNT word (`cell` of the Int32Array `array`) published after the message's cells: an
 * Atomics.store, or on a TSO host a compiler barrier (an Atomics.load of the runner's fence
 * cell: memory/x86.ts smp_store_release) and a plain store. A reader's load of the word then
 * sees the cells.
 */
export function publish(t: HistoryText, array: string, cell: string, value: string): string[] {
  if (!t.threads || !t.test.tso) return [`Atomics.store(${array}, ${cell}, ${value});`];
  return [`Atomics.load(mem, ${FENCE_CELL});`, `${array}[${cell}] = ${value};`];
}
