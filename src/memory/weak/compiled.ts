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
// (test/memory/weak/compiled.test.ts; the in-process driver itself keeps the calls,
// interleave.ts says why). The rare branches call messages.ts's own functions
// (where a write joins coherence, making room in a full history). Everything else a test may
// do (rmws, locks, RCU, an access through a register) keeps the calls, for the whole thread.
//
// Generated names start with `w`: the compiler's own are reg<n>, c, o, k, a, old, g.

import type { InlineAccesses } from '../../litmus/compile.ts';
import type { AccessAnnot, Instr, Test, Thread } from '../../litmus/ir.ts';
import type { FastRandom } from '../fast-random.ts';
import { isX86Arch } from '../x86.ts';
import { CELLS_HISTORY } from './compiled-cells.ts';
import { AccessText, type CompiledLayout, FENCE_BITS } from './compiled-text.ts';
import {
  countAfter,
  HISTORY_DEPTH,
  type HistoryGeometry,
  historyGeometry,
  VIEW_SLOTS,
} from './history.ts';
import { makeRoom, placeAmong } from './messages.ts';
import { wordMap } from './views.ts';

export type { CompiledLayout } from './compiled-text.ts';

/** What the compiled functions reach at run time (MemoryOps.compiledState of the weak memory). */
export interface CompiledState {
  h: Int32Array;
  rnd: FastRandom;
  /** messages.ts placeAmong and makeRoom over this run's geometry. */
  place(h: Int32Array, b: number, x: number, held: number, floor: number): number;
  room(h: Int32Array, b: number, x: number, held: number, at: number): number;
  countAfter(count: number, at: number, rmw: number): number;
  /**
   * Called by the compiled code of a test whose histories are in the runner's cells
   * (compiled-cells.ts), before the runner's first reset: the memory object's reset and final
   * value are then the cells'.
   */
  inCells(): void;
}

export function compiledState(
  h: Int32Array,
  g: HistoryGeometry,
  rnd: FastRandom,
  inCells: () => void,
): CompiledState {
  return {
    h,
    rnd,
    inCells,
    place: (hh, b, x, held, floor) => placeAmong(hh, g, b, x, held, floor, rnd),
    room: (hh, b, x, held, at) => makeRoom(hh, g, b, x, held, at),
    countAfter,
  };
}

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
 * `stepped`: the in-process driver (no locks, no pauses); else real threads. `inlined`: the
 * accesses' code in the thread's body (else in functions of its closure).
 */
export function weakCompiled(
  test: Test,
  thread: Thread,
  bodies: Instr[][],
  layout: CompiledLayout,
  stepped: boolean,
  inlined = !stepped && accesses(bodies) <= INLINED_ACCESSES,
): InlineAccesses | undefined {
  const variables = test.locations.length;
  if (variables > VIEW_SLOTS || layout.varStride <= 0 || !compilable(bodies)) return undefined;
  const { locOf } = wordMap({ ...layout, variables });
  const history = layout.offsets.map((o) => locOf[o] ?? -1);
  if (history.some((x) => x < 0)) return undefined;
  const own = soleWriter(test, thread.id);
  const inits = test.locations.map((l) => l.init);
  const appended = APPEND_ONLY[stepped ? 'stepped' : 'threads']
    ? appendOnly(test)
    : new Set<number>();
  const views = viewsRead(test);
  return new AccessText(historyGeometry(variables), layout, history, !stepped, own, inlined, {
    inits,
    appendOnly: appended,
    tso: TSO_HOST,
    views,
    inCells: inCells(test, layout, appended),
  });
}

/**
 * Whether the test's histories go in the runner's cells (compiled-cells.ts): every location is
 * appended to (so every thread is compiled, and nothing but this code touches a history), no
 * message's views are read, and each location has the cells beside its own (the runner's
 * layout gives each location a line by default; a packed one does not leave the room).
 */
export function inCells(
  test: Test,
  layout: CompiledLayout,
  appended: ReadonlySet<number> = appendOnly(test),
): boolean {
  const n = test.locations.length;
  return n > 0 && appended.size === n && !viewsRead(test) && layout.varStride >= CELLS_HISTORY;
}

/**
 * Whether some instruction of the test makes a CPU use what a message's views hold: a fence
 * (smp_rmb(), smp_wmb() and smp_mb() apply views; barrier() none), an acquire load or a release
 * store. Without one, a CPU's views only gather (cpu.ts: only fences and acquires apply acq, only
 * fences and releases feed rel), and nothing it reads depends on them: its coherence floor per
 * location is raised by the timestamps it reads and writes alone. The appended-to protocol then
 * writes and reads no view cells (compiled-append.ts).
 */
