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
import { DAWDLE, type HistoryText, indent, range } from './compiled-views.ts';
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
 */
export function appendLoad(t: HistoryText, loc: number, acquire: boolean, dst: string): string[] {
  const { count, cell } = t.cells(loc);
  return [
    ...t.lockForMb(),
    ...t.fences(),
    `const wcnt = Atomics.load(wh, wb + ${count});`,
    `if (wcnt >>> 8 !== ${TAG}) ${dst} = ${t.initial(loc, cell)};`,
    'else {',
    '  const wn = wcnt & 7;',
    ...indent(t.take(loc, acquire, [], dst)),
    '}',
    ...(t.threads ? [`if (wmb) Atomics.store(wh, wb + ${LOCK_CELL}, 0);`] : []),
  ];
}

/**
 * A store to a location this CPU alone appends to (compiled.ts appendOnly): the history
 * started (the initial write) if this generation has not, the message written after the
 * latest, then the COUNT word published with an Atomics.store (readers read nothing above
 * it). The instance's lock only while an smp_mb() is pending.
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
    `  for (let ws = wb + ${s0}; ws < wb + ${s0 + slot}; ws++) wh[ws] = 0;`,
    `  wh[wb + ${s0 + 1}] = ${t.initial(loc, cell)};`,
    '  wheld = 1;',
    '} else wheld &= 7;',
    `const wlast = wh[wb + ${s0} + (wheld - 1) * ${slot}];`,
    `const wt = wlast + (wlast < ${TS_LIMIT} ? ${TS_GAP} : 1);`,
    `if (wq${x} < wt) wq${x} = wt;`,
    `const ws = wb + ${s0} + wheld * ${slot};`,
    'wh[ws] = wt;',
    'wh[ws + 1] = wval;',
    ...range(n).map((y) => `wh[ws + ${2 + y}] = wq${y}; wh[ws + ${2 + n + y}] = wz${y};`),
    ...publish(t, `wb + ${count}`, '(wst << 8) | (wheld + 1)'),
    `if (wc${x} < wt) wc${x} = wt;`,
    `if (wo${x} < wt) wo${x} = wt;`,
    // the latest write, where the in-process runner reads final values (storeBlock)
    ...(t.threads
      ? [`if (wmb) Atomics.store(wh, wb + ${LOCK_CELL}, 0);`, ...DAWDLE]
      : [`mem[wcc + ${cell}] = wval;`]),
  ];
}

/**
 * The COUNT word's new value published after the message's cells: an Atomics.store, or on a TSO
 * host a compiler barrier (an Atomics.load of the runner's fence cell: memory/x86.ts
 * smp_store_release) and a plain store. A reader's Atomics.load of the word then sees the cells.
 */
function publish(t: HistoryText, cell: string, value: string): string[] {
  if (!t.threads || !t.test.tso) return [`Atomics.store(wh, ${cell}, ${value});`];
  return [`Atomics.load(mem, ${FENCE_CELL});`, `wh[${cell}] = ${value};`];
}
