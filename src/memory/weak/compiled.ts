// The weak CPU's accesses compiled into a litmus thread: for a thread of loads, stores and
// fences on named locations, the litmus compiler (src/litmus/compile.ts) emits, instead of a
// call to a memory operation per access, a call to a function made here for that location and
// that kind of access — its history's cells, the instance's view slots and the fence kinds
// known when it is generated, the CPU's views held in the generated function's own variables.
// hw gets its speed from compiled code per test; this is the same for weak.
//
// The meaning is cpu.ts's, step for step (read, write, smp_rmb(), smp_wmb(), smp_mb()), on
// the same histories and locks, with the same seeded draws in the same order: stepped in
// process, a test gives the same histogram with these functions as with the calls
// (test/memory/weak/compiled.test.ts). The rare branches call messages.ts's own functions
// (where a write joins coherence, making room in a full history). Everything else a test may
// do (rmws, locks, RCU, an access through a register) keeps the calls, for the whole thread.
//
// Generated names start with `w`: the compiler's own are reg<n>, c, o, k, a, old, g.

import type { InlineAccesses } from '../../litmus/compile.ts';
import type { AccessAnnot, FenceAnnot, Instr, Test } from '../../litmus/ir.ts';
import type { FastRandom } from '../fast-random.ts';
import { HISTORY, type HistoryGeometry, historyGeometry, VIEW_SLOTS } from './history.ts';
import { makeRoom, placeAmong, TS_GAP, TS_LIMIT } from './messages.ts';
import { wordMap } from './views.ts';

const { HISTORY_DEPTH, GEN_CELL, GLOBAL_CELL, LOCK_CELL, countAfter } = HISTORY;
const { countCell, slotCell, startedCell, versionCell } = HISTORY;

/** Where the compiled code finds its cells: the litmus Layout's fields it needs. */
export interface CompiledLayout {
  dataBase: number;
  instanceStride: number;
  varStride: number;
  offsets: readonly number[];
}

/** What the compiled functions reach at run time (MemoryOps.compiledState of the weak memory). */
export interface CompiledState {
  h: Int32Array;
  rnd: FastRandom;
  /** messages.ts placeAmong and makeRoom over this run's geometry. */
  place(h: Int32Array, b: number, x: number, held: number, floor: number): number;
  room(h: Int32Array, b: number, x: number, held: number, at: number): number;
  countAfter(count: number, at: number, rmw: number): number;
}

export function compiledState(h: Int32Array, g: HistoryGeometry, rnd: FastRandom): CompiledState {
  return {
    h,
    rnd,
    place: (hh, b, x, held, floor) => placeAmong(hh, g, b, x, held, floor, rnd),
    room: (hh, b, x, held, at) => makeRoom(hh, g, b, x, held, at),
    countAfter,
  };
}

/** Fences this code performs itself; smp_mb()'s kin are smp_mb() on the weak CPU (memory.ts). */
const FENCE_BITS: Partial<Record<FenceAnnot, number>> = {
  rmb: 1,
  wmb: 2,
  mb: 4,
  'before-atomic': 4,
  'after-atomic': 4,
  'after-spinlock': 4,
  'after-unlock-lock': 4,
  barrier: 0,
};
const LOADS: readonly AccessAnnot[] = ['plain', 'once', 'acquire'];
const STORES: readonly AccessAnnot[] = ['plain', 'once', 'release'];

/** Whether every instruction of the bodies is a load, store or fence this code performs. */
function compilable(bodies: Instr[][]): boolean {
  const ok = (ins: Instr): boolean => {
    switch (ins.kind) {
      case 'load':
        return ins.addr.kind === 'loc' && LOADS.includes(ins.annot);
      case 'store':
        return ins.addr.kind === 'loc' && STORES.includes(ins.annot);
      case 'fence':
        return FENCE_BITS[ins.annot] !== undefined;
      case 'assign':
        return true;
      case 'branch':
        return ins.then.every(ok) && ins.else.every(ok);
      default:
        return false;
    }
  };
  return bodies.every((b) => b.every(ok));
}

