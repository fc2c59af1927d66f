// The text of the weak CPU's accesses compiled into one litmus thread (compiled.ts decides which
// threads and gives the constants): a function per location and kind of access, made once
// each when the body first uses it, and the declarations they share — the CPU's views as
// variables of the thread's closure, the instance's base and generation, the pending fences.
// Each function is cpu.ts's primitive step for step (its names in the comments); the numbers
// are the history's cells (history.ts) for this test's geometry. This module emits text only.

import type { InlineAccesses } from '../../litmus/compile.ts';
import type { AccessAnnot, FenceAnnot } from '../../litmus/ir.ts';
import { nextStatements } from '../fast-random.ts';
import { LINE_CELLS } from '../layout.ts';
import { HISTORY, type HistoryGeometry } from './history.ts';
import { TS_GAP, TS_LIMIT } from './messages.ts';
import { PENDING } from './views.ts';

const { HISTORY_DEPTH, GEN_CELL, GLOBAL_CELL, LOCK_CELL } = HISTORY;
const { countCell, slotCell, startedCell, versionCell } = HISTORY;
const { RMB, WMB, MB } = PENDING;

/** Where the compiled code finds its cells: the litmus Layout's fields it needs. */
export interface CompiledLayout {
  dataBase: number;
  instanceStride: number;
  varStride: number;
  offsets: readonly number[];
}

/** Fences this code performs itself (views.ts's pending bits); smp_mb()'s kin are smp_mb() on the weak CPU (memory.ts). */
export const FENCE_BITS: Partial<Record<FenceAnnot, number>> = {
  rmb: RMB,
  wmb: WMB,
  mb: MB,
  'before-atomic': MB,
  'after-atomic': MB,
  'after-spinlock': MB,
  'after-unlock-lock': MB,
  barrier: 0,
};

/**
 * FastRandom's next() in place (fast-random.ts): `wrand()` on the CPU's state, as a signed
 * int32 (the same bits: callers take r & 1, r >>> 1, r & 15, r >>> 4, and the engine need not
 * box it); `wpick(n)` on the order picker's, as pick_order's `next() % n`.
 */
function emitRandom(): string[] {
  return [
    'function wrand() {',
    ...nextStatements('wrs', '  '),
    '  return x;',
    '}',
    'function wpick(n) {',
    ...nextStatements('wos', '  '),
    '  return (x >>> 0) % n;',
    '}',
  ];
}

const range = (n: number) => Array.from({ length: n }, (_, y) => y);

/** The text of the compiled accesses: the functions used, made once each, after the body. */
export class AccessText implements InlineAccesses {
  private readonly made = new Map<string, string[]>();
  private readonly n: number;
  /** The locations this thread stores to. */
  private readonly stored = new Set<number>();

  constructor(
    private readonly g: HistoryGeometry,
    private readonly layout: CompiledLayout,
    /** Per test location, its location in the histories. */
    private readonly history: readonly number[],
    /** Real threads: locks, the seqlock read, the pause after a store. */
    private readonly threads: boolean,
    /** The locations no other thread writes (soleWriter). */
    private readonly own: ReadonlySet<number>,
  ) {
    this.n = g.views;
  }

  begin(k: string, c: string): string {
    return `wbegin(${k}, ${c});`;
  }

  load(loc: number, annot: AccessAnnot): string {
    const name = `wld${loc}${annot === 'acquire' ? 'a' : ''}`;
    if (!this.made.has(name)) this.made.set(name, this.emitLoad(name, loc, annot === 'acquire'));
    return `${name}()`;
  }

  store(loc: number, annot: AccessAnnot, value: string): string {
    this.stored.add(loc);
    const name = `wst${loc}${annot === 'release' ? 'r' : ''}`;
    if (!this.made.has(name)) this.made.set(name, this.emitStore(name, loc, annot === 'release'));
    return `${name}(${value});`;
  }

  pickOrder(n: number): string {
    return `wpick(${n})`;
  }

