// What the text of the weak CPU's compiled accesses (compiled-text.ts, compiled-append.ts) is
// made of: a location's cells in its history, the CPU's views as variables and their joins, the
// pending fences applied, the read of one held write, the locks, the seeded draws. Each piece
// is cpu.ts's (views.ts's, messages.ts's) step for step. This module emits text only.

import type { FenceAnnot } from '../../litmus/ir.ts';
import { nextStatements } from '../fast-random.ts';
import { HISTORY, type HistoryGeometry } from './history.ts';
import { PENDING } from './views.ts';

const { GLOBAL_CELL, LOCK_CELL } = HISTORY;
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

/** What the text is made for: the test's constants. */
export interface TestConstants {
  /** Per test location, its initial value (the runner's cell holds it at every reset). */
  inits: readonly number[];
  /** The locations one writer only appends to (compiled.ts appendOnly). */
  appendOnly: ReadonlySet<number>;
  /**
   * This host keeps stores in order and loads in order (x86-64's TSO): a write is published
   * with a compiler barrier and a plain store, as hw's x86 mapping does smp_store_release()
   * (memory/x86.ts), not a locked instruction that waits for the line.
   */
  tso: boolean;
  /**
   * Some instruction of the test uses what a message's views hold (compiled.ts viewsRead);
   * without one, appended-to messages carry none.
   */
  views: boolean;
  /**
   * Every location's history is kept in the runner's cells (compiled.ts inCells,
   * compiled-cells.ts), not in the side histories.
   */
  inCells: boolean;
}

/** The pieces of the text, for one thread of a test. */
export class HistoryText {
  /** Entries of a view (the geometry's view slots). */
  readonly n: number;

  constructor(
    readonly g: HistoryGeometry,
    readonly layout: CompiledLayout,
    /** Per test location, its location in the histories. */
    readonly history: readonly number[],
    /** Real threads: locks, the seqlock read, the pause after a store. */
    readonly threads: boolean,
    readonly test: TestConstants,
  ) {
    this.n = g.views;
  }

  /** max-joins `into ⊔= from`, view by view. */
  join(into: string, from: string): string[] {
    return range(this.n).map((y) => `if (${into}${y} < ${from}${y}) ${into}${y} = ${from}${y};`);
  }

  /**
   * The pending fences applied (views.ts switchTo): smp_mb() as fullFence (cur ⊔= acq ⊔ global;
   * global = sCur = rel = cur), else smp_rmb()'s acq and smp_wmb()'s own; nothing pending after.
   */
  fences(): string[] {
    const global = (y: number) => `wh[wb + ${GLOBAL_CELL + y}]`;
    return [
      'if (wp !== 0) {',
      `  if ((wp & ${MB}) !== 0) {`,
      ...indent([...this.join('wc', 'wa'), ...this.join('wsc', 'wsa')], '    '),
      ...range(this.n).flatMap((y) => [
        `    if (wc${y} < ${global(y)}) wc${y} = ${global(y)};`,
        `    ${global(y)} = wc${y}; wr${y} = wc${y}; wsc${y} = wc${y};`,
      ]),
      '  } else {',
      `    if ((wp & ${RMB}) !== 0) {`,
      ...indent([...this.join('wc', 'wa'), ...this.join('wsc', 'wsa')], '      '),
      '    }',
      `    if ((wp & ${WMB}) !== 0) {`,
      ...indent(this.join('wr', 'wo'), '      '),
      '    }',
      '  }',
      '  wp = 0;',
      '}',
    ];
  }

