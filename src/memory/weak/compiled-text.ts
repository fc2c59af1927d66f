// The text of the weak CPU's accesses compiled into one litmus thread (compiled.ts decides which
// threads and gives the constants): a function per location and kind of access, made once
// each when the body first uses it, and the declarations they share — the CPU's views as
// variables of the thread's closure, the instance's base and generation, the pending fences.
// Each function is cpu.ts's primitive step for step (its names in the comments); the numbers
// are the history's cells (history.ts) for this test's geometry. This module emits text only.

import type { InlineAccesses } from '../../litmus/compile.ts';
import type { AccessAnnot, FenceAnnot } from '../../litmus/ir.ts';
import { LINE_CELLS } from '../layout.ts';
import { appendLoad, appendStore } from './compiled-append.ts';
import { cellsLoad, cellsStore, floorOf } from './compiled-cells.ts';
import {
  type CompiledLayout,
  DAWDLE,
  emitLocks,
  emitRandom,
  FENCE_BITS,
  HistoryText,
  indent,
  range,
  type TestConstants,
  VIEWS,
} from './compiled-views.ts';
import { HISTORY, type HistoryGeometry } from './history.ts';
import { TS_GAP, TS_LIMIT } from './messages.ts';
import { PENDING } from './views.ts';

export { type CompiledLayout, FENCE_BITS } from './compiled-views.ts';

const { HISTORY_DEPTH, GEN_CELL, LOCK_CELL } = HISTORY;
const { slotCell } = HISTORY;
const { MB } = PENDING;

/**
 * The text of the compiled accesses. Each access is a block of statements; `inlined`, the
 * blocks go into the thread's body, where the views are variables of the instance's loop (the
 * engine keeps them in registers and folds what it can), else each is made once into a
 * function of the closure (a thread of many accesses: its size stays linear in them) and the
 * views are the closure's variables.
 */
export class AccessText extends HistoryText implements InlineAccesses {
  private readonly made = new Map<string, string[]>();
  /** The locations this thread stores to. */
  private readonly stored = new Set<number>();
  /** Labels of the inlined loads, numbered. */
  private labels = 0;

  constructor(
    g: HistoryGeometry,
    layout: CompiledLayout,
    history: readonly number[],
    threads: boolean,
    /** The locations no other thread writes (soleWriter). */
    private readonly own: ReadonlySet<number>,
    /** The accesses go into the body (a small thread), not into functions. */
    private readonly inlined: boolean,
    test: TestConstants,
  ) {
    super(g, layout, history, threads, test);
  }

  /**
   * A new instance: its history base and generation, empty views, nothing pending (views.ts
   * fresh); with the histories in the runner's cells, its first cell and empty views.
   */
  begin(k: string, c: string): string {
    if (!this.inlined) return `wbegin(${k}, ${c});`;
    if (this.test.inCells) return `let wcc = ${c}, ${this.floors().join(', ')};`;
    const zero = VIEWS.flatMap((v) => range(this.n).map((y) => `${v}${y} = 0`));
    return `let wb = ${k} * ${this.g.stride}, wcc = ${c}, wst = (wh[wb + ${GEN_CELL}] + 1) | 0, wp = 0, ${zero.join(', ')};`;
  }

  load(loc: number, annot: AccessAnnot, dst: string): string[] {
    const acquire = annot === 'acquire';
    if (this.inlined) {
      const label = `wl${this.labels++}`;
      return [`${label}: {`, ...indent(this.loadBlock(loc, acquire, dst, label)), '}'];
    }
    const name = `wld${loc}${acquire ? 'a' : ''}`;
    if (!this.made.has(name))
      this.made.set(name, [
        `function ${name}() {`,
        '  let wout = 0;',
        '  wl: {',
        ...indent(this.loadBlock(loc, acquire, 'wout', 'wl'), '    '),
        '  }',
        '  return wout;',
        '}',
      ]);
    return [`${dst} = ${name}();`];
  }

  store(loc: number, annot: AccessAnnot, value: string): string[] {
    this.stored.add(loc);
    const release = annot === 'release';
    if (this.inlined)
      return ['{', `  const wval = ${value};`, ...indent(this.storeBlock(loc, release)), '}'];
    const name = `wst${loc}${release ? 'r' : ''}`;
    if (!this.made.has(name))
      this.made.set(name, [
        `function ${name}(wval) {`,
        ...indent(this.storeBlock(loc, release)),
        '}',
      ]);
    return [`${name}(${value});`];
  }

  pickOrder(n: number): string {
    return `wpick(${n})`;
  }

  fence(annot: FenceAnnot): string[] {
    const bits = FENCE_BITS[annot];
    if (bits === undefined) throw new Error(`internal: no compiled weak fence ${annot}`);
    // a fence is applied at the CPU's next access (cpu.ts): it marks what is pending
    return bits === 0 ? [] : [`wp |= ${bits};`];
  }