  fence(annot: FenceAnnot): string {
    const bits = FENCE_BITS[annot];
    if (bits === undefined) throw new Error(`internal: no compiled weak fence ${annot}`);
    // a fence is applied at the CPU's next access (cpu.ts): it marks what is pending
    return bits === 0 ? '' : `wp |= ${bits};`;
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
    if (!this.threads) return '';
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
    const views = ['wc', 'wa', 'wr', 'wo', 'wsc', 'wsa'];
    const vars = views.flatMap((v) => range(this.n).map((y) => `${v}${y} = 0`));
    return [
      `const wm = ${state}.memory, wos = ${state}.orders;`,
      'const wh = wm.h, wrs = wm.rnd.state, wplace = wm.place, wroom = wm.room, wcountAfter = wm.countAfter;',
      // var, not let: the functions below share them, and a var needs no hole check
      '// the instance: its histories, its first cell, its generation mark; pending fences',
      'var wb = 0, wcc = 0, wst = 0, wp = 0, wsink = 0;',
      "// this CPU's views (cpu.ts): cur, acq, rel, own, sCur, sAcq, one variable per slot",
      `var ${vars.join(', ')};`,
      ...this.emitBegin(views),
      ...emitRandom(),
      ...this.emitFences(),
      ...[...this.made.values()].flat(),
    ];
  }

  /** A new instance: its history base and generation, empty views, nothing pending (views.ts fresh). */
  private emitBegin(views: string[]): string[] {
    const zero = views.flatMap((v) => range(this.n).map((y) => `${v}${y} = 0;`));
    return [
      'function wbegin(k, c) {',
      `  wb = k * ${this.g.stride};`,
      '  wcc = c;',
      `  wst = (wh[wb + ${GEN_CELL}] + 1) | 0;`,
      '  wp = 0;',
      `  ${zero.join(' ')}`,
      '}',
    ];
  }

  /** max-joins `into ⊔= from`, view by view. */
  private join(into: string, from: string | ((y: number) => string)): string[] {
    const src = typeof from === 'string' ? (y: number) => `${from}${y}` : from;
    return range(this.n).map((y) => `if (${into}${y} < ${src(y)}) ${into}${y} = ${src(y)};`);
  }

  /**
   * The pending fences applied (views.ts switchTo): smp_mb() as fullFence (cur ⊔= acq ⊔ global;
   * global = sCur = rel = cur), else smp_rmb()'s acq and smp_wmb()'s own.
   */
  private emitFences(): string[] {
    const global = (y: number) => `wh[wb + ${GLOBAL_CELL + y}]`;
    return [
      'function wfences() {',
      `  if ((wp & ${MB}) !== 0) {`,
      ...this.join('wc', 'wa').map((l) => `    ${l}`),
      ...this.join('wsc', 'wsa').map((l) => `    ${l}`),
      ...range(this.n).flatMap((y) => [
        `    if (wc${y} < ${global(y)}) wc${y} = ${global(y)};`,
        `    ${global(y)} = wc${y}; wr${y} = wc${y}; wsc${y} = wc${y};`,
      ]),
      '  } else {',
      `    if ((wp & ${RMB}) !== 0) {`,
      ...this.join('wc', 'wa').map((l) => `      ${l}`),
      ...this.join('wsc', 'wsa').map((l) => `      ${l}`),
      '    }',
      ...[
        `    if ((wp & ${WMB}) !== 0) {`,
        ...this.join('wr', 'wo').map((l) => `      ${l}`),
        '    }',
      ],
      '  }',
      '  wp = 0;',
      '}',
      ...(this.threads
        ? [
            // views.ts lockInstance: a few dozen steps while another CPU is inside one access
            'function wlockI() {',
            `  while (Atomics.compareExchange(wh, wb + ${LOCK_CELL}, 0, 1) !== 0);`,
            '}',
            // views.ts lockLocation: the location's version from even to odd (a plain read is
            // the first guess, the exchange checks it; a held one is watched with Atomics.load)
            'function wlockL(c) {',
            '  let v = wh[c];',
            '  for (;;) {',
            '    if ((v & 1) !== 0) v = Atomics.load(wh, c);',
            '    else {',
            '      const w = Atomics.compareExchange(wh, c, v, v + 1);',
            '      if (w === v) return;',
            '      v = w;',
            '    }',
            '  }',
            '}',
          ]
        : []),
    ];
  }