  /** Cells of location `loc`'s history, from the instance's base. */
  cells(loc: number) {
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
  started(loc: number): string[] {
    const { started, count, s0, slot, cell } = this.cells(loc);
    return [
      `if (wh[wb + ${started}] !== wst) {`,
      `  wh[wb + ${started}] = wst;`,
      `  wh[wb + ${count}] = 1;`,
      `  for (let ws = wb + ${s0}; ws < wb + ${s0 + slot}; ws++) wh[ws] = 0;`,
      `  wh[wb + ${s0 + 1}] = ${this.initial(loc, cell)};`,
      '}',
    ];
  }

  /**
   * Location loc's initial value: on real threads the constant (the runner's reset writes it
   * to the cell, which the compiled stores there never write: the line stays where it is), in
   * process the cell (as the calls read it).
   */
  initial(loc: number, cell: number): string {
    return this.threads ? int(this.test.inits[loc]!) : `mem[wcc + ${cell}]`;
  }

  /**
   * messages.ts oldest, choose and takeAt: of wn held writes, the one the read takes (a draw
   * when more than one is not older than cur), its cells read into locals (wt, wv, wq<y>,
   * wz<y>); `check` between reading and taking it (the seqlock's second look), then `dst` = wv.
   */
  take(loc: number, acquire: boolean, check: string[], dst: string): string[] {
    const { x, s0, slot } = this.cells(loc);
    const n = this.n;
    return [
      'let wlo = 0;',
      `while (wlo < wn - 1 && wh[wb + ${s0} + wlo * ${slot}] < wc${x}) wlo++;`,
      'let wj = wn - 1;',
      'if (wlo < wj) {',
      '  const wdraw = wrand();',
      '  if ((wdraw & 1) !== 0) wj = wlo + ((wdraw >>> 1) % (wn - wlo));',
      '}',
      `const ws = wb + ${s0} + wj * ${slot};`,
      'const wt = wh[ws], wv = wh[ws + 1];',
      ...range(n).map((y) => `const wq${y} = wh[ws + ${2 + y}], wz${y} = wh[ws + ${2 + n + y}];`),
      ...check,
      `if (wc${x} < wt) wc${x} = wt;`,
      ...this.join(acquire ? 'wc' : 'wa', 'wq'),
      ...this.join(acquire ? 'wsc' : 'wsa', 'wz'),
      `${dst} = wv;`,
    ];
  }

  /** On real threads, the instance's lock while an smp_mb() is pending (its global view). */
  lockForMb(): string[] {
    return this.threads
      ? [`const wmb = (wp & ${MB}) !== 0;`, `if (wmb) wlockI(wb + ${LOCK_CELL});`]
      : [];
  }
}

/**
 * FastRandom's next() in place (fast-random.ts): `wrand()` on the CPU's state, as a signed
 * int32 (the same bits: callers take r & 1, r >>> 1, r & 15, r >>> 4, and the engine need not
 * box it); `wpick(n)` on the order picker's, as pick_order's `next() % n`; and the two
 * branch-free helpers of compiled-append.ts's load.
 */
export function emitRandom(): string[] {
  return [
    'function wrand() {',
    ...nextStatements('wrs', '  '),
    '  return x;',
    '}',
    'function wpick(n) {',
    ...nextStatements('wos', '  '),
    '  return (x >>> 0) % n;',
    '}',
    // wrand() whose step is kept only when need is 1 (else the state stays): a draw without a branch
    'function wrandIf(need) {',
    '  const w = wrs[0];',
    ...nextStatements('wrs', '  '),
    '  wrs[0] = w ^ ((w ^ wrs[0]) & -need);',
    '  return x;',
    '}',
    // max of two views' entries without a branch (entries are timestamps: 0 to 2^31 - 1)
    'function wmax(a, b) {',
    '  const d = (a - b) | 0;',
    '  return (a - (d & (d >> 31))) | 0;',
    '}',
  ];
}

export const range = (n: number) => Array.from({ length: n }, (_, y) => y);

/** The views' variable names: cur, acq, rel, own, sCur, sAcq (cpu.ts), then the slot. */
export const VIEWS = ['wc', 'wa', 'wr', 'wo', 'wsc', 'wsa'];

export const indent = (lines: string[], by = '  ') => lines.map((l) => by + l);

/** cpu.ts dawdle (real threads): now and then a pause after a store, so that the others run in between. */
export const DAWDLE = [
  'const wdraw = wrand();',
  'if ((wdraw & 15) === 0) for (let wd = (wdraw >>> 4) & 511; wd > 0; wd--) wsink ^= wd;',
];

/** An integer constant in the text (a negative one parenthesised). */
export const int = (v: number) => (v < 0 ? `(${v})` : String(v));

/** The instance's and a location's locks on real threads (views.ts lockInstance, lockLocation). */
export function emitLocks(): string[] {
  return [
    // a few dozen steps while another CPU is inside one access of the instance
    'function wlockI(c) {',
    '  while (Atomics.compareExchange(wh, c, 0, 1) !== 0);',
    '}',
    // the location's version from even to odd (a plain read is the first guess, the exchange
    // checks it; a held one is watched with Atomics.load)
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
  ];
}