  /**
   * On real threads, after instance k: the lines this CPU will need two instances on, fetched
   * now, while nothing waits for them — the instance's header (its generation) read, and the
   * first line of each location it stores to and no other thread writes, written (a write
   * fetches the line for writing: the lock's exchange on it later does not wait for another
   * core's copy to be given up). The cell written there is the TS of held write 2, which no
   * one reads before this CPU itself has appended that write: until then the history holds at
   * most one (not started, or started by a reader with the initial value), and only this CPU
   * appends to it.
   */
  end(k: string, n: string): string {
    if (!this.threads || this.test.inCells) return '';
    const next = `(${k} + 2) * ${this.g.stride}`;
    const touched = [...this.stored]
      .filter((loc) => this.own.has(loc))
      .map((loc) => this.cells(loc))
      .filter((c) => slotCell(this.g, c.x, 2) < c.started + LINE_CELLS);
    return [
      `if (${k} + 2 < ${n}) {`,
      `wsink ^= wh[${next} + ${GEN_CELL}];`,
      ...touched.map((c) => `wh[${next} + ${slotCell(this.g, c.x, 2)}] = 0;`),
      '}',
    ].join(' ');
  }

  prelude(state: string): string[] {
    if (this.test.inCells) return this.cellsPrelude(state);
    const vars = VIEWS.flatMap((v) => range(this.n).map((y) => `${v}${y} = 0`));
    return [
      `const wm = ${state}.memory, wos = ${state}.orders;`,
      'const wh = wm.h, wrs = wm.rnd.state, wplace = wm.place, wroom = wm.room, wcountAfter = wm.countAfter;',
      // where a pause's loop leaves its result, so that the engine keeps the loop
      'var wsink = 0;',
      ...(this.inlined
        ? []
        : [
            // var, not let: the functions below share them, and a var needs no hole check
            '// the instance: its histories, its first cell, its generation mark; pending fences',
            'var wb = 0, wcc = 0, wst = 0, wp = 0;',
            "// this CPU's views (cpu.ts): cur, acq, rel, own, sCur, sAcq, one variable per slot",
            `var ${vars.join(', ')};`,
            'function wbegin(k, c) {',
            `  wb = k * ${this.g.stride};`,
            '  wcc = c;',
            `  wst = (wh[wb + ${GEN_CELL}] + 1) | 0;`,
            '  wp = 0;',
            `  ${vars.join('; ')};`,
            '}',
          ]),
      ...emitRandom(),
      ...(this.threads ? emitLocks() : []),
      ...[...this.made.values()].flat(),
    ];
  }

  /** The view of each location in the cells form (compiled-cells.ts), empty. */
  private floors(): string[] {
    return range(this.n).map((y) => `${floorOf(y)} = 0`);
  }

  /**
   * prelude's declarations with the histories in the runner's cells (compiled-cells.ts): no
   * history, lock or pending fence; and the memory object told, so that its reset and final
   * value are the cells'.
   */
  private cellsPrelude(state: string): string[] {
    return [
      `const wm = ${state}.memory, wos = ${state}.orders;`,
      'const wrs = wm.rnd.state;',
      'wm.inCells();',
      'var wsink = 0;',
      ...(this.inlined
        ? []
        : [
            'var wcc = 0;',
            `var ${this.floors().join(', ')};`,
            'function wbegin(k, c) {',
            '  wcc = c;',
            `  ${this.floors().join('; ')};`,
            '}',
          ]),
      ...emitRandom(),
      ...[...this.made.values()].flat(),
    ];
  }