  /** Cells of location `loc`'s history, from the instance's base. */
  private cells(loc: number) {
    const x = this.history[loc]!;
    return {
      x,
      ver: versionCell(this.g, x),
      started: startedCell(this.g, x),
      count: countCell(this.g, x),
      s0: slotCell(this.g, x, 0),
      slot: this.g.slot,
      cell: this.layout.offsets[loc]!,
    };
  }

  /** history.ts initialWrite: the history restarts from the location's cell (under its lock). */
  private started(loc: number, indent: string): string[] {
    const { started, count, s0, slot, cell } = this.cells(loc);
    return [
      `${indent}if (wh[wb + ${started}] !== wst) {`,
      `${indent}  wh[wb + ${started}] = wst;`,
      `${indent}  wh[wb + ${count}] = 1;`,
      `${indent}  for (let s = wb + ${s0}; s < wb + ${s0 + slot}; s++) wh[s] = 0;`,
      `${indent}  wh[wb + ${s0 + 1}] = mem[wcc + ${cell}];`,
      `${indent}}`,
    ];
  }

  /** messages.ts oldest and choose: the held write (of wn) a read takes, into wj. */
  private choose(loc: number, indent: string): string[] {
    const { x, s0, slot } = this.cells(loc);
    return [
      `${indent}let wlo = 0;`,
      `${indent}while (wlo < wn - 1 && wh[wb + ${s0} + wlo * ${slot}] < wc${x}) wlo++;`,
      `${indent}let wj = wn - 1;`,
      `${indent}if (wlo < wj) {`,
      `${indent}  const r = wrand();`,
      `${indent}  if ((r & 1) !== 0) wj = wlo + ((r >>> 1) % (wn - wlo));`,
      `${indent}}`,
    ];
  }

  /** messages.ts takeAt on the message at ws, its cells read into locals first (wt, wv, wq<y>, wz<y>). */
  private readMessage(indent: string): string[] {
    const n = this.n;
    return [
      `${indent}const wt = wh[ws], wv = wh[ws + 1];`,
      ...range(n).map(
        (y) => `${indent}const wq${y} = wh[ws + ${2 + y}], wz${y} = wh[ws + ${2 + n + y}];`,
      ),
    ];
  }

  private take(x: number, acquire: boolean, indent: string): string[] {
    return [
      `${indent}if (wc${x} < wt) wc${x} = wt;`,
      ...this.join(acquire ? 'wc' : 'wa', 'wq').map((l) => indent + l),
      ...this.join(acquire ? 'wsc' : 'wsa', 'wz').map((l) => indent + l),
    ];
  }

  /**
   * A load (cpu.ts read): on threads a seqlock read of one message (readFast), under the
   * locks when an smp_mb() is pending; in process, under none (nobody else runs meanwhile).
   */
  private emitLoad(name: string, loc: number, acquire: boolean): string[] {
    const { x, ver, count, s0, slot } = this.cells(loc);
    const locked = [
      ...(this.threads ? ['  wlockI();', `  wlockL(wb + ${ver});`] : []),
      ...this.started(loc, '  '),
      '  if (wp !== 0) wfences();',
      `  const wn = wh[wb + ${count}] & 7;`,
      ...this.choose(loc, '  '),
      `  const ws = wb + ${s0} + wj * ${slot};`,
      ...this.readMessage('  '),
      ...this.take(x, acquire, '  '),
      ...(this.threads
        ? [`  Atomics.add(wh, wb + ${ver}, 1);`, `  Atomics.store(wh, wb + ${LOCK_CELL}, 0);`]
        : []),
      '  return wv;',
    ];
    if (!this.threads) return [`function ${name}() {`, ...locked, '}'];
    const { started, cell } = this.cells(loc);
    return [
      `function ${name}() {`,
      '  if (wp !== 0) {',
      `    if ((wp & ${MB}) !== 0) return ${name}mb();`,
      '    wfences();',
      '  }',
      '  for (;;) {',
      `    const v1 = Atomics.load(wh, wb + ${ver});`,
      // a writer holds it: wait a little before looking again (each look takes the line
      // from the writer, which then fetches it back for its next store)
      '    if ((v1 & 1) !== 0) {',
      '      for (let d = 16; d > 0; d--) wsink ^= d;',
      '      continue;',
      '    }',
      `    if (wh[wb + ${started}] !== wst) {`,
      '      // not written in this instance yet: its initial value, with empty views',
      `      const v = mem[wcc + ${cell}];`,
      `      if (Atomics.load(wh, wb + ${ver}) !== v1) continue;`,
      '      return v;',
      '    }',
      '    // a torn count (a writer came in between) is caught by the version check below',
      `    let wn = wh[wb + ${count}] & 7;`,
      `    if (wn < 1) wn = 1; else if (wn > ${HISTORY_DEPTH}) wn = ${HISTORY_DEPTH};`,
      ...this.choose(loc, '    '),
      `    const ws = wb + ${s0} + wj * ${slot};`,
      ...this.readMessage('    '),
      `    if (Atomics.load(wh, wb + ${ver}) !== v1) continue;`,
      ...this.take(x, acquire, '    '),
      '    return wv;',
      '  }',
      '}',
      `function ${name}mb() {`,
      ...locked,
      '}',
    ];
  }

