// A cycle, started where diy7 starts it (normalise.ts) → the litmus IR, as diy7 builds it:
//
// - threads: a new thread after every communication edge to another thread (Rfe, Fre, Coe);
// - locations: a new one after every edge that changes location (Pod, FenceMbd, DpAddrd …:
//   x, y, z, a … in cycle order), the others (Rfi, Pos, FenceMbs …) keeping it, and the last
//   run of accesses sharing the first's location;
// - values: on each location, writes store 1, 2, … in cycle order, which is their coherence
//   order (Coe: a later value; Fre: the write after the one read), and each read returns the
//   latest value written before it on that run (0 if none);
// - the condition: the final value of every location written twice, then the value of every
//   read of a location the cycle writes (a read alone on its location is unconstrained);
// - what joins two accesses of a thread: nothing (Po, and Rfi, Fri, Coi), a fence statement
//   between them, or a dependency, addr and data in diy7's C form — addr: the access is to
//   `*(y + (r0 & 128))` (a temporary of the IR, printed inline), data: the stored value is
//   `1 + (r0 & 128)` — and ctrl: the access sits in `if (r0 == v)`, v the value r0 must read.
//   (r0 & 128 is 0 for every value a generated test writes.)
//
// ctrl is a real branch, as diy7 7.58 writes it (`if (r0 == 1) {` in C, a branch to a label
// in LISA) and as the kernel's own tests do (LB+fencembonceonce+ctrlonceonce). The older diy7
// that wrote the kernel archive's LKMM tests (../shared/lkmm-luc, 226 DpCtrldW edges) wrote
// `r1 = (r0 != 0); WRITE_ONCE(*y, 1);`: no branch, so herd7 and linux-kernel.cat see no ctrl
// there (C-3.LB+ctrlonceonce+ctrlonceonce+pooncerelease is Sometimes for herd7; with a real
// ctrl it is Never). Each file with a ctrl edge says so (CTRL_NOTE).

import type {
  AccessAnnot,
  Addr,
  Expr,
  Instr,
  Location,
  Prop,
  Register,
  Test,
  Thread,
  Value,
} from '../litmus/ir.ts';
import { accessLocations, type Cycle, LOCATION_NAMES, threadsOf } from './cycle.ts';
import type { Annot } from './edges.ts';

/**
 * The comment a generated test with a ctrl edge carries after its metadata lines. No brace in
 * it: herd7 reads a `{` there as the init block (litmus/herd-split.ts).
 */
export const CTRL_NOTE =
  '(* ctrl: a real control dependency, the access inside if (r == v), as the kernel writes ' +
  "it and diy7 7.58 does. The diy7-made LKMM tests of the kernel's archive (luc) write " +
  'DpCtrld as r1 = (r0 != 0); with no branch, which herd7 does not count as ctrl. *)';

/** The mask that keeps a dependency while adding nothing (every value written is below it). */
const DEP_MASK = 128;
/** Generated instructions have no place in a file until printed. */
const POS = { line: 1, col: 1 };

const ANNOT_IR: Record<Annot, AccessAnnot> = {
  Once: 'once',
  Acquire: 'acquire',
  Release: 'release',
};

interface Access {
  dir: 'R' | 'W';
  loc: string;
  /** The value a write stores or a read must return for the cycle to happen. */
  value: Value;
  /** A read whose value the condition states: one of a location the cycle writes. */
  observed: boolean;
}

/** Location, direction and value of every access of the cycle. */
function accessesOf(c: Cycle): Access[] {
  const n = c.edges.length;
  const locations = accessLocations(c);
  const accesses = c.edges.map((e, i) => ({
    dir: e.src,
    loc: locations[i]!,
    value: 0,
    observed: false,
  }));
  // Walk each location's run in cycle order: from the access after an edge changing location.
  const written = new Map<string, number>();
  const start = c.edges.findIndex((e) => !e.row.sameLocation) + 1;
  for (let k = 0; k < n; k++) {
    const a = accesses[(start + k) % n]!;
    const w = written.get(a.loc) ?? 0;
    if (a.dir === 'W') written.set(a.loc, w + 1);
    a.value = a.dir === 'W' ? w + 1 : w;
  }
  for (const a of accesses) a.observed = a.dir === 'R' && written.has(a.loc);
  return accesses;
}