export function viewsRead(test: Test): boolean {
  const reads = (ins: Instr): boolean => {
    switch (ins.kind) {
      case 'fence':
        return ins.annot !== 'barrier';
      case 'load':
        return ins.annot === 'acquire';
      case 'store':
        return ins.annot === 'release';
      case 'branch':
        return ins.then.some(reads) || ins.else.some(reads);
      default:
        return false;
    }
  };
  return test.threads.some((t) => t.body.some(reads));
}

/**
 * Where the locations of appendOnly get their own protocol: on real threads, where it saves
 * the location's lock (on; the tests turn it off to compare both protocols there), and in
 * process (off: nothing runs meanwhile, so it saves nothing; the tests turn it on to check that
 * it means what the calls mean, draw for draw).
 */
export const APPEND_ONLY = { threads: true, stepped: false };

/**
 * An x86 host, as hw's mapping takes it (memory/kinds.ts hostMemoryKind): the litmus code is
 * compiled on the host that runs it; a browser has no `process` and gets the portable publish.
 */
const TSO_HOST = typeof process !== 'undefined' && isX86Arch(process.arch);

/**
 * The locations whose history, on real threads, is appended to by one writer and read
 * without a lock (compiled-text.ts appendLoad, appendStore): every thread of the test is
 * compiled (so no call reads, starts or shifts a history meanwhile, and no rmw or lock
 * writes one), at most one thread stores to the location, and at most HISTORY_DEPTH - 1
 * times in an instance (counting every store of its body, both arms of a branch: its history
 * never drops a write, so no held write moves). Such a writer's write always goes after the
 * latest (placeAmong finds no gap: every held write but the initial one is its own, and its
 * view has its latest), so appending is all it does.
 */
export function appendOnly(test: Test): Set<number> {
  const out = new Set<number>();
  // a body compiles when its orders do: they only move, drop or add fences it compiles
  if (!test.threads.every((t) => compilable([t.body]))) return out;
  const stores = test.locations.map(() => new Map<number, number>());
  const visit = (t: number, ins: Instr): void => {
    if (ins.kind === 'branch') for (const i of [...ins.then, ...ins.else]) visit(t, i);
    else if (ins.kind === 'store' && ins.addr.kind === 'loc') {
      const name = ins.addr.loc;
      const per = stores[test.locations.findIndex((l) => l.name === name)];
      per?.set(t, (per.get(t) ?? 0) + 1);
    }
  };
  for (const t of test.threads) for (const ins of t.body) visit(t.id, ins);
  stores.forEach((per, loc) => {
    const counts = [...per.values()];
    if (counts.length <= 1 && (counts[0] ?? 0) < HISTORY_DEPTH) out.add(loc);
  });
  return out;
}

/**
 * The most accesses (over all of a thread's orders) whose code goes into the thread's body on
 * real threads; beyond, each kind of access is a function (a thousand loads: code linear in
 * the registers). In process, always functions: a test runs a few thousand instances there,
 * and compiling the larger body would cost more than it saves.
 */
const INLINED_ACCESSES = 64;

function accesses(bodies: Instr[][]): number {
  const count = (b: Instr[]): number =>
    b.reduce(
      (n, i) =>
        n +
        (i.kind === 'branch'
          ? count(i.then) + count(i.else)
          : i.kind === 'load' || i.kind === 'store'
            ? 1
            : 0),
      0,
    );
  return bodies.reduce((n, b) => n + count(b), 0);
}

/**
 * The locations (indices in Test.locations) that thread alone may write: no other thread
 * stores to them, or takes an rmw or a lock on them, or writes through a register.
 */
function soleWriter(test: Test, thread: number): Set<number> {
  const writers = test.locations.map(() => new Set<number>());
  let anywhere = false;
  const visit = (t: number, ins: Instr): void => {
    if (ins.kind === 'branch') {
      for (const i of [...ins.then, ...ins.else]) visit(t, i);
      return;
    }
    if (ins.kind === 'load' || ins.kind === 'islocked' || ins.kind === 'assign') return;
    if (!('addr' in ins) || !ins.addr) return;
    if (ins.addr.kind === 'reg') anywhere = true;
    else
      writers[test.locations.findIndex((l) => l.name === (ins.addr as { loc: string }).loc)]?.add(
        t,
      );
  };
  for (const t of test.threads) for (const ins of t.body) visit(t.id, ins);
  const own = new Set<number>();
  if (anywhere) return own;
  writers.forEach((w, loc) => {
    if (w.size === 1 && w.has(thread)) own.add(loc);
  });
  return own;
}