  /**
   * A store (cpu.ts write, messages.ts append): a message carrying rel (release: cur ⊔ acq)
   * and the strong views, at the end of coherence or (seeded) between two held writes.
   */
  private emitStore(name: string, loc: number, release: boolean): string[] {
    const { x, ver, count, s0, slot, cell } = this.cells(loc);
    const n = this.n;
    const view = release ? 'wc' : 'wr';
    const t = this.threads;
    return [
      `function ${name}(v) {`,
      ...(t
        ? ['  const wfull = (wp & 4) !== 0;', '  if (wfull) wlockI();', `  wlockL(wb + ${ver});`]
        : []),
      ...this.started(loc, '  '),
      '  if (wp !== 0) wfences();',
      ...(release ? this.join('wc', 'wa').map((l) => `  ${l}`) : []),
      ...range(n).flatMap((y) => [
        `  const wz${y} = wsc${y} > wsa${y} ? wsc${y} : wsa${y};`,
        `  let wq${y} = ${view}${y} > wz${y} ? ${view}${y} : wz${y};`,
      ]),
      `  const count = wh[wb + ${count}], held = count & 7;`,
      `  const last = wh[wb + ${s0} + (held - 1) * ${slot}];`,
      `  const at = held < 2 ? held - 1 : wplace(wh, wb, ${x}, held, wc${x} > wa${x} ? wc${x} : wa${x});`,
      '  let wt, to;',
      '  if (at === held - 1) {',
      `    wt = last + (last < ${TS_LIMIT} ? ${TS_GAP} : 1);`,
      `    to = held < ${HISTORY_DEPTH} ? held : wroom(wh, wb, ${x}, held, at);`,
      '  } else {',
      `    wt = (wh[wb + ${s0} + at * ${slot}] + wh[wb + ${s0} + (at + 1) * ${slot}]) >>> 1;`,
      `    to = wroom(wh, wb, ${x}, held, at);`,
      '  }',
      `  if (wq${x} < wt) wq${x} = wt;`,
      `  const ws = wb + ${s0} + to * ${slot};`,
      '  wh[ws] = wt;',
      '  wh[ws + 1] = v;',
      ...range(n).map((y) => `  wh[ws + ${2 + y}] = wq${y}; wh[ws + ${2 + n + y}] = wz${y};`),
      // one more held, no rmw's: countAfter's value when the write goes after the latest
      `  wh[wb + ${count}] = held < ${HISTORY_DEPTH} && at === held - 1 ? count + 1 : wcountAfter(count, at, 0);`,
      `  if (wc${x} < wt) wc${x} = wt;`,
      `  if (wo${x} < wt) wo${x} = wt;`,
      // in process the runner reads final values from the cells; on threads (memory.ts final)
      // from the histories, and the cell's line stays the runner's
      ...(t ? [] : [`  if (at === held - 1) mem[wcc + ${cell}] = v;`]),
      ...(t
        ? [
            `  Atomics.add(wh, wb + ${ver}, 1);`,
            `  if (wfull) Atomics.store(wh, wb + ${LOCK_CELL}, 0);`,
            // cpu.ts dawdle: now and then a pause, so that the others run in between
            '  const r = wrand();',
            '  if ((r & 15) === 0) for (let d = (r >>> 4) & 511; d > 0; d--) wsink ^= d;',
          ]
        : []),
      '}',
    ];
  }
}