export function buildTest(name: string, c: Cycle): Test {
  const accesses = accessesOf(c);
  const names = [...new Set(accesses.map((a) => a.loc))].sort(
    (a, b) => LOCATION_NAMES.indexOf(a) - LOCATION_NAMES.indexOf(b),
  );
  const locations: Location[] = names.map((n) => ({ name: n, type: 'int', init: 0 }));
  // diy7 writes the final values of locations first, by name, then the registers, thread by thread.
  const conds: Prop[] = [];
  for (const loc of [...names].sort()) {
    const writes = accesses.filter((a) => a.loc === loc && a.dir === 'W');
    if (writes.length >= 2) {
      const last = Math.max(...writes.map((w) => w.value));
      conds.push({ kind: 'eq', key: { kind: 'loc', loc }, value: last });
    }
  }
  const threads = threadsOf(c).map((ids, t) => buildThread(t, ids, c, accesses, conds));
  const prop = conds.reduce((left, right) => ({ kind: 'and', left, right }));
  return {
    name,
    file: `${name}.litmus`,
    locations,
    threads,
    condition: { quantifier: 'exists', prop },
    extraKeys: [],
    hash: '',
  };
}

function buildThread(
  t: number,
  ids: number[],
  c: Cycle,
  accesses: Access[],
  conds: Prop[],
): Thread {
  // Reads get r0, r1 … in order, as diy7 names them; an address is a temporary (%t0 …), as
  // the parser makes of `*(y + (r0 & 128))`.
  const registers: Register[] = [];
  const counts = { int: 0, pointer: 0 };
  const newReg = (type: Register['type']) => {
    const name = type === 'int' ? `r${counts.int++}` : `%t${counts.pointer++}`;
    registers.push(type === 'int' ? { name, type } : { name, type, temporary: true });
    return name;
  };
  const body: Instr[] = [];
  /** The register of the previous access, when it was a read. */
  let prevReg: string | undefined;
  let prevValue = 0;
  ids.forEach((i, k) => {
    const a = accesses[i]!;
    const edge = k > 0 ? c.edges[i - 1]! : undefined;
    const dep = edge?.row.kind === 'dep' ? edge.row.dep : undefined;
    // A dependency's source: the read just before (edges.ts allows deps from reads only).
    const srcReg = prevReg;
    const srcValue = prevValue;
    if (edge?.row.kind === 'fence') body.push({ kind: 'fence', annot: edge.row.fence!, pos: POS });
    const masked = (): Expr => ({
      kind: 'binary',
      op: '&',
      left: { kind: 'reg', reg: srcReg! },
      right: { kind: 'const', value: DEP_MASK },
    });
    const out: Instr[] = [];
    let addr: Addr = { kind: 'loc', loc: a.loc };
    if (dep === 'addr') {
      const ptr = newReg('pointer');
      const value: Expr = {
        kind: 'binary',
        op: '+',
        left: { kind: 'addr', loc: a.loc },
        right: masked(),
      };
      out.push({ kind: 'assign', dst: ptr, value, pos: POS });
      addr = { kind: 'reg', reg: ptr };
    }
    const annot = ANNOT_IR[c.annots[i]!];
    if (a.dir === 'R') {
      const dst = newReg('int');
      out.push({ kind: 'load', annot, addr, dst, pos: POS });
      if (a.observed)
        conds.push({ kind: 'eq', key: { kind: 'reg', thread: t, reg: dst }, value: a.value });
      prevReg = dst;
    } else {
      const v: Expr = { kind: 'const', value: a.value };
      const value: Expr =
        dep === 'data' ? { kind: 'binary', op: '+', left: v, right: masked() } : v;
      out.push({ kind: 'store', annot, addr, value, pos: POS });
      prevReg = undefined;
    }
    if (dep === 'ctrl') {
      const cond: Expr = {
        kind: 'binary',
        op: '==',
        left: { kind: 'reg', reg: srcReg! },
        right: { kind: 'const', value: srcValue },
      };
      body.push({
        kind: 'branch',
        cond,
        // biome-ignore lint/suspicious/noThenProperty: the IR's branch names its arms then/else
        then: out,
        else: [],
        pos: POS,
      });
    } else body.push(...out);
    prevValue = a.value;
  });
  const params = [...new Set(ids.map((i) => accesses[i]!.loc))];
  return { id: t, params, registers, registerInit: new Map(), body };
}