/**
 * The weak CPU's accesses for a thread run in `bodies` (its orders), or undefined when some
 * instruction needs the memory object's calls, or the views are not one slot per location.
 * `stepped`: the in-process driver (no locks, no pauses); else real threads.
 */
export function weakCompiled(
  test: Test,
  bodies: Instr[][],
  layout: CompiledLayout,
  stepped: boolean,
): InlineAccesses | undefined {
  const variables = test.locations.length;
  if (variables > VIEW_SLOTS || layout.varStride <= 0 || !compilable(bodies)) return undefined;
  const { locOf } = wordMap({ ...layout, variables });
  const history = layout.offsets.map((o) => locOf[o] ?? -1);
  if (history.some((x) => x < 0)) return undefined;
  return new Emitter(historyGeometry(variables), layout, history, !stepped);
}

/**
 * FastRandom's next() on its state in place, as a signed int32 (the same bits: callers take
 * r & 1, r >>> 1, r & 15, r >>> 4), which the engine need not box: the CPU's own stream.
 */
function emitRandom(): string[] {
  return [
    'function wrand() {',
    '  let x = wrs[0];',
    '  x ^= x << 13;',
    '  x ^= x >>> 17;',
    '  x ^= x << 5;',
    '  wrs[0] = x;',
    '  return Math.imul(x, 0x2545f491);',
    '}',
  ];
}

const range = (n: number) => Array.from({ length: n }, (_, y) => y);

/** The text of the compiled accesses: the functions used, made once each, after the body. */
class Emitter implements InlineAccesses {
  private readonly made = new Map<string, string[]>();
  private readonly n: number;

  constructor(
    private readonly g: HistoryGeometry,
    private readonly layout: CompiledLayout,
    /** Per test location, its location in the histories. */
    private readonly history: readonly number[],
    /** Real threads: locks, the seqlock read, the pause after a store. */
    private readonly threads: boolean,
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
    const name = `wst${loc}${annot === 'release' ? 'r' : ''}`;
    if (!this.made.has(name)) this.made.set(name, this.emitStore(name, loc, annot === 'release'));
    return `${name}(${value});`;
  }

  fence(annot: FenceAnnot): string {
    const bits = FENCE_BITS[annot];
    if (bits === undefined) throw new Error(`internal: no compiled weak fence ${annot}`);
    // a fence is applied at the CPU's next access (cpu.ts): it marks what is pending
    return bits === 0 ? '' : `wp |= ${bits};`;
  }

  prelude(state: string): string[] {
    const views = ['wc', 'wa', 'wr', 'wo', 'wsc', 'wsa'];
    const vars = views.flatMap((v) => range(this.n).map((y) => `${v}${y} = 0`));
    return [
      `const wh = ${state}.h, wrs = ${state}.rnd.state, wplace = ${state}.place, wroom = ${state}.room, wcountAfter = ${state}.countAfter;`,
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
      '  if ((wp & 4) !== 0) {',
      ...this.join('wc', 'wa').map((l) => `    ${l}`),
      ...this.join('wsc', 'wsa').map((l) => `    ${l}`),
      ...range(this.n).flatMap((y) => [
        `    if (wc${y} < ${global(y)}) wc${y} = ${global(y)};`,
        `    ${global(y)} = wc${y}; wr${y} = wc${y}; wsc${y} = wc${y};`,
      ]),
      '  } else {',
      '    if ((wp & 1) !== 0) {',
      ...this.join('wc', 'wa').map((l) => `      ${l}`),
      ...this.join('wsc', 'wsa').map((l) => `      ${l}`),
      '    }',
      ...['    if ((wp & 2) !== 0) {', ...this.join('wr', 'wo').map((l) => `      ${l}`), '    }'],
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
      `    if ((wp & 4) !== 0) return ${name}mb();`,
      '    wfences();',
      '  }',
      '  for (;;) {',
      `    const v1 = Atomics.load(wh, wb + ${ver});`,
      '    if ((v1 & 1) !== 0) continue;',
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