  /**
   * A load (cpu.ts read) into `dst`, in a block labelled `label`: on threads a seqlock read of
   * one message (readFast), under the locks when an smp_mb() is pending; in process, under
   * none (nobody else runs meanwhile).
   */
  private loadBlock(loc: number, acquire: boolean, dst: string, label: string): string[] {
    if (this.test.inCells) return cellsLoad(this, loc, dst);
    if (this.test.appendOnly.has(loc)) return appendLoad(this, loc, acquire, dst);
    const { ver, count, started, cell } = this.cells(loc);
    const locked = [
      ...(this.threads ? [`wlockI(wb + ${LOCK_CELL});`, `wlockL(wb + ${ver});`] : []),
      ...this.started(loc),
      ...this.fences(),
      `const wn = wh[wb + ${count}] & 7;`,
      ...this.take(loc, acquire, [], dst),
      ...(this.threads
        ? [`Atomics.add(wh, wb + ${ver}, 1);`, `Atomics.store(wh, wb + ${LOCK_CELL}, 0);`]
        : []),
    ];
    if (!this.threads) return locked;
    return [
      `if ((wp & ${MB}) !== 0) {`,
      ...indent(locked),
      `  break ${label};`,
      '}',
      ...this.fences(),
      'for (;;) {',
      `  const wv1 = Atomics.load(wh, wb + ${ver});`,
      // a writer holds it: wait a little before looking again (each look takes the line
      // from the writer, which then fetches it back for its next store)
      '  if ((wv1 & 1) !== 0) {',
      '    for (let wd = 16; wd > 0; wd--) wsink ^= wd;',
      '    continue;',
      '  }',
      `  if (wh[wb + ${started}] !== wst) {`,
      '    // not written in this instance yet: its initial value, with empty views',
      `    const wi = ${this.initial(loc, cell)};`,
      `    if (Atomics.load(wh, wb + ${ver}) !== wv1) continue;`,
      `    ${dst} = wi;`,
      `    break ${label};`,
      '  }',
      '  // a torn count (a writer came in between) is caught by the version check below',
      `  let wn = wh[wb + ${count}] & 7;`,
      `  if (wn < 1) wn = 1; else if (wn > ${HISTORY_DEPTH}) wn = ${HISTORY_DEPTH};`,
      ...indent(
        this.take(loc, acquire, [`if (Atomics.load(wh, wb + ${ver}) !== wv1) continue;`], dst),
      ),
      `  break ${label};`,
      '}',
    ];
  }

  /**
   * A store of wval (cpu.ts write, messages.ts append): a message carrying rel (release:
   * cur ⊔ acq) and the strong views, at the end of coherence or (seeded) between two held writes.
   */
  private storeBlock(loc: number, release: boolean): string[] {
    if (this.test.inCells) return [...cellsStore(this, loc), ...(this.threads ? DAWDLE : [])];
    if (this.test.appendOnly.has(loc)) return appendStore(this, loc, release);
    const { x, ver, count, s0, slot, cell } = this.cells(loc);
    const n = this.n;
    const view = release ? 'wc' : 'wr';
    const t = this.threads;
    return [
      ...(t
        ? [
            `const wfull = (wp & ${MB}) !== 0;`,
            `if (wfull) wlockI(wb + ${LOCK_CELL});`,
            `wlockL(wb + ${ver});`,
          ]
        : []),
      ...this.started(loc),
      ...this.fences(),
      ...(release ? this.join('wc', 'wa') : []),
      ...range(n).flatMap((y) => [
        `const wz${y} = wsc${y} > wsa${y} ? wsc${y} : wsa${y};`,
        `let wq${y} = ${view}${y} > wz${y} ? ${view}${y} : wz${y};`,
      ]),
      `const wcount = wh[wb + ${count}], wheld = wcount & 7;`,
      `const wlast = wh[wb + ${s0} + (wheld - 1) * ${slot}];`,
      `const wat = wheld < 2 ? wheld - 1 : wplace(wh, wb, ${x}, wheld, wc${x} > wa${x} ? wc${x} : wa${x});`,
      'let wt, wto;',
      'if (wat === wheld - 1) {',
      `  wt = wlast + (wlast < ${TS_LIMIT} ? ${TS_GAP} : 1);`,
      `  wto = wheld < ${HISTORY_DEPTH} ? wheld : wroom(wh, wb, ${x}, wheld, wat);`,
      '} else {',
      `  wt = (wh[wb + ${s0} + wat * ${slot}] + wh[wb + ${s0} + (wat + 1) * ${slot}]) >>> 1;`,
      `  wto = wroom(wh, wb, ${x}, wheld, wat);`,
      '}',
      `if (wq${x} < wt) wq${x} = wt;`,
      `const ws = wb + ${s0} + wto * ${slot};`,
      'wh[ws] = wt;',
      'wh[ws + 1] = wval;',
      ...range(n).map((y) => `wh[ws + ${2 + y}] = wq${y}; wh[ws + ${2 + n + y}] = wz${y};`),
      // one more held, no rmw's: countAfter's value when the write goes after the latest
      `wh[wb + ${count}] = wheld < ${HISTORY_DEPTH} && wat === wheld - 1 ? wcount + 1 : wcountAfter(wcount, wat, 0);`,
      `if (wc${x} < wt) wc${x} = wt;`,
      `if (wo${x} < wt) wo${x} = wt;`,
      // in process the runner reads final values from the cells; on threads (memory.ts final)
      // from the histories, and the cell's line stays the runner's
      ...(t ? [] : [`if (wat === wheld - 1) mem[wcc + ${cell}] = wval;`]),
      ...(t
        ? [
            `Atomics.add(wh, wb + ${ver}, 1);`,
            `if (wfull) Atomics.store(wh, wb + ${LOCK_CELL}, 0);`,
            ...DAWDLE,
          ]
        : []),
    ];
  }
}
